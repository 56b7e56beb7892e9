// Tests of the capacity forecast: Theil–Sen trends of hourly use, fill times, saw-teeth, spikes, too little history and memory growth.
import {
  DAY,
  HOUR,
  type UsagePoint,
  forecastFull,
  forecastGrowth,
  largestDrop,
} from '../../src/alarms/forecast';

/** 2026-12-06 12:00 UTC. */
const NOW = Date.UTC(2026, 11, 6, 12);
const LEVELS = { levels: [90, 100] };

/** One point an hour over the `hours` up to NOW (the newest at NOW), use `f(h)` with h hours before NOW. */
function hourly(hours: number, f: (h: number) => number): UsagePoint[] {
  const out: UsagePoint[] = [];
  for (let h = hours - 1; h >= 0; h--) out.push({ at: NOW - h * HOUR, pct: f(h) });
  return out;
}

/** A daily saw-tooth: 60 % just after each cleanup (13:00), 80 % at 12:00 just before the next. */
const tooth = (h: number) => 60 + ((23 - (h % 24)) * 20) / 23;

describe('forecastFull', () => {
  it('never fills a flat series', () => {
    expect(
      forecastFull(
        hourly(168, () => 55),
        NOW,
        LEVELS,
      ),
    ).toEqual({
      levels: [
        { level: 90, at: 'never' },
        { level: 100, at: 'never' },
      ],
      slopePerDay: 0,
      current: 55,
      fitted: 55,
    });
  });

  it('never fills a falling series', () => {
    const f = forecastFull(
      hourly(168, (h) => 40 + h * 0.125),
      NOW,
      LEVELS,
    );
    expect(f).toEqual({
      levels: [
        { level: 90, at: 'never' },
        { level: 100, at: 'never' },
      ],
      slopePerDay: -3,
      current: 40,
      fitted: 40,
    });
  });

  it('gives the exact instant of a steady fill', () => {
    // 6 points a day, 80 % now: 90 % in 40 hours, 100 % in 80.
    expect(
      forecastFull(
        hourly(168, (h) => 80 - h * 0.25),
        NOW,
        LEVELS,
      ),
    ).toEqual({
      levels: [
        { level: 90, at: NOW + 40 * HOUR },
        { level: 100, at: NOW + 80 * HOUR },
      ],
      slopePerDay: 6,
      current: 80,
      fitted: 80,
    });
  });

  it('says now for a level already reached, and never for one past the horizon', () => {
    const f = forecastFull(
      hourly(168, (h) => 95 - h * 0.125),
      NOW,
      LEVELS,
    );
    expect(f?.levels).toEqual([
      { level: 90, at: NOW },
      { level: 100, at: NOW + 40 * HOUR },
    ]);
    // 1 point a day from 70 %: 100 % in 30 days is within the 30-day horizon, 31 days is not.
    const slow = (start: number) =>
      forecastFull(
        hourly(168, (h) => start - h / 24),
        NOW,
        { levels: [100] },
      )?.levels;
    expect(slow(70)).toEqual([{ level: 100, at: NOW + 30 * DAY }]);
    expect(slow(69)).toEqual([{ level: 100, at: 'never' }]);
  });

  it('sees a saw-tooth whose cleanups keep it flat as flat', () => {
    const f = forecastFull(hourly(168, tooth), NOW, LEVELS);
    expect(f).toEqual({
      levels: [
        { level: 90, at: 'never' },
        { level: 100, at: 'never' },
      ],
      slopePerDay: 0,
      current: 80,
      fitted: 70,
    });
  });

  it('fills a saw-tooth whose cleanups leave more each day', () => {
    // The same teeth, 4 points a day higher each day: the trend is the 4 points a day.
    const f = forecastFull(
      hourly(168, (h) => tooth(h) + 4 * (1 - h / 24)),
      NOW,
      LEVELS,
    );
    expect(f?.slopePerDay).toBeCloseTo(4, 9);
    expect(f?.fitted).toBeCloseTo(74, 9);
    // 74 % at 4 points a day: 90 % in 4 days, 100 % in 6.5.
    const at = f!.levels.map((l) => l.at as number);
    expect(at[0] - NOW).toBeCloseTo(4 * DAY, -1);
    expect(at[1] - NOW).toBeCloseTo(6.5 * DAY, -1);
  });

  it('is not moved by a single spike', () => {
    const steady = hourly(168, (h) => 80 - h * 0.25);
    const spiked = steady.map((p, i) => (i === 100 ? { ...p, pct: 100 } : p));
    expect(forecastFull(spiked, NOW, LEVELS)).toEqual(forecastFull(steady, NOW, LEVELS));
    expect(forecastFull(spiked, NOW, LEVELS)?.levels[1]).toEqual({
      level: 100,
      at: NOW + 80 * HOUR,
    });
  });

  it('gives no forecast without enough history', () => {
    const rising = (h: number) => 80 - h * 0.25;
    // Under 24 hours spanned, under 12 points, nothing recent, nothing in the window.
    expect(forecastFull(hourly(24, rising), NOW, LEVELS)).toBeNull();
    const sparse = hourly(168, rising).filter((_, i) => i % 16 === 7);
    expect(sparse).toHaveLength(11);
    expect(forecastFull(sparse, NOW, LEVELS)).toBeNull();
    const silent = hourly(168, rising).slice(0, 160);
    expect(forecastFull(silent, NOW, LEVELS)).toBeNull();
    expect(forecastFull([], NOW, LEVELS)).toBeNull();
    const old = hourly(48, rising).map((p) => ({ ...p, at: p.at - 8 * DAY }));
    expect(forecastFull(old, NOW, LEVELS)).toBeNull();
  });

  it('forecasts a new server once it has a day of history, from that day alone', () => {
    const rising = (h: number) => 80 - h * 0.25;
    expect(forecastFull(hourly(25, rising), NOW, LEVELS)?.levels).toEqual([
      { level: 90, at: NOW + 40 * HOUR },
      { level: 100, at: NOW + 80 * HOUR },
    ]);
    // Points older than the window do not count.
    const withOld = [{ at: NOW - 8 * DAY, pct: 0 }, ...hourly(25, rising)];
    expect(forecastFull(withOld, NOW, LEVELS)).toEqual(
      forecastFull(hourly(25, rising), NOW, LEVELS),
    );
  });
});

describe('memory growth', () => {
  it('measures the largest fall from an earlier high', () => {
    expect(largestDrop([])).toBe(0);
    expect(
      largestDrop([
        { at: 3, pct: 70 },
        { at: 1, pct: 60 },
        { at: 2, pct: 75 },
        { at: 4, pct: 72 },
      ]),
    ).toBe(5);
  });

  it('forecasts memory that grows without falling back', () => {
    const f = forecastGrowth(
      hourly(168, (h) => 70 - h * 0.125),
      NOW,
      { levels: [100] },
    );
    expect(f).toEqual({
      levels: [{ level: 100, at: NOW + 240 * HOUR }],
      slopePerDay: 3,
      current: 70,
      fitted: 70,
    });
  });

  it('sees no growth in memory that falls back, stays flat or falls', () => {
    // Up 3 points a day, but given back by 4 points once: no leak.
    const back = hourly(168, (h) => 70 - h * 0.125 - (h === 50 ? 4 : 0));
    expect(forecastGrowth(back, NOW, { levels: [100] })).toBeNull();
    // A fall of 3 points is within the default allowance.
    const wobble = hourly(168, (h) => 70 - h * 0.125 - (h === 50 ? 3 : 0));
    expect(forecastGrowth(wobble, NOW, { levels: [100] })?.slopePerDay).toBe(3);
    expect(
      forecastGrowth(
        hourly(168, () => 80),
        NOW,
        { levels: [100] },
      ),
    ).toBeNull();
    expect(
      forecastGrowth(
        hourly(168, (h) => 40 + h * 0.01),
        NOW,
        { levels: [100] },
      ),
    ).toBeNull();
    expect(
      forecastGrowth(
        hourly(12, (h) => 70 - h),
        NOW,
        { levels: [100] },
      ),
    ).toBeNull();
  });
});
