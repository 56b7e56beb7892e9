// Read model: the alarms of some sites raised in a span of time (whatever their state now), newest first, capped, with the total.
import type { DataSource } from 'typeorm';
import type { AlarmState } from '../../entities';
import { num, placeholders } from './sql';

export interface RaisedAlarm {
  id: number;
  siteId: number;
  name: string;
  node: string;
  description: string;
  raisedAt: number;
  /** When it recovered; null while active, and for a stale one (no longer listed by its site). */
  resumedAt: number | null;
  state: AlarmState;
}

/** Alarms raised in [fromMs, toMs), newest raised first (ties by id), at most `limit`, and how many there are. */
export async function alarmsRaisedBetween(
  ds: DataSource,
  siteIds: readonly number[],
  fromMs: number,
  toMs: number,
  limit = 10,
): Promise<{ total: number; alarms: RaisedAlarm[] }> {
  if (siteIds.length === 0 || !(toMs > fromMs)) return { total: 0, alarms: [] };
  const where = `site_id IN (${placeholders(siteIds.length)}) AND raised_at >= ? AND raised_at < ?`;
  const params = [...siteIds, fromMs, toMs];
  const [count, rows]: Record<string, unknown>[][] = await Promise.all([
    ds.query(`SELECT COUNT(*) AS n FROM alarm WHERE ${where}`, params),
    ds.query(
      `SELECT id, site_id, name, node, description, raised_at, resumed_at, state FROM alarm
        WHERE ${where} ORDER BY raised_at DESC, id DESC LIMIT ?`,
      [...params, Math.max(0, Math.floor(limit))],
    ),
  ]);
  return {
    total: Number(count[0]?.n ?? 0),
    alarms: rows.map((r) => ({
      id: Number(r.id),
      siteId: Number(r.site_id),
      name: String(r.name),
      node: String(r.node),
      description: String(r.description),
      raisedAt: num(r.raised_at) ?? 0,
      resumedAt: num(r.resumed_at),
      state: String(r.state) as AlarmState,
    })),
  };
}
