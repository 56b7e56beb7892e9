// Field parsers for site files: times in several layouts, percentages, byte amounts, counts with units, clean names.
import { fromWallClock } from '../time';

/** A line that cannot be stored; the reason is shown to operators next to the raw line. */
export class LineError extends Error {
  readonly code = 'LINE_INVALID';
}

const LOCAL_RE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const ZONED_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;
const EPOCH_RE = /^\d{10}$/;

function checkedWall(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  field: string,
) {
  const probe = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (
    mo < 1 ||
    mo > 12 ||
    h > 23 ||
    mi > 59 ||
    s > 59 ||
    probe.getUTCDate() !== d ||
    probe.getUTCMonth() !== mo - 1
  ) {
    throw new LineError(`${field} is not a real date and time`);
  }
  return { year: y, month: mo, day: d, hour: h, minute: mi, second: s };
}

/**
 * Parse a time as producers write it: `YYYY-mm-dd HH:MM:SS` (also with `/` or `T`, seconds optional),
 * `YYYYmmddHHMMSS`, ISO 8601 with a zone, or 10-digit epoch seconds. Zone-less forms are in `tz`.
 */
export function parseTime(raw: string, tz: string, field: string): number {
  const s = raw.trim();
  let m = LOCAL_RE.exec(s);
  if (m) {
    const w = checkedWall(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, field);
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    return fromWallClock(w, tz, ms);
  }
  m = COMPACT_RE.exec(s);
  if (m) return fromWallClock(checkedWall(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], field), tz);
  m = ZONED_RE.exec(s);
  if (m) {
    // Date.parse would roll 02-30 over into March: check the calendar first.
    checkedWall(+m[1], +m[2], +m[3], +m[4], +m[5], m[6] ? +m[6] : 0, field);
    const t = Date.parse(s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
    if (!Number.isNaN(t)) return t;
  }
  if (EPOCH_RE.test(s)) return Number(s) * 1000;
  if (s === '') throw new LineError(`${field} is empty`);
  throw new LineError(`${field} "${clip(s)}" is not a time (expected YYYY-mm-dd HH:MM:SS)`);
}

/** Memoising wrapper: a day's file repeats the same record_time on every server's lines. */
export function createTimeParser(tz: string): (raw: string, field: string) => number {
  const cache = new Map<string, number>();
  return (raw, field) => {
    let t = cache.get(raw);
    if (t === undefined) {
      t = parseTime(raw, tz, field);
      if (cache.size > 20_000) cache.clear();
      // `raw` is a slice of a whole decoded chunk; keying the map by it would keep every chunk alive.
      cache.set(flatCopy(raw), t);
    }
    return t;
  };
}

/** A copy of `s` that does not share memory with the string it was sliced from. */
export function flatCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** `s` cut to `n` characters, control and bidirectional characters shown as \uXXXX: reasons quote it. */
export function clip(s: string, n = 40): string {
  const cut = s.length > n ? `${s.slice(0, n)}…` : s;
  if (junkAt(cut, false) === -1) return cut;
  let out = '';
  for (let i = 0; i < cut.length; i++) {
    const c = cut.charCodeAt(i);
    out += isJunk(c, false) ? `\\u${hex4(c).toLowerCase()}` : cut[i];
  }
  return out;
}

const hex4 = (c: number) => c.toString(16).toUpperCase().padStart(4, '0');

const isBidi = (c: number) =>
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069) ||
  c === 0x200e ||
  c === 0x200f ||
  c === 0x061c;

/** C0, DEL and C1 controls (TAB allowed in `text`), and outside `text` the bidirectional controls. */
function isJunk(c: number, text: boolean): boolean {
  if (c >= 0x20 && c < 0x7f) return false;
  if (c < 0x20) return !(text && c === 9);
  return c <= 0x9f || (!text && isBidi(c));
}

function junkAt(s: string, text: boolean): number {
  for (let i = 0; i < s.length; i++) if (isJunk(s.charCodeAt(i), text)) return i;
  return -1;
}

function junkError(s: string, i: number, field: string): LineError {
  const c = s.charCodeAt(i);
  const kind = isBidi(c) ? 'a bidirectional control character' : 'a control character';
  return new LineError(`${field} contains ${kind} (U+${hex4(c)})`);
}

/** A name, node or mount: no control characters, no bidirectional controls (they disguise names). */
export function checkName(s: string, field: string): string {
  const i = junkAt(s, false);
  if (i !== -1) throw junkError(s, i, field);
  return s;
}

/** Free text such as a description: anything printable, but no control character except TAB. */
export function checkText(s: string, field: string): string {
  const i = junkAt(s, true);
  if (i !== -1) throw junkError(s, i, field);
  return s;
}

const PLAIN_RE = /^\d+(?:\.\d+)?$/;
const NUM_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z%]*)$/;

/** A percentage 0–100, with or without `%`. */
export function parsePercent(raw: string, field: string): number {
  // Fast path: a plain decimal, as nearly every producer writes.
  const quick = PLAIN_RE.test(raw) ? Number(raw) : NaN;
  if (quick <= 100) return quick;
  const m = NUM_RE.exec(raw.trim());
  if (!m || (m[2] !== '' && m[2] !== '%')) {
    throw new LineError(`${field} "${clip(raw)}" is not a percentage`);
  }
  const v = Number(m[1]);
  // Sampling jitter makes producers write 100.01 now and then; anything beyond that is wrong.
  if (v < 0 || v > 100.5) throw new LineError(`${field} ${v} is outside 0–100%`);
  return Math.min(v, 100);
}

export type ByteUnit = 'B' | 'K' | 'M' | 'G' | 'T';
const POW: Record<string, number> = { B: 0, K: 1, M: 2, G: 3, T: 4, P: 5 };

/**
 * A byte amount. Suffixes K/M/G/T (also KB, KiB, MB…) are powers of 1024; a bare number is in
 * `bareUnit` (configured per field, default M as `free -m` / `df -m` print).
 */
export function parseBytes(raw: string, bareUnit: ByteUnit, field: string): number {
  if (PLAIN_RE.test(raw)) return Math.round(Number(raw) * 1024 ** POW[bareUnit]);
  const m = NUM_RE.exec(raw.trim());
  if (!m) throw new LineError(`${field} "${clip(raw)}" is not an amount`);
  const suffix = m[2].toUpperCase();
  if (suffix === '%')
    throw new LineError(`${field} "${clip(raw)}" is a percentage, expected an amount`);
  const unit = suffix === '' ? bareUnit : suffix.replace(/I?B$/, '') || 'B';
  if (!(unit in POW)) throw new LineError(`${field} "${clip(raw)}" has an unknown unit`);
  const v = Number(m[1]);
  if (v < 0) throw new LineError(`${field} ${v} is negative`);
  return Math.round(v * 1024 ** POW[unit]);
}

const COUNT_POW: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, W: 1e4 };

/** A non-negative count; K/M/G/T are powers of 1000 here, and `万`/W is 10,000. Thousands separators allowed. */
export function parseCount(raw: string, field: string): number {
  const s = raw.trim().replace(/,/g, '').replace(/万$/, 'W');
  const m = NUM_RE.exec(s);
  const mult = m ? COUNT_POW[m[2].toUpperCase()] : undefined;
  if (!m || mult === undefined) throw new LineError(`${field} "${clip(raw)}" is not a count`);
  const v = Number(m[1]) * mult;
  if (v < 0) throw new LineError(`${field} ${v} is negative`);
  if (!Number.isSafeInteger(Math.round(v))) throw new LineError(`${field} is too large`);
  return Math.round(v);
}
