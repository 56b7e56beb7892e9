// Read model for the portal's alarm lists: active or past alarms of some sites with filters, keyset paging and who acknowledged them.
import type { DataSource } from 'typeorm';
import type { AlarmState } from '../../entities';
import { likeEscape, num, placeholders } from './sql';

export interface AlarmFilter {
  siteIds: readonly number[];
  /** 'active': open alarms; 'history': resolved and stale ones. */
  state: 'active' | 'history';
  /** Part of the alarm name (case-insensitive). */
  name?: string;
  /** Part of the node (case-insensitive). */
  node?: string;
  /** raised_at >= from (epoch ms). */
  from?: number;
  /** raised_at < to (epoch ms). */
  to?: number;
  /** Only alarms listed after this one (newest first): the next page. */
  before?: number;
  limit: number;
}

export interface AlarmRow {
  id: number;
  siteId: number;
  name: string;
  node: string;
  description: string;
  raisedAt: number;
  resumedAt: number | null;
  state: AlarmState;
  ackedBy: number | null;
  ackedByName: string | null;
  ackedAt: number | null;
}

/**
 * Alarms matching `f`, newest raised first (ties by id), at most `limit`; `next` is the id to pass
 * as `before` for the following page, null on the last one.
 */
export async function listAlarms(
  ds: DataSource,
  f: AlarmFilter,
): Promise<{ alarms: AlarmRow[]; next: number | null }> {
  if (f.siteIds.length === 0) return { alarms: [], next: null };
  const where = [`a.site_id IN (${placeholders(f.siteIds.length)})`];
  const params: unknown[] = [...f.siteIds];
  where.push(f.state === 'active' ? `a.state = 'active'` : `a.state <> 'active'`);
  if (f.name) {
    where.push(`LOWER(a.name) LIKE ? ESCAPE '!'`);
    params.push(`%${likeEscape(f.name.toLowerCase())}%`);
  }
  if (f.node) {
    where.push(`LOWER(a.node) LIKE ? ESCAPE '!'`);
    params.push(`%${likeEscape(f.node.toLowerCase())}%`);
  }
  if (f.from !== undefined) {
    where.push('a.raised_at >= ?');
    params.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('a.raised_at < ?');
    params.push(f.to);
  }
  if (f.before !== undefined) {
    // Keyset paging on (raised_at, id): stable however many alarms arrive meanwhile.
    where.push(
      '(a.raised_at < (SELECT b.raised_at FROM alarm b WHERE b.id = ?) OR (a.raised_at = (SELECT c.raised_at FROM alarm c WHERE c.id = ?) AND a.id < ?))',
    );
    params.push(f.before, f.before, f.before);
  }
  const limit = Math.max(1, Math.floor(f.limit));
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT a.id, a.site_id, a.name, a.node, a.description, a.raised_at, a.resumed_at, a.state,
            a.acked_by, a.acked_at, u.display_name AS acked_by_name
       FROM alarm a LEFT JOIN user u ON u.id = a.acked_by
      WHERE ${where.join(' AND ')}
      ORDER BY a.raised_at DESC, a.id DESC LIMIT ?`,
    [...params, limit + 1],
  );
  const more = rows.length > limit;
  const alarms = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    siteId: Number(r.site_id),
    name: String(r.name),
    node: String(r.node),
    description: String(r.description),
    raisedAt: num(r.raised_at) ?? 0,
    resumedAt: num(r.resumed_at),
    state: String(r.state) as AlarmState,
    ackedBy: num(r.acked_by),
    ackedByName:
      r.acked_by_name === null || r.acked_by_name === undefined ? null : String(r.acked_by_name),
    ackedAt: num(r.acked_at),
  }));
  return { alarms, next: more ? alarms[alarms.length - 1].id : null };
}
