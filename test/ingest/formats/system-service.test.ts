// Unit tests for parseSystemService: the seven counts, statDate as the day before in the site zone, errors.
import { LineError, createTimeParser } from '../../../src/ingest/values';
import type { ParseContext } from '../../../src/ingest/formats/types';
import { parseSystemService, systemService } from '../../../src/ingest/formats/system-service';
import { forFileDay } from '../../../src/ingest/plausible';

const ctx: ParseContext = {
  siteCode: 'S1',
  tz: 'Asia/Shanghai',
  time: createTimeParser('Asia/Shanghai'),
  units: { memory: 'M', disk: 'M' },
};

const row = (t: string, ...counts: string[]) => ['S1', ...counts, t];
const COUNTS = ['10', '2', '1000', '500', '300', '40', '50'];

function errorOf(f: string[], c: ParseContext = ctx): string {
  try {
    parseSystemService(f, c);
  } catch (e) {
    if (e instanceof LineError) return e.message;
    throw e;
  }
  throw new Error('expected a LineError, nothing was thrown');
}

describe('systemService format', () => {
  it('names its file, directory and header field', () => {
    expect(systemService.name).toBe('system_service');
    expect(systemService.dir).toBe('sys_service');
    expect(systemService.headerField).toBe('site_id');
    expect(systemService.parse).toBe(parseSystemService);
  });
});

describe('parseSystemService', () => {
  it('reads the seven counts and dates the figures the day before the record', () => {
    expect(parseSystemService(row('2026-11-25 00:30:00', ...COUNTS), ctx)).toEqual({
      statDate: '2026-11-24',
      sub: 10,
      unsub: 2,
      total: 1000,
      calls: 500,
      shows: 300,
      mo: 40,
      mt: 50,
      recordedAt: Date.UTC(2026, 10, 24, 16, 30),
    });
  });

  it('accepts separators and K/万 multipliers in counts', () => {
    expect(
      parseSystemService(
        row('2026-11-25 09:00:00', '1,234', '0', '1.5万', '2K', '3M', '4w', '5,000,000'),
        ctx,
      ),
    ).toEqual({
      statDate: '2026-11-24',
      sub: 1234,
      unsub: 0,
      total: 15_000,
      calls: 2000,
      shows: 3_000_000,
      mo: 40_000,
      mt: 5_000_000,
      recordedAt: Date.UTC(2026, 10, 25, 1, 0),
    });
  });

  it('uses the site zone for the record date, not UTC', () => {
    // 00:30 in Shanghai is still 24 November in UTC; the site day is the 25th, so statDate is the 24th.
    expect(parseSystemService(row('2026-11-25 00:30:00', ...COUNTS), ctx).statDate).toBe(
      '2026-11-24',
    );
    expect(parseSystemService(row('2026-11-25 23:59:59', ...COUNTS), ctx).statDate).toBe(
      '2026-11-24',
    );
    expect(parseSystemService(row('2026-11-25T00:30:00+08:00', ...COUNTS), ctx).statDate).toBe(
      '2026-11-24',
    );
    // 2026-11-24T17:00Z is 01:00 on the 25th in Shanghai.
    expect(parseSystemService(row('2026-11-24T17:00:00Z', ...COUNTS), ctx).statDate).toBe(
      '2026-11-24',
    );
  });

  it('follows the zone of the context', () => {
    const ny: ParseContext = {
      ...ctx,
      tz: 'America/New_York',
      time: createTimeParser('America/New_York'),
    };
    const r = parseSystemService(row('2026-11-25 00:30:00', ...COUNTS), ny);
    expect(r.statDate).toBe('2026-11-24');
    expect(r.recordedAt).toBe(Date.UTC(2026, 10, 25, 5, 30));
    // The same instant in Shanghai is 13:30 on the 25th.
    expect(parseSystemService(row('2026-11-25T05:30:00Z', ...COUNTS), ny).statDate).toBe(
      '2026-11-24',
    );
  });

  it('crosses month, year and leap-day boundaries', () => {
    expect(parseSystemService(row('2026-12-01 00:00:00', ...COUNTS), ctx).statDate).toBe(
      '2026-11-30',
    );
    expect(parseSystemService(row('2027-01-01 00:00:00', ...COUNTS), ctx).statDate).toBe(
      '2026-12-31',
    );
    expect(parseSystemService(row('2028-03-01 06:00:00', ...COUNTS), ctx).statDate).toBe(
      '2028-02-29',
    );
    expect(parseSystemService(row('2026-03-01 06:00:00', ...COUNTS), ctx).statDate).toBe(
      '2026-02-28',
    );
  });

  it('needs exactly 9 fields', () => {
    expect(errorOf(row('2026-11-25 00:30:00', '1', '2', '3', '4', '5', '6'))).toBe(
      'expected 9 fields, found 8',
    );
    expect(errorOf(row('2026-11-25 00:30:00', ...COUNTS, '8'))).toBe('expected 9 fields, found 10');
    expect(errorOf([])).toBe('expected 9 fields, found 0');
  });

  it('rejects a line of another site', () => {
    expect(errorOf(['S9', ...COUNTS, '2026-11-25 00:30:00'])).toBe(
      'site_id "S9" does not belong to site "S1"',
    );
  });

  it.each([
    [0, 'sub_users'],
    [1, 'unsub_users'],
    [2, 'total_users'],
    [3, 'call_times'],
    [4, 'show_times'],
    [5, 'mo_times'],
    [6, 'mt_times'],
  ])('names count %p as %p when it is bad', (i, name) => {
    const counts = [...COUNTS];
    counts[i] = 'n/a';
    expect(errorOf(row('2026-11-25 00:30:00', ...counts))).toBe(`${name} "n/a" is not a count`);
    counts[i] = '-4';
    expect(errorOf(row('2026-11-25 00:30:00', ...counts))).toBe(`${name} -4 is negative`);
  });

  it('names a bad record_time', () => {
    expect(errorOf(row('tomorrow', ...COUNTS))).toBe(
      'record_time "tomorrow" is not a time (expected YYYY-mm-dd HH:MM:SS)',
    );
    expect(errorOf(row('', ...COUNTS))).toBe('record_time is empty');
    expect(errorOf(row('2026-02-29 00:30:00', ...COUNTS))).toBe(
      'record_time is not a real date and time',
    );
  });
  it('quarantines a site_id with control characters without quoting them', () => {
    expect(errorOf(['S1\u0000', ...COUNTS, '2026-11-25 00:30:00'])).toBe(
      'site_id contains a control character (U+0000)',
    );
  });

  it('quarantines a record_time outside the file day ±1 day', () => {
    const inFile = forFileDay(ctx, '20261125');
    const WINDOW = "2026-11-24 00:00 – 2026-11-27 00:00 (Asia/Shanghai), the file's day ±1 day";
    expect(errorOf(row('9999-12-31 01:00:00', ...COUNTS), inFile)).toBe(
      `record_time 9999-12-31 01:00:00 is outside ${WINDOW}`,
    );
    expect(errorOf(row('0001-01-01 00:00:00', ...COUNTS), inFile)).toBe(
      `record_time 0001-01-01 00:00:00 is outside ${WINDOW}`,
    );
    expect(parseSystemService(row('2026-11-25 01:00:00', ...COUNTS), inFile).statDate).toBe(
      '2026-11-24',
    );
  });
});
