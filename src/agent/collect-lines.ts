// Formatting for the collector's system_info lines: safe field values, percentages, MiB and record_time.
import { wallClock } from '../time';

export const MIB = 1024 * 1024;

/**
 * A value fit for one field: `|` would split it and CR/LF (or any other control character, or a
 * Unicode line separator) would break the line, so `|` becomes `/` and the rest become spaces.
 */
export function sanitizeField(value: string): string {
  return value
    .replace(/\|/g, '/')
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .trim();
}

/** True when `value` can be written as a field exactly as it is. */
export function isSafeField(value: string): boolean {
  return value !== '' && sanitizeField(value) === value;
}

/** A percentage clamped to 0–100 with at most 2 decimals, as a plain number (`12.5`, `0`, `100`). */
export function percent(x: number): string {
  const v = Math.round(Math.min(100, Math.max(0, x)) * 100) / 100;
  return String(v === 0 ? 0 : v);
}

/** Bytes as whole MiB, the hub's unit for a bare memory or disk number. */
export function mebibytes(bytes: number): string {
  return String(Math.max(0, Math.round(bytes / MIB)));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-mm-dd HH:MM:SS`, the wall clock in `tz` at instant `ms`. */
export function recordTime(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}
