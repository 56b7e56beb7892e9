// Unit tests for site-local time helpers: wall clocks, zone offsets, DST, day keys and day arithmetic.
import { count } from '../src/present/format';
import {
  addDays,
  dayKey,
  formatInstant,
  fromWallClock,
  isDayKey,
  isoDay,
  startOfDay,
  wallClock,
  zoneOffset,
  type WallClock,
} from '../src/time';

const H = 3_600_000;
const wc = (
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): WallClock => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('wallClock', () => {
  it('shows the local time in the zone', () => {
    const t = Date.UTC(2026, 10, 24, 16, 30, 5);
    expect(wallClock(t, 'Asia/Shanghai')).toEqual(wc(2026, 11, 25, 0, 30, 5));
    expect(wallClock(t, 'UTC')).toEqual(wc(2026, 11, 24, 16, 30, 5));
    expect(wallClock(t, 'America/New_York')).toEqual(wc(2026, 11, 24, 11, 30, 5));
    expect(wallClock(t, 'Asia/Kolkata')).toEqual(wc(2026, 11, 24, 22, 0, 5));
  });

  it('writes midnight as hour 0, not 24', () => {
    expect(wallClock(Date.UTC(2026, 0, 1, 16), 'Asia/Shanghai')).toEqual(wc(2026, 1, 2, 0, 0, 0));
    expect(wallClock(Date.UTC(2026, 0, 1), 'UTC')).toEqual(wc(2026, 1, 1, 0, 0, 0));
  });

  it('crosses the year end', () => {
    expect(wallClock(Date.UTC(2026, 11, 31, 23, 59, 59), 'UTC')).toEqual(
      wc(2026, 12, 31, 23, 59, 59),
    );
    expect(wallClock(Date.UTC(2026, 11, 31, 16), 'Asia/Shanghai')).toEqual(wc(2027, 1, 1));
  });

  it('follows the Berlin DST changes', () => {
    expect(wallClock(Date.UTC(2026, 2, 29, 0, 59, 59), 'Europe/Berlin')).toEqual(
      wc(2026, 3, 29, 1, 59, 59),
    );
    expect(wallClock(Date.UTC(2026, 2, 29, 1), 'Europe/Berlin')).toEqual(wc(2026, 3, 29, 3));
    expect(wallClock(Date.UTC(2026, 9, 25, 0, 30), 'Europe/Berlin')).toEqual(
      wc(2026, 10, 25, 2, 30),
    );
    expect(wallClock(Date.UTC(2026, 9, 25, 1, 30), 'Europe/Berlin')).toEqual(
      wc(2026, 10, 25, 2, 30),
    );
  });
});

describe('zoneOffset', () => {
  it('gives fixed offsets', () => {
    const t = Date.UTC(2026, 10, 25, 12);
    expect(zoneOffset(t, 'Asia/Shanghai')).toBe(8 * H);
    expect(zoneOffset(t, 'UTC')).toBe(0);
    expect(zoneOffset(t, 'Asia/Kolkata')).toBe(5.5 * H);
    expect(zoneOffset(t, 'Asia/Kathmandu')).toBe(5.75 * H);
  });

  it('ignores the milliseconds of the instant', () => {
    expect(zoneOffset(Date.UTC(2026, 10, 25, 12) + 999, 'Asia/Shanghai')).toBe(8 * H);
    expect(zoneOffset(Date.UTC(2026, 10, 25, 12) + 1, 'UTC')).toBe(0);
  });

  it('works for instants before 1970', () => {
    expect(zoneOffset(-1, 'UTC')).toBe(0);
    expect(zoneOffset(-1, 'Asia/Kolkata')).toBe(5.5 * H);
  });

  it('switches exactly at the Berlin DST changes', () => {
    expect(zoneOffset(Date.UTC(2026, 0, 15), 'Europe/Berlin')).toBe(H);
    expect(zoneOffset(Date.UTC(2026, 6, 15), 'Europe/Berlin')).toBe(2 * H);
    expect(zoneOffset(Date.UTC(2026, 2, 29, 0, 59, 59), 'Europe/Berlin')).toBe(H);
    expect(zoneOffset(Date.UTC(2026, 2, 29, 1), 'Europe/Berlin')).toBe(2 * H);
    expect(zoneOffset(Date.UTC(2026, 9, 25, 0, 59, 59), 'Europe/Berlin')).toBe(2 * H);
    expect(zoneOffset(Date.UTC(2026, 9, 25, 1), 'Europe/Berlin')).toBe(H);
  });

  it('gives negative offsets west of Greenwich', () => {
    expect(zoneOffset(Date.UTC(2026, 0, 15), 'America/New_York')).toBe(-5 * H);
    expect(zoneOffset(Date.UTC(2026, 6, 15), 'America/New_York')).toBe(-4 * H);
  });

  it('keeps zones apart for the same instant (cache per zone)', () => {
    const t = Date.UTC(2026, 5, 1, 3, 7);
    expect(zoneOffset(t, 'Asia/Shanghai')).toBe(8 * H);
    expect(zoneOffset(t, 'Europe/Berlin')).toBe(2 * H);
    expect(zoneOffset(t, 'Asia/Shanghai')).toBe(8 * H);
  });
});

describe('fromWallClock', () => {
  it('turns a Shanghai wall time into its instant', () => {
    expect(fromWallClock(wc(2026, 11, 25, 0, 30), 'Asia/Shanghai')).toBe(
      Date.UTC(2026, 10, 24, 16, 30),
    );
    expect(fromWallClock(wc(2026, 1, 1), 'Asia/Shanghai')).toBe(Date.UTC(2025, 11, 31, 16));
  });

  it('adds the milliseconds argument', () => {
    expect(fromWallClock(wc(2026, 11, 25, 0, 30), 'Asia/Shanghai', 250)).toBe(
      Date.UTC(2026, 10, 24, 16, 30, 0, 250),
    );
  });

  it('handles UTC, fractional and negative offsets', () => {
    expect(fromWallClock(wc(2026, 7, 1, 12), 'UTC')).toBe(Date.UTC(2026, 6, 1, 12));
    expect(fromWallClock(wc(2026, 7, 1, 12), 'Asia/Kolkata')).toBe(Date.UTC(2026, 6, 1, 6, 30));
    expect(fromWallClock(wc(2026, 7, 1, 12), 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 16));
  });

  describe('Europe/Berlin, spring forward on 2026-03-29 (02:00 CET -> 03:00 CEST)', () => {
    const tz = 'Europe/Berlin';
    it.each([
      [wc(2026, 3, 29, 0, 0), Date.UTC(2026, 2, 28, 23, 0)],
      [wc(2026, 3, 29, 1, 0), Date.UTC(2026, 2, 29, 0, 0)],
      [wc(2026, 3, 29, 1, 30), Date.UTC(2026, 2, 29, 0, 30)],
      [wc(2026, 3, 29, 1, 59, 59), Date.UTC(2026, 2, 29, 0, 59, 59)],
      [wc(2026, 3, 29, 3, 0), Date.UTC(2026, 2, 29, 1, 0)],
      [wc(2026, 3, 29, 3, 30), Date.UTC(2026, 2, 29, 1, 30)],
      [wc(2026, 3, 29, 12, 0), Date.UTC(2026, 2, 29, 10, 0)],
      [wc(2026, 3, 30, 0, 0), Date.UTC(2026, 2, 29, 22, 0)],
    ])('%o -> %p', (w, expected) => {
      expect(fromWallClock(w, tz)).toBe(expected);
      expect(wallClock(expected, tz)).toEqual(w);
    });

    it('moves a wall time inside the skipped hour forward by the gap (02:30 -> 03:30 CEST)', () => {
      expect(fromWallClock(wc(2026, 3, 29, 2, 30), tz)).toBe(Date.UTC(2026, 2, 29, 1, 30));
    });
  });

  describe('Europe/Berlin, fall back on 2026-10-25 (03:00 CEST -> 02:00 CET)', () => {
    const tz = 'Europe/Berlin';
    it.each([
      [wc(2026, 10, 25, 0, 0), Date.UTC(2026, 9, 24, 22, 0)],
      [wc(2026, 10, 25, 0, 59), Date.UTC(2026, 9, 24, 22, 59)],
      [wc(2026, 10, 25, 1, 30), Date.UTC(2026, 9, 24, 23, 30)],
      [wc(2026, 10, 25, 3, 0), Date.UTC(2026, 9, 25, 2, 0)],
      [wc(2026, 10, 25, 12, 0), Date.UTC(2026, 9, 25, 11, 0)],
      [wc(2026, 10, 26, 0, 0), Date.UTC(2026, 9, 25, 23, 0)],
    ])('%o -> %p', (w, expected) => {
      expect(fromWallClock(w, tz)).toBe(expected);
      expect(wallClock(expected, tz)).toEqual(w);
    });

    it('resolves a repeated wall time (02:30) to one of its two instants', () => {
      const t = fromWallClock(wc(2026, 10, 25, 2, 30), tz);
      expect([Date.UTC(2026, 9, 25, 0, 30), Date.UTC(2026, 9, 25, 1, 30)]).toContain(t);
      expect(wallClock(t, tz)).toEqual(wc(2026, 10, 25, 2, 30));
    });
  });

  describe('America/New_York, spring forward on 2026-03-08 (02:00 EST -> 03:00 EDT)', () => {
    const tz = 'America/New_York';
    it('maps real wall times on the change day exactly', () => {
      expect(fromWallClock(wc(2026, 3, 8, 1, 59), tz)).toBe(Date.UTC(2026, 2, 8, 6, 59));
      expect(fromWallClock(wc(2026, 3, 8, 3, 0), tz)).toBe(Date.UTC(2026, 2, 8, 7, 0));
      expect(fromWallClock(wc(2026, 3, 8, 3, 30), tz)).toBe(Date.UTC(2026, 2, 8, 7, 30));
    });

    it('moves a wall time inside the skipped hour forward, as it does in Berlin (02:30 -> 03:30 EDT)', () => {
      // Mapping 02:30 back to 01:30 EST would place it before a real 01:45 reading of the same day.
      expect(fromWallClock(wc(2026, 3, 8, 2, 30), tz)).toBe(Date.UTC(2026, 2, 8, 7, 30));
    });
  });
});

describe('dayKey and isoDay', () => {
  it('name the day that contains the instant in the zone', () => {
    const t = Date.UTC(2026, 10, 24, 16, 0);
    expect(dayKey(t, 'Asia/Shanghai')).toBe('20261125');
    expect(isoDay(t, 'Asia/Shanghai')).toBe('2026-11-25');
    expect(dayKey(t, 'UTC')).toBe('20261124');
    expect(isoDay(t, 'UTC')).toBe('2026-11-24');
  });

  it('keep the last millisecond before local midnight in the old day', () => {
    const t = Date.UTC(2026, 10, 24, 15, 59, 59, 999);
    expect(dayKey(t, 'Asia/Shanghai')).toBe('20261124');
    expect(isoDay(t, 'Asia/Shanghai')).toBe('2026-11-24');
  });

  it('pad month and day with zeros', () => {
    const t = Date.UTC(2026, 0, 5, 12);
    expect(dayKey(t, 'UTC')).toBe('20260105');
    expect(isoDay(t, 'UTC')).toBe('2026-01-05');
  });

  it('cross the year end in the local zone', () => {
    const t = Date.UTC(2026, 11, 31, 16, 30);
    expect(dayKey(t, 'Asia/Shanghai')).toBe('20270101');
    expect(isoDay(t, 'UTC')).toBe('2026-12-31');
  });
});

describe('addDays', () => {
  it.each([
    ['20261125', 1, '20261126'],
    ['20261125', 0, '20261125'],
    ['20261125', -1, '20261124'],
    ['20260131', 1, '20260201'],
    ['20260430', 1, '20260501'],
    ['20260301', -1, '20260228'],
    ['20261231', 1, '20270101'],
    ['20270101', -1, '20261231'],
    ['20260228', 1, '20260301'],
    ['20280228', 1, '20280229'],
    ['20280229', 1, '20280301'],
    ['20280301', -1, '20280229'],
    ['20260101', 365, '20270101'],
    ['20280101', 366, '20290101'],
    ['20260115', -30, '20251216'],
    ['2026-01-31', 1, '2026-02-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2028-03-01', -1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-11-25', 0, '2026-11-25'],
  ])('%p %p -> %p', (day, n, expected) => {
    expect(addDays(day, n)).toBe(expected);
  });
});

describe('startOfDay', () => {
  it('gives local midnight in Shanghai', () => {
    expect(startOfDay('20261125', 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 24, 16));
    expect(startOfDay('20270101', 'Asia/Shanghai')).toBe(Date.UTC(2026, 11, 31, 16));
  });

  it('gives midnight UTC in UTC', () => {
    expect(startOfDay('20280229', 'UTC')).toBe(Date.UTC(2028, 1, 29));
  });

  it('makes the Berlin change days 23 and 25 hours long', () => {
    const tz = 'Europe/Berlin';
    expect(startOfDay('20260329', tz)).toBe(Date.UTC(2026, 2, 28, 23));
    expect(startOfDay('20260330', tz)).toBe(Date.UTC(2026, 2, 29, 22));
    expect(startOfDay('20260330', tz) - startOfDay('20260329', tz)).toBe(23 * H);
    expect(startOfDay('20261025', tz)).toBe(Date.UTC(2026, 9, 24, 22));
    expect(startOfDay('20261026', tz)).toBe(Date.UTC(2026, 9, 25, 23));
    expect(startOfDay('20261026', tz) - startOfDay('20261025', tz)).toBe(25 * H);
  });

  it('is the first instant of the day where local midnight does not exist (America/Santiago, 2026-09-06)', () => {
    // Chile moves its clocks from 00:00 (-04) to 01:00 (-03): the day starts at 01:00 -03 = 04:00Z.
    const t = startOfDay('20260906', 'America/Santiago');
    expect(dayKey(t, 'America/Santiago')).toBe('20260906');
    expect(t).toBe(Date.UTC(2026, 8, 6, 4));
  });

  it('round-trips through dayKey', () => {
    for (const tz of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC']) {
      for (const day of ['20260101', '20260329', '20261025', '20261231', '20280229']) {
        expect(dayKey(startOfDay(day, tz), tz)).toBe(day);
        expect(dayKey(startOfDay(day, tz) - 1, tz)).toBe(addDays(day, -1));
      }
    }
  });
});

describe('isDayKey', () => {
  it.each([['20261125'], ['20261231'], ['20280229'], ['20260101']])('%p is a day', (s) => {
    expect(isDayKey(s)).toBe(true);
  });

  it.each([
    ['20260229'],
    ['20261301'],
    ['20261100'],
    ['20261131'],
    ['20260001'],
    ['2026-11-25'],
    ['2026112'],
    ['202611250'],
    ['abcdefgh'],
    [''],
    [' 20261125'],
  ])('%p is not a day', (s) => {
    expect(isDayKey(s)).toBe(false);
  });
});

describe('formatInstant', () => {
  it('writes the local wall time to the minute', () => {
    expect(formatInstant(Date.UTC(2026, 10, 24, 16, 5, 59), 'Asia/Shanghai')).toBe(
      '2026-11-25 00:05',
    );
    expect(formatInstant(Date.UTC(2026, 0, 2, 3, 4), 'UTC')).toBe('2026-01-02 03:04');
  });
});

describe('formatInstant and count (the fast paths pages use)', () => {
  const intlText = (ms: number, tz: string) => {
    const w = wallClock(ms, tz);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
  };

  it('writes times exactly like Intl does, across DST changes and zones', () => {
    const zones = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'];
    // Every 7 minutes 13 seconds through March 2026 (both DST starts) and around the November end.
    const spans = [
      [Date.UTC(2026, 2, 1), Date.UTC(2026, 3, 1)],
      [Date.UTC(2026, 9, 20), Date.UTC(2026, 10, 5)],
    ];
    for (const tz of zones)
      for (const [a, b] of spans)
        for (let ms = a; ms < b; ms += 433_000)
          if (formatInstant(ms, tz) !== intlText(ms, tz))
            throw new Error(`${tz} ${ms}: ${formatInstant(ms, tz)} ≠ ${intlText(ms, tz)}`);
    expect(formatInstant(Date.UTC(2026, 10, 25, 13, 5), 'Asia/Shanghai')).toBe('2026-11-25 21:05');
  });

  it('writes counts exactly like toLocaleString', () => {
    for (const n of [0, 5, 24, 140, 999, 1_000, 1_234_567, -42])
      expect(count(n)).toBe(n.toLocaleString('en-US', { maximumFractionDigits: 0 }));
  });
});
