// Read model: a site's servers with their latest cpu, memory and worst disk reading (one indexed row per server and table).
import type { DataSource } from 'typeorm';
import type { Site } from '../../entities';
import { activeAlarmCounts, DEFAULT_STALE_AFTER_MS } from './sites';
import { latest, num, placeholders } from './sql';

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
export async function latestReadings(ds: DataSource, serverId: number): Promise<Readings> {
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
  return readingsOf(cpu[0], mem[0], disk);
}

type Readings = Pick<
  ServerStatus,
  'cpuPct' | 'cpuAt' | 'memPct' | 'memAt' | 'diskPct' | 'diskMount' | 'diskAt' | 'lastSeenAt'
>;

/** Readings from the newest cpu row, memory row and disk rows (one per mount) of a server. */
function readingsOf(
  c: Record<string, unknown> | undefined,
  m: Record<string, unknown> | undefined,
  disk: Record<string, unknown>[],
): Readings {
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

/** A server's status with the site it belongs to. */
export interface SiteServerStatus extends ServerStatus {
  siteId: number;
}

/**
 * Every server of the given sites (by name, then id) with its latest readings and stale flag: what
 * 状态 shows per site, across sites for the rankings.
 */
export async function serverStatuses(
  ds: DataSource,
  siteIds: readonly number[],
  now: number,
  staleAfterMs = DEFAULT_STALE_AFTER_MS,
): Promise<SiteServerStatus[]> {
  if (siteIds.length === 0) return [];
  const ids = [...siteIds];
  const inSites = `s.site_id IN (${placeholders(ids.length)})`;
  // One statement per table for all the sites' servers: each newest sample is found by an index
  // seek per server (newest first on the primary key, LIMIT 1: MariaDB turns MAX() here into a scan).
  const latestOf = (table: string, cols: string) =>
    `SELECT t.server_id, t.sampled_at, ${cols} FROM server s
      JOIN ${table} t ON t.server_id = s.id
       AND t.sampled_at = (SELECT x.sampled_at FROM ${table} x WHERE x.server_id = s.id
                           ORDER BY x.sampled_at DESC LIMIT 1)
     WHERE ${inSites}`;
  const [servers, cpu, mem, disk] = await Promise.all([
    ds.query(
      `SELECT id, site_id, name, ip FROM server s WHERE ${inSites} ORDER BY name, id`,
      ids,
    ) as Promise<Record<string, unknown>[]>,
    ds.query(latestOf('cpu_sample', 't.user_pct, t.sys_pct, t.io_pct'), ids) as Promise<
      Record<string, unknown>[]
    >,
    ds.query(latestOf('mem_sample', 't.used_bytes, t.total_bytes'), ids) as Promise<
      Record<string, unknown>[]
    >,
    ds.query(latestOf('disk_sample', 't.mount, t.used_bytes, t.total_bytes'), ids) as Promise<
      Record<string, unknown>[]
    >,
  ]);
  const group = (rows: Record<string, unknown>[]) => {
    const m = new Map<number, Record<string, unknown>[]>();
    for (const r of rows) {
      const id = Number(r.server_id);
      const list = m.get(id);
      if (list) list.push(r);
      else m.set(id, [r]);
    }
    return m;
  };
  const [cpuBy, memBy, diskBy] = [group(cpu), group(mem), group(disk)];
  return servers.map((s) => {
    const id = Number(s.id);
    const r = readingsOf(cpuBy.get(id)?.[0], memBy.get(id)?.[0], diskBy.get(id) ?? []);
    return {
      id,
      siteId: Number(s.site_id),
      name: String(s.name),
      ip: String(s.ip),
      ...r,
      stale: r.lastSeenAt === null || now - r.lastSeenAt > staleAfterMs,
    };
  });
}

/** Every server of the site (by name) with its latest readings and stale flag. */
export async function siteStatus(
  ds: DataSource,
  site: Site,
  now: number,
  staleAfterMs = DEFAULT_STALE_AFTER_MS,
): Promise<SiteStatus> {
  const [servers, alarms] = await Promise.all([
    serverStatuses(ds, [site.id], now, staleAfterMs),
    activeAlarmCounts(ds, [site.id]),
  ]);
  const out: ServerStatus[] = servers.map(({ siteId: _siteId, ...s }) => s);
  return { site, servers: out, activeAlarms: alarms.get(site.id) ?? 0 };
}
