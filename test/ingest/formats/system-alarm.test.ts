// Unit tests for parseSystemAlarm: fields, descriptions containing '|', resume times and each error text.
import { LineError, createTimeParser } from '../../../src/ingest/values';
import type { ParseContext } from '../../../src/ingest/formats/types';
import { parseSystemAlarm, systemAlarm } from '../../../src/ingest/formats/system-alarm';

const ctx: ParseContext = {
  siteCode: 'S1',
  tz: 'Asia/Shanghai',
  time: createTimeParser('Asia/Shanghai'),
  units: { memory: 'M', disk: 'M' },
};
const RAISED = '2026-11-25 08:00:00';
const RESUMED = '2026-11-25 08:20:00';
const RECORDED = '2026-11-25 08:30:00';
const RAISED_AT = Date.UTC(2026, 10, 25, 0, 0);
const RESUMED_AT = Date.UTC(2026, 10, 25, 0, 20);
const RECORDED_AT = Date.UTC(2026, 10, 25, 0, 30);

function errorOf(f: string[]): string {
  try {
    parseSystemAlarm(f, ctx);
  } catch (e) {
    if (e instanceof LineError) return e.message;
    throw e;
  }
  throw new Error('expected a LineError, nothing was thrown');
}

describe('systemAlarm format', () => {
  it('names its file, directory and header field', () => {
    expect(systemAlarm.name).toBe('system_alarm');
    expect(systemAlarm.dir).toBe('sys_alarm');
    expect(systemAlarm.headerField).toBe('site_id');
    expect(systemAlarm.parse).toBe(parseSystemAlarm);
  });
});

describe('parseSystemAlarm', () => {
  it('reads a resolved alarm', () => {
    expect(
      parseSystemAlarm(
        ['S1', 'CPU_HIGH', 'web01', 'cpu above 90%', RAISED, RESUMED, RECORDED],
        ctx,
      ),
    ).toEqual({
      name: 'CPU_HIGH',
      node: 'web01',
      description: 'cpu above 90%',
      raisedAt: RAISED_AT,
      resumedAt: RESUMED_AT,
      recordedAt: RECORDED_AT,
    });
  });

  it('reads an empty resume time as an active alarm', () => {
    expect(
      parseSystemAlarm(
        ['S1', '磁盘告警', '数据库节点', '磁盘使用率过高', RAISED, '', RECORDED],
        ctx,
      ),
    ).toEqual({
      name: '磁盘告警',
      node: '数据库节点',
      description: '磁盘使用率过高',
      raisedAt: RAISED_AT,
      resumedAt: null,
      recordedAt: RECORDED_AT,
    });
  });

  it('keeps a description that itself contains "|"', () => {
    expect(
      parseSystemAlarm(['S1', 'LINK', 'gw1', 'link a', 'b down', ' c ', RAISED, '', RECORDED], ctx),
    ).toEqual({
      name: 'LINK',
      node: 'gw1',
      description: 'link a|b down| c ',
      raisedAt: RAISED_AT,
      resumedAt: null,
      recordedAt: RECORDED_AT,
    });
  });

  it('keeps empty pieces of a description with "|"', () => {
    expect(
      parseSystemAlarm(['S1', 'N', 'n1', 'a', '', 'b', RAISED, RESUMED, RECORDED], ctx).description,
    ).toBe('a||b');
  });

  it('accepts an empty description', () => {
    expect(parseSystemAlarm(['S1', 'N', 'n1', '', RAISED, '', RECORDED], ctx).description).toBe('');
  });

  it('cuts the description to 1024 characters', () => {
    const r = parseSystemAlarm(['S1', 'N', 'n1', 'd'.repeat(2000), RAISED, '', RECORDED], ctx);
    expect(r.description).toBe('d'.repeat(1024));
  });

  it('accepts a resume time equal to the alarm time', () => {
    expect(parseSystemAlarm(['S1', 'N', 'n1', '', RAISED, RAISED, RECORDED], ctx)).toMatchObject({
      raisedAt: RAISED_AT,
      resumedAt: RAISED_AT,
    });
  });

  it('rejects a resume time before the alarm time', () => {
    expect(errorOf(['S1', 'N', 'n1', 'd', RESUMED, RAISED, RECORDED])).toBe(
      'alarm_resume_time is before alarm_time',
    );
  });

  it('reads the times in the site zone and in every supported layout', () => {
    expect(
      parseSystemAlarm(
        ['S1', 'N', 'n1', 'd', '20261125080000', '2026-11-25T00:20:00Z', '1795566600'],
        ctx,
      ),
    ).toMatchObject({ raisedAt: RAISED_AT, resumedAt: RESUMED_AT, recordedAt: RECORDED_AT });
  });

  it('needs at least 7 fields', () => {
    expect(errorOf(['S1', 'N', 'n1', RAISED, '', RECORDED])).toBe('expected 7 fields, found 6');
    expect(errorOf([])).toBe('expected 7 fields, found 0');
  });

  it('rejects a line of another site', () => {
    expect(errorOf(['S2', 'N', 'n1', 'd', RAISED, '', RECORDED])).toBe(
      'site_id "S2" does not belong to site "S1"',
    );
  });

  it('rejects an empty or overlong alarm name and node', () => {
    expect(errorOf(['S1', '', 'n1', 'd', RAISED, '', RECORDED])).toBe(
      'alarm_name is empty or longer than 128 characters',
    );
    expect(errorOf(['S1', 'a'.repeat(129), 'n1', 'd', RAISED, '', RECORDED])).toBe(
      'alarm_name is empty or longer than 128 characters',
    );
    expect(errorOf(['S1', 'N', '', 'd', RAISED, '', RECORDED])).toBe(
      'alarm_node is empty or longer than 128 characters',
    );
    expect(errorOf(['S1', 'N', 'n'.repeat(129), 'd', RAISED, '', RECORDED])).toBe(
      'alarm_node is empty or longer than 128 characters',
    );
    expect(
      parseSystemAlarm(['S1', 'a'.repeat(128), 'n'.repeat(128), 'd', RAISED, '', RECORDED], ctx),
    ).toMatchObject({ name: 'a'.repeat(128), node: 'n'.repeat(128) });
  });

  it('names each bad time field', () => {
    expect(errorOf(['S1', 'N', 'n1', 'd', 'soon', '', RECORDED])).toBe(
      'alarm_time "soon" is not a time (expected YYYY-mm-dd HH:MM:SS)',
    );
    expect(errorOf(['S1', 'N', 'n1', 'd', '', '', RECORDED])).toBe('alarm_time is empty');
    expect(errorOf(['S1', 'N', 'n1', 'd', RAISED, 'later', RECORDED])).toBe(
      'alarm_resume_time "later" is not a time (expected YYYY-mm-dd HH:MM:SS)',
    );
    expect(errorOf(['S1', 'N', 'n1', 'd', RAISED, '2026-11-31 00:00:00', RECORDED])).toBe(
      'alarm_resume_time is not a real date and time',
    );
    expect(errorOf(['S1', 'N', 'n1', 'd', RAISED, '', 'x'])).toBe(
      'record_time "x" is not a time (expected YYYY-mm-dd HH:MM:SS)',
    );
    expect(errorOf(['S1', 'N', 'n1', 'd', RAISED, '', ''])).toBe('record_time is empty');
  });
});
