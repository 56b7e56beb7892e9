// Unit tests for the site-file field parsers: times, percentages, byte amounts, counts and LineError.
import {
  LineError,
  clip,
  createTimeParser,
  parseBytes,
  parseCount,
  parsePercent,
  parseTime,
} from '../../src/ingest/values';

const SH = 'Asia/Shanghai';
/** 2026-11-25 08:30:00 in Shanghai (UTC+8). */
const T0 = Date.UTC(2026, 10, 25, 0, 30, 0);

function lineError(fn: () => unknown): LineError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LineError) return e;
    throw new Error(`expected a LineError, got ${String(e)}`);
  }
  throw new Error('expected a LineError, nothing was thrown');
}

describe('LineError', () => {
  it('is an Error with the stable code LINE_INVALID and the given message', () => {
    const e = new LineError('bad line');
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(LineError);
    expect(e.code).toBe('LINE_INVALID');
    expect(e.message).toBe('bad line');
  });
});

describe('clip', () => {
  it('keeps strings of up to 40 characters and cuts longer ones with an ellipsis', () => {
    expect(clip('a'.repeat(40))).toBe('a'.repeat(40));
    expect(clip('a'.repeat(41))).toBe(`${'a'.repeat(40)}…`);
    expect(clip('abcdef', 3)).toBe('abc…');
  });

  it('shows control and bidirectional characters as escapes, after cutting', () => {
    expect(clip('a\u0000b\u202ec\u009f\t')).toBe('a\\u0000b\\u202ec\\u009f\\u0009');
    expect(clip('\u0007'.repeat(41))).toBe(`${'\\u0007'.repeat(40)}…`);
    expect(clip('数据库 ok')).toBe('数据库 ok');
  });
});

describe('parseTime', () => {
  describe('zone-less layouts are read in the given zone', () => {
    it.each([
      ['2026-11-25 08:30:00'],
      ['2026/11/25 08:30:00'],
      ['2026-11-25T08:30:00'],
      ['2026-11-25 08:30'],
      ['2026/11/25T08:30'],
      ['20261125083000'],
      ['  2026-11-25 08:30:00  '],
    ])('%p', (raw) => {
      expect(parseTime(raw, SH, 'record_time')).toBe(T0);
    });

    it('accepts one-digit month, day and hour', () => {
      expect(parseTime('2026-1-5 8:05:09', SH, 'record_time')).toBe(Date.UTC(2026, 0, 5, 0, 5, 9));
    });

    it('keeps fractional seconds as milliseconds, rounded', () => {
      expect(parseTime('2026-11-25 08:30:00.5', SH, 't')).toBe(T0 + 500);
      expect(parseTime('2026-11-25 08:30:00.123', SH, 't')).toBe(T0 + 123);
      expect(parseTime('2026-11-25 08:30:00.123456', SH, 't')).toBe(T0 + 123);
      expect(parseTime('2026-11-25 08:30:00.9996', SH, 't')).toBe(T0 + 1000);
    });

    it('uses the zone passed in', () => {
      const raw = '2026-07-01 12:00:00';
      expect(parseTime(raw, 'UTC', 't')).toBe(Date.UTC(2026, 6, 1, 12));
      expect(parseTime(raw, 'Europe/Berlin', 't')).toBe(Date.UTC(2026, 6, 1, 10));
      expect(parseTime(raw, 'America/New_York', 't')).toBe(Date.UTC(2026, 6, 1, 16));
      expect(parseTime(raw, 'Asia/Kolkata', 't')).toBe(Date.UTC(2026, 6, 1, 6, 30));
      expect(parseTime('2026-01-15 12:00:00', 'Europe/Berlin', 't')).toBe(
        Date.UTC(2026, 0, 15, 11),
      );
    });

    it('accepts 29 February in a leap year', () => {
      expect(parseTime('2028-02-29 00:00:00', 'UTC', 't')).toBe(Date.UTC(2028, 1, 29));
    });
  });

  describe('ISO 8601 with a zone ignores the site zone', () => {
    it.each([
      ['2026-11-25T08:30:00+08:00'],
      ['2026-11-25T08:30:00+0800'],
      ['2026-11-25T00:30:00Z'],
      ['2026-11-25T08:30+08:00'],
      ['2026-11-24T19:30:00-05:00'],
      ['2026-11-24T19:30:00-0500'],
    ])('%p', (raw) => {
      expect(parseTime(raw, 'America/New_York', 'record_time')).toBe(T0);
    });

    it('keeps milliseconds', () => {
      expect(parseTime('2026-11-25T00:30:00.250Z', SH, 't')).toBe(T0 + 250);
    });
  });

  it('reads 10-digit epoch seconds', () => {
    expect(parseTime('1795566600', SH, 't')).toBe(T0);
    expect(parseTime('1795566600', 'America/New_York', 't')).toBe(T0);
    expect(parseTime('0000000000', 'UTC', 't')).toBe(0);
  });

  describe('rejections', () => {
    it.each([
      ['2026-02-30 10:00:00'],
      ['2026-02-29 10:00:00'],
      ['2026-13-01 00:00:00'],
      ['2026-00-10 00:00:00'],
      ['2026-11-00 00:00:00'],
      ['2026-11-31 00:00:00'],
      ['2026-11-25 24:00:00'],
      ['2026-11-25 23:60:00'],
      ['2026-11-25 23:59:60'],
      ['20260230100000'],
      ['20261125250000'],
    ])('%p is not a real date and time', (raw) => {
      const e = lineError(() => parseTime(raw, SH, 'record_time'));
      expect(e.message).toBe('record_time is not a real date and time');
    });

    it('rejects an impossible calendar date written in ISO 8601 with a zone', () => {
      // The zone-less form of the same date is rejected; the zoned form must not roll over to 2 March.
      expect(() => parseTime('2026-02-30T10:00:00Z', SH, 'record_time')).toThrow(LineError);
    });

    it('reports an empty field', () => {
      expect(lineError(() => parseTime('', SH, 'alarm_time')).message).toBe('alarm_time is empty');
      expect(lineError(() => parseTime('   ', SH, 'alarm_time')).message).toBe(
        'alarm_time is empty',
      );
    });

    it.each([['yesterday'], ['1764030600000'], ['176403060'], ['2026-11-25'], ['08:30:00']])(
      '%p is not a time',
      (raw) => {
        expect(lineError(() => parseTime(raw, SH, 'record_time')).message).toBe(
          `record_time "${raw}" is not a time (expected YYYY-mm-dd HH:MM:SS)`,
        );
      },
    );

    it('clips a long bad value to 40 characters in the message', () => {
      const raw = 'x'.repeat(50);
      expect(lineError(() => parseTime(raw, SH, 'record_time')).message).toBe(
        `record_time "${'x'.repeat(40)}…" is not a time (expected YYYY-mm-dd HH:MM:SS)`,
      );
    });
  });
});

describe('createTimeParser', () => {
  it('parses in the zone it was created for', () => {
    const sh = createTimeParser(SH);
    const utc = createTimeParser('UTC');
    expect(sh('2026-11-25 08:30:00', 'record_time')).toBe(T0);
    expect(utc('2026-11-25 08:30:00', 'record_time')).toBe(Date.UTC(2026, 10, 25, 8, 30));
  });

  it('returns the same answer for a repeated value', () => {
    const p = createTimeParser(SH);
    expect(p('2026-11-25 08:30:00', 'record_time')).toBe(T0);
    expect(p('2026-11-25 08:30:00', 'alarm_time')).toBe(T0);
    expect(p('20261125083000', 'record_time')).toBe(T0);
  });

  it('throws for a bad value every time, naming the field of each call', () => {
    const p = createTimeParser(SH);
    expect(lineError(() => p('nope', 'alarm_time')).message).toBe(
      'alarm_time "nope" is not a time (expected YYYY-mm-dd HH:MM:SS)',
    );
    expect(lineError(() => p('nope', 'record_time')).message).toBe(
      'record_time "nope" is not a time (expected YYYY-mm-dd HH:MM:SS)',
    );
  });

  it('stays correct after its cache has been cleared', () => {
    const p = createTimeParser(SH);
    for (let i = 0; i < 20_010; i++) {
      expect(p(String(1_700_000_000 + i), 't')).toBe((1_700_000_000 + i) * 1000);
    }
    expect(p('2026-11-25 08:30:00', 't')).toBe(T0);
    expect(p('1700000000', 't')).toBe(1_700_000_000_000);
  });
});

describe('parsePercent', () => {
  it.each([
    ['12.5', 12.5],
    ['12.5%', 12.5],
    [' 12.5 % ', 12.5],
    ['0', 0],
    ['100', 100],
    ['100%', 100],
    ['.5', 0.5],
    ['5.', 5],
    ['+7', 7],
    ['100.01', 100],
    ['100.5', 100],
  ])('%p -> %p', (raw, v) => {
    expect(parsePercent(raw, 'user_use')).toBe(v);
  });

  it.each([
    ['100.6', '100.6'],
    ['101%', '101'],
    ['-1', '-1'],
    ['-0.5%', '-0.5'],
  ])('%p is outside 0–100%%', (raw, shown) => {
    expect(lineError(() => parsePercent(raw, 'idle')).message).toBe(
      `idle ${shown} is outside 0–100%`,
    );
  });

  it.each([['abc'], [''], ['12 MB'], ['12M'], ['1e2'], ['%'], ['12,5']])(
    '%p is not a percentage',
    (raw) => {
      expect(lineError(() => parsePercent(raw, 'sys_use')).message).toBe(
        `sys_use "${raw}" is not a percentage`,
      );
    },
  );
});

describe('parseBytes', () => {
  it('reads a bare number in the configured unit', () => {
    expect(parseBytes('512', 'B', 'mem_use')).toBe(512);
    expect(parseBytes('512', 'K', 'mem_use')).toBe(524_288);
    expect(parseBytes('512', 'M', 'mem_use')).toBe(536_870_912);
    expect(parseBytes('2', 'G', 'mem_use')).toBe(2_147_483_648);
    expect(parseBytes('1', 'T', 'mem_use')).toBe(1_099_511_627_776);
    expect(parseBytes('0', 'M', 'mem_use')).toBe(0);
  });

  it('rounds fractional amounts to whole bytes', () => {
    expect(parseBytes('10.5', 'M', 'mem_use')).toBe(11_010_048);
    expect(parseBytes('1.5', 'K', 'mem_use')).toBe(1536);
    expect(parseBytes('0.4', 'B', 'mem_use')).toBe(0);
    expect(parseBytes('0.6', 'B', 'mem_use')).toBe(1);
  });

  it.each([
    ['100K', 102_400],
    ['100KB', 102_400],
    ['100KiB', 102_400],
    ['100kib', 102_400],
    ['100 k', 102_400],
    ['1.5G', 1_610_612_736],
    ['1.5 GB', 1_610_612_736],
    ['1.5GiB', 1_610_612_736],
    ['1.5gb', 1_610_612_736],
    ['3M', 3_145_728],
    ['3MB', 3_145_728],
    ['2T', 2_199_023_255_552],
    ['1P', 1_125_899_906_842_624],
    ['10B', 10],
    ['10b', 10],
  ])('suffix %p overrides the bare unit -> %p', (raw, v) => {
    expect(parseBytes(raw, 'M', 'disk_used')).toBe(v);
  });

  it('rejects a percentage', () => {
    expect(lineError(() => parseBytes('50%', 'M', 'mem_use')).message).toBe(
      'mem_use "50%" is a percentage, expected an amount',
    );
  });

  it.each([['10X'], ['10MBX'], ['10KK'], ['10 bytes']])('%p has an unknown unit', (raw) => {
    expect(lineError(() => parseBytes(raw, 'M', 'mem_free')).message).toBe(
      `mem_free "${raw}" has an unknown unit`,
    );
  });

  it('rejects negative amounts, showing the number', () => {
    expect(lineError(() => parseBytes('-5', 'M', 'mem_buffer')).message).toBe(
      'mem_buffer -5 is negative',
    );
    expect(lineError(() => parseBytes('-1.5G', 'M', 'mem_buffer')).message).toBe(
      'mem_buffer -1.5 is negative',
    );
  });

  it.each([['abc'], [''], ['1,024'], ['G'], ['1.2.3']])('%p is not an amount', (raw) => {
    expect(lineError(() => parseBytes(raw, 'M', 'mem_total')).message).toBe(
      `mem_total "${raw}" is not an amount`,
    );
  });
});

describe('parseCount', () => {
  it.each([
    ['1234', 1234],
    [' 42 ', 42],
    ['0', 0],
    ['1,234,567', 1_234_567],
    ['1.5K', 1500],
    ['2k', 2000],
    ['3M', 3_000_000],
    ['1G', 1_000_000_000],
    ['1T', 1_000_000_000_000],
    ['2万', 20_000],
    ['1.5万', 15_000],
    ['2 万', 20_000],
    ['2.5W', 25_000],
    ['3w', 30_000],
    ['1.4', 1],
    ['9007199254740991', 9_007_199_254_740_991],
  ])('%p -> %p', (raw, v) => {
    expect(parseCount(raw, 'call_times')).toBe(v);
  });

  it.each([['abc'], [''], ['5%'], ['5X'], ['5KB'], ['万'], ['1e5']])('%p is not a count', (raw) => {
    expect(lineError(() => parseCount(raw, 'call_times')).message).toBe(
      `call_times "${raw}" is not a count`,
    );
  });

  it('rejects negative counts, showing the value', () => {
    expect(lineError(() => parseCount('-3', 'sub_users')).message).toBe('sub_users -3 is negative');
    expect(lineError(() => parseCount('-1.5K', 'sub_users')).message).toBe(
      'sub_users -1500 is negative',
    );
  });

  it('rejects counts beyond the safe integer range', () => {
    expect(lineError(() => parseCount('9007199254740993', 'mt_times')).message).toBe(
      'mt_times is too large',
    );
    expect(lineError(() => parseCount('10000T', 'mt_times')).message).toBe('mt_times is too large');
  });
});
