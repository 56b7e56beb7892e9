// system_info_YYYYmmdd.txt: per-server cpu / mem / disk samples plus os, uptime and node lines.
import { isIP } from 'node:net';
import { insertIgnore, updateById, updateWhereIdIn, upsert } from '../../db/bulk';
import { SAMPLE_KINDS, SAMPLE_TABLES, type SampleKind } from '../../db/tables';
import {
  LineError,
  checkName,
  clip,
  flatCopy,
  parseBytes,
  parseCount,
  parsePercent,
} from '../values';
import type { FileFormat, ParseContext, StoreContext, StoreCounts } from './types';

interface Base {
  server: string;
  ip: string;
  at: number;
}
export type SystemInfoRecord =
  | (Base & { type: 'cpu'; user: number; sys: number; io: number; idle: number })
  | (Base & { type: 'mem'; used: number; free: number; buffer: number; total: number })
  | (Base & { type: 'disk'; mount: string; used: number; total: number })
  | (Base & { type: 'os'; osName: string; osVersion: string })
  | (Base & { type: 'uptime'; seconds: number })
  | (Base & { type: 'node'; node: string; status: 'up' | 'down' });

/** Values between the 4 leading fields and record_time, per type. */
const ARITY: Record<string, number[]> = Object.assign(Object.create(null), {
  cpu: [4],
  mem: [4],
  disk: [3],
  os: [2, 1],
  uptime: [1],
  node: [2],
});

const UP = new Set(['up', 'running', 'run', 'ok', 'alive', 'active', '1', 'true', '正常', '运行']);
const DOWN = new Set([
  'down',
  'stopped',
  'stop',
  'dead',
  'failed',
  'inactive',
  '0',
  'false',
  '异常',
  '停止',
]);

export function parseSystemInfo(f: string[], ctx: ParseContext): SystemInfoRecord {
  if (f.length < 6) throw new LineError(`expected at least 6 fields, found ${f.length}`);
  const [server, ip, siteCode, rawType] = f;
  const type = rawType in ARITY ? rawType : rawType.toLowerCase();
  const arity = ARITY[type];
  if (!arity)
    throw new LineError(
      `unknown type "${clip(rawType)}" (expected cpu, mem, disk, os, uptime or node)`,
    );
  const n = f.length - 5;
  if (!arity.includes(n)) {
    throw new LineError(`${type} line needs ${arity[0] + 5} fields, found ${f.length}`);
  }
  if (siteCode !== ctx.siteCode) {
    checkName(siteCode, 'site_id');
    throw new LineError(`site_id "${clip(siteCode)}" does not belong to site "${ctx.siteCode}"`);
  }
  if (!server) throw new LineError('server_name is empty');
  if (server.length > 128) throw new LineError('server_name is longer than 128 characters');
  checkName(server, 'server_name');
  if (!ip || ip.length > 64) throw new LineError('server_ip is empty or longer than 64 characters');
  if (isIP(ip) === 0) throw new LineError(`server_ip "${clip(ip)}" is not an IPv4 or IPv6 address`);
  const at = ctx.time(f[f.length - 1], 'record_time');
  // Plain literals, not a spread of shared fields: spreading cost more than the rest of the parse.
  switch (type) {
    case 'cpu':
      return {
        server,
        ip,
        at,
        type,
        user: parsePercent(f[4], 'user_use'),
        sys: parsePercent(f[5], 'sys_use'),
        io: parsePercent(f[6], 'io_use'),
        idle: parsePercent(f[7], 'idle'),
      };
    case 'mem': {
      const u = ctx.units.memory;
      return {
        server,
        ip,
        at,
        type,
        used: parseBytes(f[4], u, 'mem_use'),
        free: parseBytes(f[5], u, 'mem_free'),
        buffer: parseBytes(f[6], u, 'mem_buffer'),
        total: parseBytes(f[7], u, 'mem_total'),
      };
    }
    case 'disk': {
      const mount = f[4];
      if (!mount) throw new LineError('disk mount point is empty');
      if (mount.length > 255) throw new LineError('disk mount point is longer than 255 characters');
      checkName(mount, 'disk mount point');
      const used = parseBytes(f[5], ctx.units.disk, 'disk_used');
      const total = parseBytes(f[6], ctx.units.disk, 'disk_total');
      if (used > total) throw new LineError(`disk_used ${f[5]} is larger than disk_total ${f[6]}`);
      return { server, ip, at, type, mount, used, total };
    }
    case 'os':
      if (!f[4]) throw new LineError('os name is empty');
      return {
        server,
        ip,
        at,
        type,
        osName: checkName(f[4], 'os name').slice(0, 128),
        osVersion: n === 2 ? checkName(f[5], 'os version').slice(0, 128) : '',
      };
    case 'uptime':
      return { server, ip, at, type, seconds: parseCount(f[4].replace(/s$/i, ''), 'uptime') };
    default: {
      const node = f[4];
      if (!node || node.length > 128)
        throw new LineError('node name is empty or longer than 128 characters');
      checkName(node, 'node name');
      const s = f[5].toLowerCase();
      const status = UP.has(s) ? 'up' : DOWN.has(s) ? 'down' : null;
      if (!status) throw new LineError(`node status "${clip(f[5])}" is neither up nor down`);
      return { server, ip, at, type: 'node', node, status };
    }
  }
}

export async function storeSystemInfo(
  records: SystemInfoRecord[],
  ctx: StoreContext,
): Promise<StoreCounts> {
  const { em, engine } = ctx;
  const seen = new Map<string, { ip: string; at: number }>();
  for (const r of records) {
    const s = seen.get(r.server);
    if (!s || r.at >= s.at) seen.set(r.server, { ip: r.ip, at: r.at });
  }
  const servers = await ctx.servers.resolve(em, engine, seen);
  const idOf = (name: string) => servers.get(name)!.id;

  const cpu: unknown[][] = [];
  const mem: unknown[][] = [];
  const disk: unknown[][] = [];
  const nodes = new Map<string, unknown[]>();
  const osLatest = new Map<string, SystemInfoRecord & { type: 'os' }>();
  const upLatest = new Map<string, SystemInfoRecord & { type: 'uptime' }>();
  for (const r of records) {
    switch (r.type) {
      case 'cpu':
        cpu.push([idOf(r.server), r.at, r.user, r.sys, r.io, r.idle]);
        break;
      case 'mem':
        mem.push([idOf(r.server), r.at, r.used, r.free, r.buffer, r.total]);
        break;
      case 'disk':
        disk.push([idOf(r.server), r.mount, r.at, r.used, r.total]);
        break;
      case 'os': {
        const o = osLatest.get(r.server);
        if (!o || r.at >= o.at) osLatest.set(r.server, r);
        break;
      }
      case 'uptime': {
        const o = upLatest.get(r.server);
        if (!o || r.at >= o.at) upLatest.set(r.server, r);
        break;
      }
      case 'node': {
        const key = `${r.server}\u0000${r.node}`;
        const o = nodes.get(key);
        if (!o || r.at >= (o[3] as number))
          nodes.set(key, [idOf(r.server), r.node, r.status, r.at]);
        break;
      }
    }
  }
  const rows: Record<SampleKind, unknown[][]> = { cpu, mem, disk };
  let inserted = 0;
  for (const k of SAMPLE_KINDS) {
    const { table, columns } = SAMPLE_TABLES[k];
    inserted += await insertIgnore(em, engine, table, [...columns], rows[k]);
  }
  const samples = cpu.length + mem.length + disk.length;

  // Only the newest state of a node is kept (the seed: "keep only recent data for running nodes").
  let updated = 0;
  if (nodes.size > 0) {
    const ids = [...new Set([...nodes.values()].map((n) => n[0]))];
    const current = await em.query(
      `SELECT server_id, name, reported_at FROM server_node WHERE server_id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    const newest = new Map<string, number>(
      (current as { server_id: number; name: string; reported_at: number | string }[]).map((c) => [
        `${c.server_id}\u0000${c.name}`,
        Number(c.reported_at),
      ]),
    );
    const rows = [...nodes.values()].filter((n) => {
      const prev = newest.get(`${n[0]}\u0000${n[1]}`);
      return prev === undefined || (n[3] as number) >= prev;
    });
    await upsert(
      em,
      engine,
      'server_node',
      ['server_id', 'name', 'status', 'reported_at'],
      ['server_id', 'name'],
      ['status', 'reported_at'],
      rows,
    );
    updated += rows.length;
  }

  // Server facts: last seen, IP, OS and uptime, written only when they move forward.
  // Servers of one site report at the same moments, so grouping by value makes few statements.
  const byLastSeen = new Map<number, number[]>();
  const ipRows: unknown[][] = [];
  for (const [name, s] of seen) {
    const state = servers.get(name)!;
    if (state.lastSeenAt === null || s.at > state.lastSeenAt) {
      const ids = byLastSeen.get(s.at) ?? [];
      ids.push(state.id);
      byLastSeen.set(s.at, ids);
      state.lastSeenAt = s.at;
      if (s.ip !== state.ip) {
        state.ip = flatCopy(s.ip);
        ipRows.push([state.id, state.ip]);
      }
    }
  }
  for (const [at, ids] of byLastSeen) await updateWhereIdIn(em, 'server', 'last_seen_at', at, ids);
  await updateById(em, 'server', ['ip'], ipRows);
  await updateById(
    em,
    'server',
    ['os_name', 'os_version'],
    [...osLatest.values()].map((o) => [idOf(o.server), o.osName, o.osVersion]),
  );
  await updateById(
    em,
    'server',
    ['uptime_seconds', 'uptime_at'],
    [...upLatest.values()].map((u) => [idOf(u.server), u.seconds, u.at]),
  );
  updated += osLatest.size + upLatest.size;
  return { inserted, duplicate: samples - inserted, updated };
}

export const systemInfo: FileFormat<SystemInfoRecord> = {
  name: 'system_info',
  dir: 'sys_monitor',
  headerField: 'server_name',
  parse: parseSystemInfo,
  store: storeSystemInfo,
};
