// Read model for capacity forecasts: hourly maximum disk use per server and mount, and hourly maximum memory use per server.
import type { DataSource } from 'typeorm';
import { num, placeholders } from './sql';

const HOUR = 3_600_000;
const SITE_BATCH = 500;

export interface UsageSeries {
  siteId: number;
  serverId: number;
  server: string;
  /** The mount (disk series), null for memory. */
  mount: string | null;
  /** Hour starts with that hour's highest use in percent, oldest first. */
  points: { at: number; pct: number }[];
}

export interface CapacityScope {
  siteIds: readonly number[];
  /** Only this server (of those sites). */
  serverId?: number;
}

// Double arithmetic on both engines (MariaDB would otherwise round a DECIMAL quotient to 4 places).
const USE = '100e0 * t.used_bytes / t.total_bytes';
const BUCKET = `t.sampled_at - t.sampled_at % ${HOUR}`;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function hourly(
  ds: DataSource,
  table: 'disk_sample' | 'mem_sample',
  scope: CapacityScope,
  from: number,
  to: number,
): Promise<UsageSeries[]> {
  const disk = table === 'disk_sample';
  const mount = disk ? ', t.mount' : '';
  const series = new Map<string, UsageSeries>();
  for (let i = 0; i < scope.siteIds.length; i += SITE_BATCH) {
    const ids = scope.siteIds.slice(i, i + SITE_BATCH);
    const one = scope.serverId === undefined ? '' : ' AND s.id = ?';
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT s.id, s.site_id, s.name${mount}, ${BUCKET} AS hour_at, MAX(${USE}) AS pct
         FROM server s JOIN ${table} t ON t.server_id = s.id
        WHERE s.site_id IN (${placeholders(ids.length)})${one}
          AND t.sampled_at >= ? AND t.sampled_at <= ? AND t.total_bytes > 0
        GROUP BY s.id, s.site_id, s.name${mount}, ${BUCKET}`,
      [...ids, ...(scope.serverId === undefined ? [] : [scope.serverId]), from, to],
    );
    for (const r of rows) {
      const m = disk ? String(r.mount) : null;
      const key = `${Number(r.id)}\u0000${m ?? ''}`;
      let s = series.get(key);
      if (!s) {
        s = {
          siteId: Number(r.site_id),
          serverId: Number(r.id),
          server: String(r.name),
          mount: m,
          points: [],
        };
        series.set(key, s);
      }
      s.points.push({ at: num(r.hour_at) ?? 0, pct: num(r.pct) ?? 0 });
    }
  }
  const out = [...series.values()];
  for (const s of out) s.points.sort((a, b) => a.at - b.at);
  return out.sort((a, b) => a.serverId - b.serverId || cmp(a.mount ?? '', b.mount ?? ''));
}

/** Hourly maximum disk use of every server mount of the sites in [from, to], by server id and mount. */
export function hourlyDiskUse(
  ds: DataSource,
  scope: CapacityScope,
  from: number,
  to: number,
): Promise<UsageSeries[]> {
  return hourly(ds, 'disk_sample', scope, from, to);
}

/** Hourly maximum memory use of every server of the sites in [from, to], by server id. */
export function hourlyMemUse(
  ds: DataSource,
  scope: CapacityScope,
  from: number,
  to: number,
): Promise<UsageSeries[]> {
  return hourly(ds, 'mem_sample', scope, from, to);
}
