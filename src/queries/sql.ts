// Small helpers shared by the read-model queries: IN-list placeholders and number conversion of raw rows.

/** "?,?,?" for `n` bound values (n ≥ 1). */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(',');
}

/** A raw column value as a number (BIGINT may come back as a string), or null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The largest of the given instants, ignoring nulls (null when all are null). */
export function latest(...values: (number | null)[]): number | null {
  let m: number | null = null;
  for (const v of values) if (v !== null && (m === null || v > m)) m = v;
  return m;
}

/** Escape a LIKE pattern fragment for `LIKE ? ESCAPE '!'`. */
export function likeEscape(s: string): string {
  return s.replace(/[!%_]/g, (c) => `!${c}`);
}
