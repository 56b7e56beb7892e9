// Read model: a site's servers with their latest cpu, memory and worst disk reading (one indexed row per server and table).
import type { DataSource } from 'typeorm';
import type { Site } from '../../entities';
import { activeAlarmCounts, DEFAULT_STALE_AFTER_MS } from './sites';
import { latest, num } from './sql';

export interface ServerStatus {
  id: number;
  name: string;
  ip: string;
  /** user + sys + io of the latest cpu sample. */
  cpuPct: number | null;
  cpuAt: number | null;
  /** used / total of the latest memory sample. */
  memPct: number | null;
  memAt: number | null;
  /** The fullest mount of the latest disk sample. */
  diskPct: number | null;
  diskMount: string | null;
  diskAt: number | null;
  lastSeenAt: number | null;
  stale: boolean;
}

export interface SiteStatus {
  site: Site;
  servers: ServerStatus[];
  activeAlarms: number;
}

const pct = (used: number | null, total: number | null) =>
  used !== null && total !== null && total > 0 ? (used / total) * 100 : null;

/** Latest readings of one server: each table read newest-first on its primary key, LIMIT 1. */
export async function latestReadings(
  ds: DataSource,
  serverId: number,
): Promise<
  Pick<
    ServerStatus,
    'cpuPct' | 'cpuAt' | 'memPct' | 'memAt' | 'diskPct' | 'diskMount' | 'diskAt' | 'lastSeenAt'
  >
> {
  const [cpu, mem, disk]: Record<string, unknown>[][] = await Promise.all([
    ds.query(
      `SELECT sampled_at, user_pct, sys_pct, io_pct FROM cpu_sample
        WHERE server_id = ? ORDER BY sampled_at DESC LIMIT 1`,
      [serverId],
    ),
    ds.query(
      `SELECT sampled_at, used_bytes, total_bytes FROM mem_sample
        WHERE server_id = ? ORDER BY sampled_at DESC LIMIT 1`,
      [serverId],
    ),
    ds.query(
      `SELECT d.sampled_at, d.mount, d.used_bytes, d.total_bytes FROM disk_sample d
        WHERE d.server_id = ? AND d.sampled_at = (SELECT x.sampled_at FROM disk_sample x
              WHERE x.server_id = ? ORDER BY x.sampled_at DESC LIMIT 1)`,
      [serverId, serverId],
    ),
  ]);
  const c = cpu[0];
  const m = mem[0];
  let diskPct: number | null = null;
  let diskMount: string | null = null;
  for (const d of disk) {
    const p = pct(num(d.used_bytes), num(d.total_bytes));
    if (p !== null && (diskPct === null || p > diskPct)) {
      diskPct = p;
      diskMount = String(d.mount);
    }
  }
  const cpuAt = c ? num(c.sampled_at) : null;
  const memAt = m ? num(m.sampled_at) : null;
  const diskAt = disk[0] ? num(disk[0].sampled_at) : null;
  return {
    cpuPct: c ? (num(c.user_pct) ?? 0) + (num(c.sys_pct) ?? 0) + (num(c.io_pct) ?? 0) : null,
    cpuAt,
    memPct: m ? pct(num(m.used_bytes), num(m.total_bytes)) : null,
    memAt,
    diskPct,
    diskMount,
    diskAt,
    lastSeenAt: latest(cpuAt, memAt, diskAt),
  };
}

/** Every server of the site (by name) with its latest readings and stale flag. */
export async function siteStatus(
  ds: DataSource,
  site: Site,
  now: number,
  staleAfterMs = DEFAULT_STALE_AFTER_MS,
): Promise<SiteStatus> {
  const servers: Record<string, unknown>[] = await ds.query(
    'SELECT id, name, ip FROM server WHERE site_id = ? ORDER BY name, id',
    [site.id],
  );
  const out: ServerStatus[] = [];
  for (const s of servers) {
    const r = await latestReadings(ds, Number(s.id));
    out.push({
      id: Number(s.id),
      name: String(s.name),
      ip: String(s.ip),
      ...r,
      stale: r.lastSeenAt === null || now - r.lastSeenAt > staleAfterMs,
    });
  }
  const alarms = await activeAlarmCounts(ds, [site.id]);
  return { site, servers: out, activeAlarms: alarms.get(site.id) ?? 0 };
}
