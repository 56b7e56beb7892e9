// Read model: finding a server by name or IP among some sites, and its cpu / memory / disk points over a time range.
import type { DataSource } from 'typeorm';
import { likeEscape, num, placeholders } from './sql';

export interface ServerRef {
  id: number;
  siteId: number;
  name: string;
  ip: string;
  osName: string | null;
  osVersion: string | null;
  uptimeSeconds: number | null;
  uptimeAt: number | null;
}

function ref(r: Record<string, unknown>): ServerRef {
  return {
    id: Number(r.id),
    siteId: Number(r.site_id),
    name: String(r.name),
    ip: String(r.ip),
    osName: r.os_name === null || r.os_name === undefined ? null : String(r.os_name),
    osVersion: r.os_version === null || r.os_version === undefined ? null : String(r.os_version),
    uptimeSeconds: num(r.uptime_seconds),
    uptimeAt: num(r.uptime_at),
  };
}

/**
 * Servers of the given sites whose name (case-insensitive) or IP equals `term`; when none does,
 * those whose name or IP contains it. Ordered by name, then id.
 */
export async function findServers(
  ds: DataSource,
  siteIds: readonly number[],
  term: string,
): Promise<ServerRef[]> {
  const t = term.trim().toLowerCase();
  if (siteIds.length === 0 || t === '') return [];
  const cols = 'id, site_id, name, ip, os_name, os_version, uptime_seconds, uptime_at';
  const inSites = `site_id IN (${placeholders(siteIds.length)})`;
  const exact: Record<string, unknown>[] = await ds.query(
    `SELECT ${cols} FROM server WHERE ${inSites} AND (LOWER(name) = ? OR ip = ?) ORDER BY name, id`,
    [...siteIds, t, t],
  );
  if (exact.length > 0) return exact.map(ref);
  const like = `%${likeEscape(t)}%`;
  const partial: Record<string, unknown>[] = await ds.query(
    `SELECT ${cols} FROM server WHERE ${inSites}
        AND (LOWER(name) LIKE ? ESCAPE '!' OR ip LIKE ? ESCAPE '!') ORDER BY name, id`,
    [...siteIds, like, like],
  );
  return partial.map(ref);
}

export interface CpuPoint {
  at: number;
  user: number;
  sys: number;
  io: number;
  idle: number;
}
export interface MemPoint {
  at: number;
  usedBytes: number;
  freeBytes: number;
  bufferBytes: number;
  totalBytes: number;
}
export interface DiskMountPoints {
  mount: string;
  points: { at: number; usedBytes: number; totalBytes: number }[];
}

/** Rows of one sample table for a server in [from, to], oldest first (a primary-key range scan). */
function sampleRows(
  ds: DataSource,
  table: 'cpu_sample' | 'mem_sample' | 'disk_sample',
  columns: string,
  serverId: number,
  from: number,
  to: number,
): Promise<Record<string, unknown>[]> {
  const order = table === 'disk_sample' ? 'sampled_at, mount' : 'sampled_at';
  return ds.query(
    `SELECT sampled_at, ${columns} FROM ${table}
      WHERE server_id = ? AND sampled_at >= ? AND sampled_at <= ? ORDER BY ${order}`,
    [serverId, from, to],
  );
}

/** cpu points of a server in [from, to], oldest first (a primary-key range scan). */
export async function cpuPoints(
  ds: DataSource,
  serverId: number,
  from: number,
  to: number,
): Promise<CpuPoint[]> {
  const rows = await sampleRows(
    ds,
    'cpu_sample',
    'user_pct, sys_pct, io_pct, idle_pct',
    serverId,
    from,
    to,
  );
  return rows.map((r) => ({
    at: num(r.sampled_at) ?? 0,
    user: num(r.user_pct) ?? 0,
    sys: num(r.sys_pct) ?? 0,
    io: num(r.io_pct) ?? 0,
    idle: num(r.idle_pct) ?? 0,
  }));
}

/** Memory points of a server in [from, to], oldest first. */
export async function memPoints(
  ds: DataSource,
  serverId: number,
  from: number,
  to: number,
): Promise<MemPoint[]> {
  const rows = await sampleRows(
    ds,
    'mem_sample',
    'used_bytes, free_bytes, buffer_bytes, total_bytes',
    serverId,
    from,
    to,
  );
  return rows.map((r) => ({
    at: num(r.sampled_at) ?? 0,
    usedBytes: num(r.used_bytes) ?? 0,
    freeBytes: num(r.free_bytes) ?? 0,
    bufferBytes: num(r.buffer_bytes) ?? 0,
    totalBytes: num(r.total_bytes) ?? 0,
  }));
}

/** Disk points of a server in [from, to] grouped by mount (mounts by name, points oldest first). */
export async function diskPoints(
  ds: DataSource,
  serverId: number,
  from: number,
  to: number,
): Promise<DiskMountPoints[]> {
  const rows = await sampleRows(
    ds,
    'disk_sample',
    'mount, used_bytes, total_bytes',
    serverId,
    from,
    to,
  );
  const byMount = new Map<string, DiskMountPoints>();
  for (const r of rows) {
    const mount = String(r.mount);
    let m = byMount.get(mount);
    if (!m) byMount.set(mount, (m = { mount, points: [] }));
    m.points.push({
      at: num(r.sampled_at) ?? 0,
      usedBytes: num(r.used_bytes) ?? 0,
      totalBytes: num(r.total_bytes) ?? 0,
    });
  }
  return [...byMount.values()].sort((a, b) => (a.mount < b.mount ? -1 : a.mount > b.mount ? 1 : 0));
}

/** A server's cpu, memory and disk points over the `hours` before `now`. */
export async function serverSeries(
  ds: DataSource,
  serverId: number,
  now: number,
  hours: number,
): Promise<{
  from: number;
  to: number;
  cpu: CpuPoint[];
  mem: MemPoint[];
  disk: DiskMountPoints[];
}> {
  const from = now - hours * 3_600_000;
  const [cpu, mem, disk] = await Promise.all([
    cpuPoints(ds, serverId, from, now),
    memPoints(ds, serverId, from, now),
    diskPoints(ds, serverId, from, now),
  ]);
  return { from, to: now, cpu, mem, disk };
}
