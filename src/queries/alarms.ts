// Read model: active alarms of some sites, newest first, capped, with the total count.
import type { DataSource } from 'typeorm';
import { isoDay } from '../time';
import { num, placeholders } from './sql';

export interface ActiveAlarm {
  id: number;
  siteId: number;
  name: string;
  node: string;
  description: string;
  raisedAt: number;
  /** now − raisedAt (never negative). */
  openMs: number;
}

export async function activeAlarms(
  ds: DataSource,
  siteIds: readonly number[],
  now: number,
  limit = 10,
): Promise<{ total: number; alarms: ActiveAlarm[] }> {
  if (siteIds.length === 0) return { total: 0, alarms: [] };
  const ids = [...siteIds];
  const where = `state = 'active' AND site_id IN (${placeholders(ids.length)})`;
  const [count, rows]: Record<string, unknown>[][] = await Promise.all([
    ds.query(`SELECT COUNT(*) AS n FROM alarm WHERE ${where}`, ids),
    ds.query(
      `SELECT id, site_id, name, node, description, raised_at FROM alarm WHERE ${where}
        ORDER BY raised_at DESC, id DESC LIMIT ?`,
      [...ids, Math.max(0, Math.floor(limit))],
    ),
  ]);
  return {
    total: Number(count[0]?.n ?? 0),
    alarms: rows.map((r) => {
      const raisedAt = num(r.raised_at) ?? 0;
      return {
        id: Number(r.id),
        siteId: Number(r.site_id),
        name: String(r.name),
        node: String(r.node),
        description: String(r.description),
        raisedAt,
        openMs: Math.max(0, now - raisedAt),
      };
    }),
  };
}

/** Alarms raised per local day (from..to, YYYY-MM-DD in `tz`) and per node, for the alarm-counts chart. */
export async function alarmCounts(
  ds: DataSource,
  siteId: number,
  fromMs: number,
  toMs: number,
  tz: string,
): Promise<{
  perDay: { date: string; count: number }[];
  perNode: { node: string; count: number }[];
}> {
  const [days, nodes]: Record<string, unknown>[][] = await Promise.all([
    // Counted per quarter hour in SQL, folded into local days here: every zone offset is a whole number of quarter hours.
    ds.query(
      `SELECT FLOOR(raised_at / 900000) AS q, COUNT(*) AS n FROM alarm
        WHERE site_id = ? AND raised_at >= ? AND raised_at < ? GROUP BY FLOOR(raised_at / 900000)`,
      [siteId, fromMs, toMs],
    ),
    ds.query(
      `SELECT node, COUNT(*) AS n FROM alarm WHERE site_id = ? AND raised_at >= ? AND raised_at < ?
        GROUP BY node ORDER BY COUNT(*) DESC, node LIMIT 50`,
      [siteId, fromMs, toMs],
    ),
  ]);
  const perDay = new Map<string, number>();
  for (const r of days) {
    const day = isoDay(Number(r.q) * 900_000, tz);
    perDay.set(day, (perDay.get(day) ?? 0) + Number(r.n));
  }
  return {
    perDay: [...perDay].sort().map(([date, count]) => ({ date, count })),
    perNode: nodes.map((r) => ({ node: String(r.node), count: Number(r.n) })),
  };
}
