// Capacity forecasts: when a usage series (percent over time) will reach given levels, from its robust trend over a window.
/*
 * The trend is the Theil–Sen estimator: the slope is the median of every pairwise slope, the
 * intercept the median of y − slope·x. Disk use is a saw-tooth (it grows, a cleanup drops it,
 * it grows again) and has single spikes (a large temporary file); least squares — and
 * Prometheus' predict_linear, which is least squares — is pulled by each cleanup and each spike,
 * while a median of pairwise slopes ignores up to ~29 % of outlying points and sees a saw-tooth
 * whose cleanups keep it flat as flat. Only pairs a whole number of days apart count (the same
 * hour on different days, as in Hirsch's seasonal Kendall slope): the growth inside one tooth of a
 * daily cycle is no trend, and pairs at other gaps would bias the median upwards (a tooth grows
 * slowly and falls at once). It runs on hourly maxima (≤ 168 points for 7 days), so the O(n²)
 * pairs stay small.
 */

const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface UsagePoint {
  at: number;
  /** Use in percent. */
  pct: number;
}

export interface ForecastOptions {
  /** Levels (percent) to forecast, e.g. [90, 100]. */
  levels: readonly number[];
  /** History looked at, ending at `now`; default 7 days. */
  windowMs?: number;
  /** A level not reached within this long after `now` is 'never'; default 30 days. */
  horizonMs?: number;
  /** The history must span at least this long; default 24 hours. */
  minSpanMs?: number;
  /** …and hold at least this many points; default 12. */
  minPoints?: number;
  /** The newest point must be no older than this; default 6 hours (a silent server has no forecast). */
  maxAgeMs?: number;
}

export interface LevelForecast {
  level: number;
  /** When the trend reaches the level, to the minute (`now` when it is there already), or 'never'. */
  at: number | 'never';
}

export interface Forecast {
  levels: LevelForecast[];
  /** The trend's slope, percent per day. */
  slopePerDay: number;
  /** The newest point's use. */
  current: number;
  /** The trend's level at `now`. */
  fitted: number;
}

export const DEFAULT_WINDOW_MS = 7 * DAY;
export const DEFAULT_HORIZON_MS = 30 * DAY;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The window's points, oldest first, when there are enough of them. */
function windowOf(points: readonly UsagePoint[], now: number, o: ForecastOptions) {
  const from = now - (o.windowMs ?? DEFAULT_WINDOW_MS);
  const pts = points
    .filter((p) => p.at >= from && p.at <= now && Number.isFinite(p.pct))
    .sort((a, b) => a.at - b.at);
  if (pts.length < (o.minPoints ?? 12)) return null;
  if (pts[pts.length - 1].at - pts[0].at < (o.minSpanMs ?? DAY)) return null;
  if (now - pts[pts.length - 1].at > (o.maxAgeMs ?? 6 * HOUR)) return null;
  return pts;
}

/** How far from a whole number of days a pair's gap may be (points need not sit on the hour). */
const DAY_SLACK = 30 * 60_000;

/** Theil–Sen fit with x in hours before `now`: slope per hour and level at `now`; null without pairs. */
function theilSen(
  pts: readonly UsagePoint[],
  now: number,
): { slope: number; level: number } | null {
  const xs = pts.map((p) => (p.at - now) / HOUR);
  const slopes: number[] = [];
  for (let i = 0; i < pts.length; i++)
    for (let j = i + 1; j < pts.length; j++) {
      const gap = pts[j].at - pts[i].at;
      const off = gap % DAY;
      if (gap >= DAY - DAY_SLACK && (off <= DAY_SLACK || off >= DAY - DAY_SLACK))
        slopes.push((pts[j].pct - pts[i].pct) / (xs[j] - xs[i]));
    }
  if (slopes.length === 0) return null;
  const slope = median(slopes);
  const level = median(pts.map((p, i) => p.pct - slope * xs[i]));
  return { slope, level };
}

/**
 * When the usage series reaches each level, or null without enough history (see the options'
 * defaults). A level is 'never' when the trend does not grow or reaches it only after the horizon.
 */
export function forecastFull(
  points: readonly UsagePoint[],
  now: number,
  o: ForecastOptions,
): Forecast | null {
  const pts = windowOf(points, now, o);
  if (!pts) return null;
  const fit = theilSen(pts, now);
  if (!fit) return null;
  const { slope, level } = fit;
  const horizon = o.horizonMs ?? DEFAULT_HORIZON_MS;
  return {
    levels: o.levels.map((l) => {
      if (level >= l) return { level: l, at: now };
      if (!(slope > 0)) return { level: l, at: 'never' };
      const ms = ((l - level) / slope) * HOUR;
      // To the minute: a forecast is no finer, and rounding errors must not move it across one.
      return { level: l, at: ms > horizon ? 'never' : Math.round((now + ms) / MINUTE) * MINUTE };
    }),
    slopePerDay: slope * 24,
    current: pts[pts.length - 1].pct,
    fitted: level,
  };
}

/** The largest fall from an earlier high to a later point (percent points). */
export function largestDrop(points: readonly UsagePoint[]): number {
  let high = -Infinity;
  let drop = 0;
  for (const p of [...points].sort((a, b) => a.at - b.at)) {
    high = Math.max(high, p.pct);
    drop = Math.max(drop, high - p.pct);
  }
  return drop;
}

/** Memory growth: the forecast of a series that grows and never fell back by more than `maxDrop` points over the window; else null. */
export function forecastGrowth(
  points: readonly UsagePoint[],
  now: number,
  o: ForecastOptions & { maxDrop?: number },
): Forecast | null {
  const f = forecastFull(points, now, o);
  if (!f || !(f.slopePerDay > 0)) return null;
  const from = now - (o.windowMs ?? DEFAULT_WINDOW_MS);
  const inWindow = points.filter((p) => p.at >= from && p.at <= now);
  return largestDrop(inWindow) > (o.maxDrop ?? 3) ? null : f;
}

/** The instant for people: 'MM-DD HH:MM' out of 'YYYY-MM-DD HH:MM'. */
export const shortInstant = (formatted: string) => formatted.slice(5);
