// Tests of the business-figure baselines: medians and MADs of a day, and the figures that break them (drops, zeros, total users against opens − closes).
import {
  type FigureSeries,
  baselineOf,
  baselines,
  judgeDay,
  median,
  robustZ,
  seriesOf,
} from '../../src/alarms/kpi-baseline';
import type { BusinessFigures } from '../../src/types/business-figures';
import { addDays } from '../../src/time';
import { figureRows } from './self-checks/fixtures';

/** A Wednesday. */
const WED = '2026-12-02';
const CFG = { kpiZ: 4, kpiChangePercent: 30 };

/** Five weeks before WED and WED itself, the usual figures but for `over`. */
const series = (
  over: Record<string, Partial<BusinessFigures>> = {},
  from = addDays(WED, -35),
): FigureSeries => seriesOf(figureRows(from, WED, over));

describe('median, MAD and the robust z-score', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4132, 3970, 4010, 4092])).toBe(4051);
    expect(baselineOf([4010, 3970, 4092, 4132])).toEqual({ median: 4051, mad: 61, n: 4 });
  });

  it('floors a zero MAD at 1% of the median', () => {
    const b = baselineOf([1000, 1000, 1000]);
    expect(b).toEqual({ median: 1000, mad: 0, n: 3 });
    // 0.6745 · 100 / 10
    expect(robustZ(1100, b)).toBeCloseTo(6.745, 6);
    expect(robustZ(900, { median: 4051, mad: 61, n: 4 })).toBeCloseTo((0.6745 * -3151) / 61, 6);
  });
});

describe('judgeDay', () => {
  it('flags nothing in a steady series', () => {
    const s = series();
    expect(baselines(s, WED, 'sub')).toEqual({
      weekday: { median: 4051, mad: 61, n: 4 },
      recent: { median: 4051, mad: 81, n: 7 },
    });
    expect(judgeDay(s, WED, CFG)).toEqual({ date: WED, judged: true, flags: [] });
  });

  it('flags a 70% drop of opens on a Wednesday against both baselines', () => {
    const j = judgeDay(series({ [WED]: { sub: 1203 } }), WED, CFG);
    expect(j.judged).toBe(true);
    expect(j.flags).toHaveLength(1);
    const f = j.flags[0];
    if (f.kind !== 'shift') throw new Error(`unexpected ${f.kind}`);
    expect(f.key).toBe('sub');
    expect(f.value).toBe(1203);
    expect(f.weekday).toEqual({ median: 4051, mad: 61, n: 4 });
    expect(f.recent).toEqual({ median: 4051, mad: 81, n: 7 });
    expect(f.changePercent).toBeCloseTo(-70.304, 3);
    expect(f.zWeekday).toBeCloseTo(-31.491, 3);
    expect(f.zRecent).toBeCloseTo(-23.716, 3);
  });

  it('keeps its baselines through one earlier bad day', () => {
    // 11-25: a Wednesday and one of the 7 days before; opens fell to 0 then.
    const s = series({ '2026-11-25': { sub: 0 } });
    // Still within the usual days' 3,970…4,132 (their mean would be near 3,000).
    expect(baselines(s, WED, 'sub')).toEqual({
      weekday: { median: 3990, mad: 61, n: 4 },
      recent: { median: 4010, mad: 41, n: 7 },
    });
    expect(judgeDay(s, WED, CFG).flags).toEqual([]);
    const drop = judgeDay(series({ '2026-11-25': { sub: 0 }, [WED]: { sub: 1203 } }), WED, CFG);
    expect(drop.flags.map((f) => [f.kind, f.key])).toEqual([['shift', 'sub']]);
  });

  it('flags a figure at zero that is normally above it', () => {
    const j = judgeDay(series({ [WED]: { mo: 0 } }), WED, CFG);
    expect(j.flags).toEqual([
      {
        kind: 'zero',
        key: 'mo',
        value: 0,
        weekday: { median: 148_000, mad: 2220, n: 4 },
        recent: { median: 148_000, mad: 2960, n: 7 },
      },
    ]);
    // A figure that is normally 0 is no outage at 0.
    const quiet: Record<string, Partial<BusinessFigures>> = {};
    for (let d = addDays(WED, -35); d <= WED; d = addDays(d, 1)) quiet[d] = { shows: 0 };
    expect(judgeDay(series(quiet), WED, CFG).flags).toEqual([]);
  });

  it('flags total users moving against opens − closes', () => {
    const prev = figureRows(addDays(WED, -35), addDays(WED, -1)).at(-1)!.total;
    // Opens − closes is 4,051 − 1,000 = +3,051, yet total users fell by 5,000.
    const j = judgeDay(series({ [WED]: { total: prev - 5000 } }), WED, CFG);
    expect(j.flags).toEqual([
      { kind: 'total-vs-net', key: 'total', value: prev - 5000, totalChange: -5000, net: 3051 },
    ]);
    // A trivial move against it (5 users of a million) is no break.
    expect(judgeDay(series({ [WED]: { total: prev - 5 } }), WED, CFG).flags).toEqual([]);
  });

  it('does not judge a day with too little history', () => {
    // Two Wednesdays before it: too few for the weekday baseline.
    const short = series({ [WED]: { sub: 1203 } }, addDays(WED, -14));
    expect(judgeDay(short, WED, CFG)).toEqual({ date: WED, judged: false, flags: [] });
    // Four of the previous 7 days.
    const rows = figureRows(addDays(WED, -35), WED, { [WED]: { sub: 1203 } });
    const gaps = new Set([addDays(WED, -1), addDays(WED, -2), addDays(WED, -3)]);
    const holes = seriesOf(rows.filter((r) => !gaps.has(r.date)));
    expect(judgeDay(holes, WED, CFG)).toEqual({ date: WED, judged: false, flags: [] });
    // With three of the 4 Wednesdays and 5 of the 7 days, the drop is judged.
    const enough = seriesOf(
      rows.filter((r) => r.date !== addDays(WED, -7) && r.date !== addDays(WED, -1)),
    );
    expect(judgeDay(enough, WED, CFG).flags.map((f) => f.key)).toEqual(['sub']);
    expect(judgeDay(series(), '2026-12-09', CFG).judged).toBe(false);
  });

  it('leaves a holiday-like dip under the limits alone', () => {
    // Calls and pushes 25% down: far outside the wobble (z > 4) but under kpiChangePercent.
    const j = judgeDay(series({ [WED]: { calls: 39_000, shows: 30_000 } }), WED, CFG);
    expect(j).toEqual({ date: WED, judged: true, flags: [] });
    expect(
      judgeDay(series({ [WED]: { calls: 39_000 } }), WED, {
        ...CFG,
        kpiChangePercent: 20,
      }).flags.map((f) => f.key),
    ).toEqual(['calls']);
    // …and 40% down (z about 18) is left alone under a kpiZ of 100.
    expect(
      judgeDay(series({ [WED]: { calls: 31_200 } }), WED, { ...CFG, kpiZ: 100 }).flags,
    ).toEqual([]);
  });
});
