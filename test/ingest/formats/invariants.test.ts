// Rules every registered file format follows: a dated file of its own, header lines skipped, short lines and other sites' lines quarantined with a reason.
import { createFormatRegistry } from '../../../src/ingest/formats/registry';
import {
  type FileFormat,
  type ParseContext,
  fileName,
  filePath,
} from '../../../src/ingest/formats/types';
import { type ParsedBatch, parseBatch } from '../../../src/ingest/parse-batch';
import { forFileDay } from '../../../src/ingest/plausible';
import { createTimeParser } from '../../../src/ingest/values';

const SITE = 'S1';
const DAY = '20261125';
const ctx: ParseContext = forFileDay(
  {
    siteCode: SITE,
    tz: 'Asia/Shanghai',
    time: createTimeParser('Asia/Shanghai'),
    units: { memory: 'M', disk: 'M' },
  },
  DAY,
);

/** One good line of each format, naming site S1 in exactly one field. */
const GOOD_LINES: Record<string, string> = {
  system_info: 'app01|10.0.0.1|S1|cpu|12.5|3|0.5|84|2026-11-25 08:30:00',
  system_alarm: 'S1|DISK_FULL|app01|磁盘 / 使用率 95%|2026-11-25 08:00:00||2026-11-25 08:30:00',
  system_service: 'S1|10|3|12000|50000|40000|900|1200|2026-11-25 08:30:00',
};

const formats: readonly FileFormat[] = createFormatRegistry().list();

function parse(format: FileFormat, ...lines: string[]): ParsedBatch {
  return parseBatch([{ lines: Buffer.from(`${lines.join('\n')}\n`) }], {
    format,
    parse: ctx,
    encoding: 'utf8',
    firstLine: 0,
    atFileStart: true,
    maxLineBytes: 65536,
  });
}

describe('file formats', () => {
  it('each have a good sample line here, and no two share a file', () => {
    expect(Object.keys(GOOD_LINES).sort()).toEqual(formats.map((f) => f.name).sort());
    const paths = formats.map((f) => filePath(f, DAY));
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe.each(formats.map((f) => [f.name, f] as const))('file format %s', (name, format) => {
  const good = GOOD_LINES[name];

  it('names a dated file name_YYYYmmdd.txt in a directory of its own', () => {
    expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(format.dir).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(fileName(format, 'YYYYmmdd')).toBe(`${name}_YYYYmmdd.txt`);
    expect(filePath(format, DAY)).toBe(`/${format.dir}/${name}_${DAY}.txt`);
    expect(filePath(format, '20261126')).not.toBe(filePath(format, DAY));
  });

  it('reads its good line and skips a header line', () => {
    const header = [
      format.headerField,
      ...good
        .split('|')
        .slice(1)
        .map(() => 'x'),
    ].join('|');
    const out = parse(format, header, good);
    expect(out.bad).toEqual([]);
    expect(out.records).toHaveLength(1);
    expect(out.skipped).toBe(1);
  });

  it('quarantines a line with too few fields, saying so', () => {
    const fields = good.split('|');
    for (let n = 1; n < fields.length; n++) {
      const line = fields.slice(0, n).join('|');
      const out = parse(format, line);
      expect({ line, records: out.records }).toEqual({ line, records: [] });
      expect(out.bad).toEqual([{ lineNo: 1, raw: line, reason: expect.stringMatching(/field/) }]);
    }
  });

  it('quarantines a line naming another site_id', () => {
    const fields = good.split('|');
    expect(fields.filter((f) => f === SITE)).toHaveLength(1);
    const line = fields.map((f) => (f === SITE ? 'S2' : f)).join('|');
    const out = parse(format, line);
    expect(out.records).toEqual([]);
    expect(out.bad).toEqual([
      { lineNo: 1, raw: line, reason: expect.stringContaining(`site_id "S2"`) },
    ]);
  });
});
