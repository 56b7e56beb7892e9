// Read model: the daily business figures of several sites over the same stat dates, for rankings and comparisons across sites.
import type { DataSource } from 'typeorm';
import type { Figures } from './business';
import { num, placeholders } from './sql';

/**
 * Stored figures of each given site for stat dates from..to (YYYY-MM-DD, inclusive), oldest first;
 * a site without any is absent from the map. One statement for all the sites.
 */
export async function dailyFiguresOfSites(
  ds: DataSource,
  siteIds: readonly number[],
  from: string,
  to: string,
): Promise<Map<number, Figures[]>> {
  const out = new Map<number, Figures[]>();
  if (siteIds.length === 0 || from > to) return out;
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT site_id, stat_date, sub_users, unsub_users, total_users, call_times, show_times,
            mo_times, mt_times
       FROM business_daily
      WHERE site_id IN (${placeholders(siteIds.length)}) AND stat_date >= ? AND stat_date <= ?
      ORDER BY site_id, stat_date`,
    [...siteIds, from, to],
  );
  for (const r of rows) {
    const siteId = Number(r.site_id);
    const day: Figures = {
      date: String(r.stat_date),
      sub: num(r.sub_users) ?? 0,
      unsub: num(r.unsub_users) ?? 0,
      total: num(r.total_users) ?? 0,
      calls: num(r.call_times) ?? 0,
      shows: num(r.show_times) ?? 0,
      mo: num(r.mo_times) ?? 0,
      mt: num(r.mt_times) ?? 0,
    };
    const list = out.get(siteId);
    if (list) list.push(day);
    else out.set(siteId, [day]);
  }
  return out;
}
