// Self check SW_SERVER_SILENT: a server seen in the last 7 days has not reported for selfAlarms.serverSilentMinutes.
import { num, placeholders } from '../../queries/sql';
import { formatInstant } from '../../time';
import { MIN, bySiteBatches, minutes } from './shared';
import type { SelfCheck } from './types';

/** Servers not seen for longer than this are taken as decommissioned, not silent. */
const SILENT_HORIZON_MS = 7 * 86_400_000;

export const serverSilentCheck: SelfCheck<'SW_SERVER_SILENT'> = {
  name: 'SW_SERVER_SILENT',
  async evaluate(input, cfg, now) {
    if (input.sites.length === 0) return [];
    const rows = await bySiteBatches(input, (ids) =>
      input.ds.query(
        `SELECT site_id, name, last_seen_at FROM server
          WHERE site_id IN (${placeholders(ids.length)}) AND last_seen_at < ? AND last_seen_at >= ?
          ORDER BY site_id, name`,
        [...ids, now - cfg.serverSilentMinutes * MIN, now - SILENT_HORIZON_MS],
      ),
    );
    const siteOf = new Map(input.sites.map((s) => [s.id, s]));
    return rows.map((r) => {
      const site = siteOf.get(Number(r.site_id))!;
      const last = num(r.last_seen_at)!;
      const name = String(r.name);
      return {
        siteId: site.id,
        name: 'SW_SERVER_SILENT' as const,
        node: name,
        description: `服务器 ${name} 已 ${minutes(now - last)} 分钟没有上报数据（最后上报 ${formatInstant(last, input.tzOf(site))}）`,
      };
    });
  },
};
