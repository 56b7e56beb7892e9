// Business-figure baselines of a day (same weekday over 4 weeks, previous 7 days; median and MAD) and the figures that break them.
import { FIGURE_KEYS, type FigureKey } from '../queries/business';
import { addDays } from '../time';
import type { BusinessFigures } from '../types/business-figures';

export interface KpiSettings {
  /** A figure must be further than this robust z-score from both baselines. */
  kpiZ: number;
  /** …and changed by more than this percent against both. */
  kpiChangePercent: number;
}

export interface Baseline {
  median: number;
  /** Median absolute deviation from the median. */
  mad: number;
  /** How many days it was built from. */
  n: number;
}

/** The fewest same-weekday values (of 4) and previous days (of 7) a day is judged with. */
export const MIN_WEEKDAYS = 3;
export const MIN_RECENT = 5;
const WEEKS = 4;
const RECENT_DAYS = 7;
/** Consistency constant: 0.6745·(x − median)/MAD is a z-score for normal data. */
const Z_SCALE = 0.6745;

/** How a figure broke its pattern. */
export type KpiFlag =
  | {
      kind: 'shift';
      key: FigureKey;
      value: number;
      weekday: Baseline;
      recent: Baseline;
      /** Robust z-scores against each baseline. */
      zWeekday: number;
      zRecent: number;
      /** Percent change against the same-weekday median (negative for a drop). */
      changePercent: number;
    }
  | { kind: 'zero'; key: FigureKey; value: 0; weekday: Baseline; recent: Baseline }
  | {
      kind: 'total-vs-net';
      key: 'total';
      value: number;
      /** The day's change of total users. */
      totalChange: number;
      /** Opens − closes of the day. */
      net: number;
    };

export interface DayJudgement {
  date: string;
  /** False with too little history: no flags then. */
  judged: boolean;
  flags: KpiFlag[];
}

export type FigureSeries = ReadonlyMap<string, BusinessFigures>;

/** The series keyed by YYYY-MM-DD. */
export function seriesOf(days: readonly (BusinessFigures & { date: string })[]): FigureSeries {
  return new Map(days.map((d) => [d.date, d]));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function baselineOf(values: readonly number[]): Baseline {
  const m = median(values);
  return { median: m, mad: median(values.map((v) => Math.abs(v - m))), n: values.length };
}

/**
 * 0.6745·(x − median)/MAD. The MAD is floored at 1% of the median (and at 1): a steady series has
 * MAD 0, where any change of one unit would be an infinite score; with the floor, a steady figure
 * scores by its change in percent, and the percent limit decides.
 */
export function robustZ(x: number, b: Baseline): number {
  const mad = Math.max(b.mad, 0.01 * Math.abs(b.median), 1);
  return (Z_SCALE * (x - b.median)) / mad;
}

/** Values of `key` on the given days that have figures. */
function valuesOn(series: FigureSeries, days: string[], key: FigureKey): number[] {
  const out: number[] = [];
  for (const d of days) {
    const f = series.get(d);
    if (f) out.push(f[key]);
  }
  return out;
}

const weekdayDays = (date: string) =>
  Array.from({ length: WEEKS }, (_, i) => addDays(date, -7 * (i + 1)));
const recentDays = (date: string) =>
  Array.from({ length: RECENT_DAYS }, (_, i) => addDays(date, -(i + 1)));

/** Both baselines of `key` for `date`, or null where there is too little history. */
export function baselines(
  series: FigureSeries,
  date: string,
  key: FigureKey,
): { weekday: Baseline | null; recent: Baseline | null } {
  const w = valuesOn(series, weekdayDays(date), key);
  const r = valuesOn(series, recentDays(date), key);
  return {
    weekday: w.length >= MIN_WEEKDAYS ? baselineOf(w) : null,
    recent: r.length >= MIN_RECENT ? baselineOf(r) : null,
  };
}

/** Whether a day's change of total users and its opens − closes are big enough to compare. */
const nonTrivial = (v: number, prevTotal: number) =>
  Math.abs(v) >= Math.max(10, 0.0001 * Math.abs(prevTotal));

/** The figures of `date` that break their pattern; not judged without figures or history. */
export function judgeDay(series: FigureSeries, date: string, cfg: KpiSettings): DayJudgement {
  const day = series.get(date);
  const flags: KpiFlag[] = [];
  if (!day) return { date, judged: false, flags };
  for (const key of FIGURE_KEYS) {
    const { weekday, recent } = baselines(series, date, key);
    if (!weekday || !recent) return { date, judged: false, flags: [] };
    const x = day[key];
    if (x === 0 && weekday.median > 0 && recent.median > 0) {
      flags.push({ kind: 'zero', key, value: 0, weekday, recent });
      continue;
    }
    const zWeekday = robustZ(x, weekday);
    const zRecent = robustZ(x, recent);
    const changeOf = (b: Baseline) =>
      b.median === 0 ? Infinity : ((x - b.median) / b.median) * 100;
    const cw = changeOf(weekday);
    const cr = changeOf(recent);
    const beyond = (z: number, c: number) =>
      Math.abs(z) > cfg.kpiZ && Math.abs(c) > cfg.kpiChangePercent;
    // Both baselines must agree on the direction: a day over one and under the other is no break.
    if (beyond(zWeekday, cw) && beyond(zRecent, cr) && Math.sign(zWeekday) === Math.sign(zRecent))
      flags.push({
        kind: 'shift',
        key,
        value: x,
        weekday,
        recent,
        zWeekday,
        zRecent,
        changePercent: cw,
      });
  }
  const prev = series.get(addDays(date, -1));
  if (prev && !flags.some((f) => f.key === 'total')) {
    const totalChange = day.total - prev.total;
    const net = day.sub - day.unsub;
    if (
      nonTrivial(totalChange, prev.total) &&
      nonTrivial(net, prev.total) &&
      Math.sign(totalChange) === -Math.sign(net) &&
      Math.abs(totalChange - net) > (cfg.kpiChangePercent / 100) * Math.abs(net)
    )
      flags.push({ kind: 'total-vs-net', key: 'total', value: day.total, totalChange, net });
  }
  return { date, judged: true, flags: sortFlags(flags) };
}

/** Flags in the figures' order. */
function sortFlags(flags: KpiFlag[]): KpiFlag[] {
  return flags.sort((a, b) => FIGURE_KEYS.indexOf(a.key) - FIGURE_KEYS.indexOf(b.key));
}
