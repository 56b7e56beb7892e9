// Read model: active alarms of some sites, newest first, capped, with the total count.
import type { DataSource } from 'typeorm';
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
