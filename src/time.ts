// Site-local wall-clock times <-> instants, with per-zone offset caching (site files carry no zone).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `tz` at instant `ms`. */
export function wallClock(ms: number, tz: string): WallClock {
  const parts = formatter(tz).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

/** Per zone, offsets by quarter hour (a numeric key: this runs for every point of every chart). */
const offsetCache = new Map<string, Map<number, number>>();

/** Offset of `tz` from UTC in ms at instant `ms` (cached per zone and quarter hour). */
export function zoneOffset(ms: number, tz: string): number {
  let zone = offsetCache.get(tz);
  if (!zone) offsetCache.set(tz, (zone = new Map()));
  const quarter = Math.floor(ms / 900_000);
  let off = zone.get(quarter);
  if (off === undefined) {
    const w = wallClock(ms, tz);
    const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
    off = asUtc - (ms - (((ms % 1000) + 1000) % 1000));
    if (zone.size > 50_000) zone.clear();
    zone.set(quarter, off);
  }
  return off;
}

const sameWall = (a: WallClock, b: WallClock) =>
  a.year === b.year &&
  a.month === b.month &&
  a.day === b.day &&
  a.hour === b.hour &&
  a.minute === b.minute &&
  a.second === b.second;

/**
 * The instant at which the wall clock in `tz` shows the given time. A time repeated by a
 * clock change resolves to its first occurrence; a time skipped by one moves forward by the
 * size of the jump (02:30 on a spring-forward night becomes 03:30), in every zone alike.
 */
export function fromWallClock(w: WallClock, tz: string, ms = 0): number {
  const guess = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, ms);
  const before = guess - zoneOffset(guess - 86_400_000, tz);
  const after = guess - zoneOffset(guess + 86_400_000, tz);
  if (before === after || sameWall(wallClock(before, tz), w)) return before;
  if (sameWall(wallClock(after, tz), w)) return after;
  return before;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** YYYYMMDD of the day containing `ms` in `tz`. */
export function dayKey(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return `${w.year}${pad(w.month)}${pad(w.day)}`;
}

/** YYYY-MM-DD of the day containing `ms` in `tz`. */
export function isoDay(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Shift a YYYYMMDD or YYYY-MM-DD day by `n` calendar days, keeping its format. */
export function addDays(day: string, n: number): string {
  const compact = !day.includes('-');
  const [y, m, d] = compact
    ? [day.slice(0, 4), day.slice(4, 6), day.slice(6, 8)].map(Number)
    : day.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  const s = `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}`;
  return compact ? s : `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
}

/** Instant of local midnight starting `day` (YYYYMMDD) in `tz`. */
export function startOfDay(day: string, tz: string): number {
  return fromWallClock(
    {
      year: Number(day.slice(0, 4)),
      month: Number(day.slice(4, 6)),
      day: Number(day.slice(6, 8)),
      hour: 0,
      minute: 0,
      second: 0,
    },
    tz,
  );
}

/** True for a real calendar day written as YYYYMMDD. */
export function isDayKey(s: string): boolean {
  if (!/^\d{8}$/.test(s)) return false;
  return addDays(s, 0) === s;
}

/**
 * "YYYY-MM-DD HH:MM" wall-clock time in `tz`, for people. Pages and replies list many times, so
 * this shifts by the cached zone offset instead of formatting each one with Intl.
 */
export function formatInstant(ms: number, tz: string): string {
  const d = new Date(ms + zoneOffset(ms, tz));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
