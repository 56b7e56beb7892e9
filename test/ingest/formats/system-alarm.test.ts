// Unit tests for parseSystemAlarm: fields, descriptions containing '|', resume times and each error text.
import { LineError, createTimeParser } from '../../../src/ingest/values';
import type { ParseContext } from '../../../src/ingest/formats/types';
import { parseSystemAlarm, systemAlarm } from '../../../src/ingest/formats/system-alarm';
import { forFileDay } from '../../../src/ingest/plausible';

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

function errorOf(f: string[], c: ParseContext = ctx): string {
  try {
    parseSystemAlarm(f, c);
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
  describe('control and bidirectional characters', () => {
    it('quarantines them in the alarm name and node, naming the field', () => {
      expect(errorOf(['S1', 'DISK\u0000FULL', 'n1', 'd', RAISED, '', RECORDED])).toBe(
        'alarm_name contains a control character (U+0000)',
      );
      expect(errorOf(['S1', 'N', 'db\u202e1', 'd', RAISED, '', RECORDED])).toBe(
        'alarm_node contains a bidirectional control character (U+202E)',
      );
      expect(errorOf(['S1', 'N', 'db\u00071', 'd', RAISED, '', RECORDED])).toBe(
        'alarm_node contains a control character (U+0007)',
      );
      expect(errorOf(['S\u200e1', 'N', 'n1', 'd', RAISED, '', RECORDED])).toBe(
        'site_id contains a bidirectional control character (U+200E)',
      );
    });

    it.each([['0000'], ['0007'], ['001B'], ['007F'], ['009B']])(
      'quarantines U+%s in the description',
      (code) => {
        const ch = String.fromCharCode(parseInt(code, 16));
        expect(errorOf(['S1', 'N', 'n1', `disk${ch} full`, RAISED, '', RECORDED])).toBe(
          `alarm_desc contains a control character (U+${code})`,
        );
      },
    );

    it('keeps a printable description: tabs, Chinese, right-to-left text and "|" pieces', () => {
      const desc = ['磁盘\t使用率 95%', ' עברית \u200f', ''];
      expect(
        parseSystemAlarm(['S1', 'N', 'n1', ...desc, RAISED, '', RECORDED], ctx).description,
      ).toBe('磁盘\t使用率 95%| עברית \u200f|');
      expect(errorOf(['S1', 'N', 'n1', 'a', 'b\u0000', RAISED, '', RECORDED])).toBe(
        'alarm_desc contains a control character (U+0000)',
      );
    });
  });

  describe('times against the file day', () => {
    const inFile = forFileDay(ctx, '20261125');
    const WINDOW = "2026-11-24 00:00 – 2026-11-27 00:00 (Asia/Shanghai), the file's day ±1 day";

    it('quarantines an alarm, resume or record time outside the window, naming the field', () => {
      expect(errorOf(['S1', 'N', 'n1', 'd', '9999-12-31 23:59:59', '', RECORDED], inFile)).toBe(
        `alarm_time 9999-12-31 23:59:59 is outside ${WINDOW}`,
      );
      expect(errorOf(['S1', 'N', 'n1', 'd', '0001-01-01 00:00:00', '', RECORDED], inFile)).toBe(
        'alarm_time 0001-01-01 00:00:00 is before 2000-01-01 00:00 (Asia/Shanghai): no alarm is that old',
      );
      expect(errorOf(['S1', 'N', 'n1', 'd', RAISED, '9999-12-31 00:00:00', RECORDED], inFile)).toBe(
        `alarm_resume_time 9999-12-31 00:00:00 is outside ${WINDOW}`,
      );
      expect(errorOf(['S1', 'N', 'n1', 'd', RAISED, '', '2026-11-27 00:00:00'], inFile)).toBe(
        `record_time 2026-11-27 00:00:00 is outside ${WINDOW}`,
      );
    });

    it('accepts an alarm raised long before the file day (still open, listed again), and still orders them', () => {
      expect(
        parseSystemAlarm(['S1', 'N', 'n1', 'd', '2026-11-24 23:00:00', RESUMED, RECORDED], inFile),
      ).toMatchObject({ raisedAt: Date.UTC(2026, 10, 24, 15), resumedAt: RESUMED_AT });
      expect(errorOf(['S1', 'N', 'n1', 'd', RESUMED, RAISED, RECORDED], inFile)).toBe(
        'alarm_resume_time is before alarm_time',
      );
      expect(
        parseSystemAlarm(['S1', 'N', 'n1', 'd', '2026-09-01 08:00:00', RESUMED, RECORDED], inFile),
      ).toMatchObject({ raisedAt: Date.UTC(2026, 8, 1, 0), resumedAt: RESUMED_AT });
      expect(
        parseSystemAlarm(['S1', 'N', 'n1', 'd', '2000-01-01 00:00:00', '', RECORDED], inFile),
      ).toMatchObject({ raisedAt: Date.UTC(1999, 11, 31, 16), resumedAt: null });
      expect(errorOf(['S1', 'N', 'n1', 'd', '1999-12-31 23:59:59', '', RECORDED], inFile)).toBe(
        'alarm_time 1999-12-31 23:59:59 is before 2000-01-01 00:00 (Asia/Shanghai): no alarm is that old',
      );
    });
  });
});
