// Read model: finding a server by name, IP or a part of its name among some sites, and its cpu / memory / disk points over a time range.
import type { DataSource } from 'typeorm';
import { num, placeholders } from './sql';

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

/** Where a server name splits into parts: 'BJ-CMCC-app01' is bj, cmcc, app01. */
const NAME_SEPARATORS = /[\s\-_.:/]+/;

const nameParts = (s: string) => s.toLowerCase().split(NAME_SEPARATORS).filter(Boolean);

/**
 * Whether the parts of `term` appear in `name`'s parts in order, each inside a part of its own:
 * 'bj-app01', 'cmcc-app', 'app01' and 'p01' are parts of 'BJ-CMCC-app01'. Every substring of the
 * name is such a part too.
 */
export function isNamePart(name: string, term: string): boolean {
  const want = nameParts(term);
  if (want.length === 0) return false;
  let i = 0;
  // Greedy: taking the earliest name part that holds the next term part never loses a match.
  for (const p of nameParts(name)) if (i < want.length && p.includes(want[i])) i++;
  return i === want.length;
}

/** By name (case-insensitive, the same on every engine), then id. */
function byName(a: ServerRef, b: ServerRef): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  if (x !== y) return x < y ? -1 : 1;
  return a.id - b.id;
}

/**
 * Match `term` among `servers` (case-insensitive): those whose full name or IP equals it; when none
 * does, those of which it is a part of the name (isNamePart) or of the IP. Ordered by name, then id.
 */
export function matchServers(servers: readonly ServerRef[], term: string): ServerRef[] {
  const t = term.trim().toLowerCase();
  if (t === '') return [];
  const exact = servers.filter((s) => s.name.toLowerCase() === t || s.ip.toLowerCase() === t);
  const found = exact.length
    ? exact
    : servers.filter((s) => s.ip.toLowerCase().includes(t) || isNamePart(s.name, t));
  return [...found].sort(byName);
}

/** The servers of the given sites matching `term` (matchServers). */
export async function findServers(
  ds: DataSource,
  siteIds: readonly number[],
  term: string,
): Promise<ServerRef[]> {
  if (siteIds.length === 0 || term.trim() === '') return [];
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT id, site_id, name, ip, os_name, os_version, uptime_seconds, uptime_at
       FROM server WHERE site_id IN (${placeholders(siteIds.length)})`,
    [...siteIds],
  );
  return matchServers(rows.map(ref), term);
}

/** The server `serverId` if it belongs to one of the given sites, else null (as if it did not exist). */
export async function serverOf(
  ds: DataSource,
  siteIds: readonly number[],
  serverId: number,
): Promise<ServerRef | null> {
  if (siteIds.length === 0 || !Number.isSafeInteger(serverId)) return null;
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT id, site_id, name, ip, os_name, os_version, uptime_seconds, uptime_at FROM server
      WHERE id = ? AND site_id IN (${placeholders(siteIds.length)})`,
    [serverId, ...siteIds],
  );
  return rows.length > 0 ? ref(rows[0]) : null;
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
