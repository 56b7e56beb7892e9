// Sitewatch's own alarm conditions: set-based reads saying which (site, alarm, node) is wrong right now, and why.
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema';
import type { Site } from '../../entities';
import { type FileFormat, fileName } from '../ingest/formats/types';
import { num, placeholders } from '../queries/sql';
import { dayKey, formatInstant, fromWallClock, startOfDay } from '../time';

export type SelfAlarmName =
  | 'SW_FILE_MISSING'
  | 'SW_FILE_STALE'
  | 'SW_SERVER_SILENT'
  | 'SW_FETCH_FAILING'
  | 'SW_CPU_HIGH'
  | 'SW_MEM_HIGH'
  | 'SW_DISK_HIGH';

/** One condition that holds now; the alarm (site, name, node) should be active. */
export interface SelfCondition {
  siteId: number;
  name: SelfAlarmName;
  node: string;
  description: string;
  /**
   * Holds only as the continuation of an alarm already active: keeps it, never raises one. A site's
   * file that was still missing (or quiet) at midnight stays so until today's file shows otherwise,
   * rather than "recovering" at 00:00 and failing again later that morning.
   */
  keepOnly?: boolean;
}

export type SelfAlarmsConfig = Config['selfAlarms'];

export interface CheckContext {
  ds: DataSource;
  /** The sites to check (the enabled ones). */
  sites: readonly Site[];
  cfg: SelfAlarmsConfig;
  /** Zone a site's days and times are in. */
  tzOf: (site: Site) => string;
  now: number;
  /** File formats every site is expected to publish. */
  formats: readonly FileFormat[];
}

const MIN = 60_000;
/** Servers not seen for longer than this are taken as decommissioned, not silent. */
const SILENT_HORIZON_MS = 7 * 86_400_000;
/** Sites per IN list, well under every engine's bound-parameter limit. */
const SITE_BATCH = 500;
const ID_BATCH = 500;
/** Series per second read: each adds one OR-ed key range. */
const CANDIDATE_BATCH = 200;
const NODE_MAX = 128;
const ERROR_MAX = 300;

/*
 * Usage figures, the same as the status read model (src/queries/status.ts latestReadings):
 * cpu busy = user + sys + io; memory and disk = used / total. Memory and disk are tested with
 * integer arithmetic (used * 100 > pct * total) so that a reading exactly at the threshold is
 * never "over" through rounding, on either engine. Each `over` takes the threshold as one `?`.
 */
const USAGE = {
  cpu_sample: {
    value: 'user_pct + sys_pct + io_pct',
    over: 'user_pct + sys_pct + io_pct > ?',
  },
  mem_sample: {
    value: 'CASE WHEN total_bytes > 0 THEN 100.0 * used_bytes / total_bytes END',
    over: 'total_bytes > 0 AND used_bytes * 100 > ? * total_bytes',
  },
  disk_sample: {
    value: 'CASE WHEN total_bytes > 0 THEN 100.0 * used_bytes / total_bytes END',
    over: 'total_bytes > 0 AND used_bytes * 100 > ? * total_bytes',
  },
} as const;
type SampleTable = keyof typeof USAGE;

type Row = Record<string, unknown>;

async function bySiteBatches(
  ctx: CheckContext,
  query: (ids: number[]) => Promise<Row[]>,
): Promise<Row[]> {
  const out: Row[] = [];
  const ids = ctx.sites.map((s) => s.id);
  for (let i = 0; i < ids.length; i += SITE_BATCH)
    out.push(...(await query(ids.slice(i, i + SITE_BATCH))));
  return out;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const minutes = (ms: number) => Math.floor(ms / MIN);
const pct1 = (v: number) => `${v.toFixed(1)}%`;

/**
 * Newest record time of a format's data at each site, for formats whose files grow all day.
 * No ingest_cursor column says when bytes were last added (last_fetch_at moves on every fetch),
 * so the data itself is the proxy. The alarm and service files grow only on events and once a
 * day, so a quiet stretch there is normal and they are not checked for staleness.
 */
const NEWEST_RECORD: Record<string, (ctx: CheckContext) => Promise<Map<number, number>>> = {
  system_info: async (ctx) => {
    const rows = await bySiteBatches(ctx, (ids) =>
      ctx.ds.query(
        `SELECT site_id, MAX(last_seen_at) AS newest FROM server WHERE site_id IN (${placeholders(ids.length)}) GROUP BY site_id`,
        ids,
      ),
    );
    const out = new Map<number, number>();
    for (const r of rows) {
      const t = num(r.newest);
      if (t !== null) out.set(Number(r.site_id), t);
    }
    return out;
  },
};

/**
 * SW_FILE_MISSING and SW_FILE_STALE for today's file of every expected format. The node is the
 * format (system_info…), not the dated file, so that an alarm carries over midnight: before today's
 * file is due, or before it has any data, an alarm still open from yesterday is kept, not resolved.
 */
export async function fileChecks(ctx: CheckContext): Promise<SelfCondition[]> {
  const { cfg, now } = ctx;
  if (ctx.sites.length === 0 || ctx.formats.length === 0) return [];
  const today = new Map(ctx.sites.map((s) => [s.id, dayKey(now, ctx.tzOf(s))]));
  const days = [...new Set(today.values())];
  const cursors = await bySiteBatches(ctx, (ids) =>
    ctx.ds.query(
      `SELECT site_id, kind, file_date, byte_offset, last_status, last_fetch_at FROM ingest_cursor
        WHERE site_id IN (${placeholders(ids.length)}) AND file_date IN (${placeholders(days.length)})`,
      [...ids, ...days],
    ),
  );
  const cursorOf = new Map<string, Row>();
  for (const c of cursors) cursorOf.set(`${c.site_id}\u0000${c.kind}\u0000${c.file_date}`, c);
  const newest = new Map<string, Map<number, number>>();
  for (const f of ctx.formats) {
    const probe = NEWEST_RECORD[f.name];
    if (probe) newest.set(f.name, await probe(ctx));
  }
  const [h, m] = cfg.fileMissingAfter.split(':').map(Number);
  const staleMs = cfg.fileStaleMinutes * MIN;
  const out: SelfCondition[] = [];
  for (const site of ctx.sites) {
    const tz = ctx.tzOf(site);
    const day = today.get(site.id)!;
    const dayStart = startOfDay(day, tz);
    const [year, month, date] = [day.slice(0, 4), day.slice(4, 6), day.slice(6)].map(Number);
    const dueAt = fromWallClock({ year, month, day: date, hour: h, minute: m, second: 0 }, tz);
    for (const f of ctx.formats) {
      const file = fileName(f, day);
      const c = cursorOf.get(`${site.id}\u0000${f.name}\u0000${day}`);
      const status = c ? (c.last_status as string | null) : null;
      const probe = newest.get(f.name);
      const keep = (name: SelfAlarmName) =>
        out.push({ siteId: site.id, name, node: f.name, description: '', keepOnly: true });
      if (!c || status === '404') {
        if (now < dueAt) {
          keep('SW_FILE_MISSING');
          if (probe) keep('SW_FILE_STALE');
          continue;
        }
        const checked = c ? num(c.last_fetch_at) : null;
        const why = checked === null ? '尚无拉取记录' : `最后检查 ${formatInstant(checked, tz)}`;
        out.push({
          siteId: site.id,
          name: 'SW_FILE_MISSING',
          node: f.name,
          description: `今日文件 ${file} 在 ${cfg.fileMissingAfter} 后仍不存在（${why}）`,
        });
        continue;
      }
      const exists = (num(c.byte_offset) ?? 0) > 0 || ['200', '206', '304'].includes(status ?? '');
      if (!probe) continue;
      if (!exists) {
        if (now < dueAt) keep('SW_FILE_STALE');
        continue;
      }
      const last = probe.get(site.id) ?? null;
      // Today's file cannot have grown before midnight: its quiet time is counted from then at most.
      const since = last !== null && last > dayStart ? last : dayStart;
      const idle = now - since;
      if (idle < staleMs) {
        if (since === dayStart) keep('SW_FILE_STALE');
        continue;
      }
      out.push({
        siteId: site.id,
        name: 'SW_FILE_STALE',
        node: f.name,
        description:
          since === dayStart
            ? `今日文件 ${file} 自 00:00 起已 ${minutes(idle)} 分钟没有新数据`
            : `今日文件 ${file} 已 ${minutes(idle)} 分钟没有新数据（最新记录 ${formatInstant(last!, tz)}）`,
      });
    }
  }
  return out;
}

/** SW_SERVER_SILENT: servers seen in the last 7 days but not for more than serverSilentMinutes. */
export async function silentServerChecks(ctx: CheckContext): Promise<SelfCondition[]> {
  const { now } = ctx;
  if (ctx.sites.length === 0) return [];
  const rows = await bySiteBatches(ctx, (ids) =>
    ctx.ds.query(
      `SELECT site_id, name, last_seen_at FROM server
        WHERE site_id IN (${placeholders(ids.length)}) AND last_seen_at < ? AND last_seen_at >= ?
        ORDER BY site_id, name`,
      [...ids, now - ctx.cfg.serverSilentMinutes * MIN, now - SILENT_HORIZON_MS],
    ),
  );
  const siteOf = new Map(ctx.sites.map((s) => [s.id, s]));
  return rows.map((r) => {
    const site = siteOf.get(Number(r.site_id))!;
    const last = num(r.last_seen_at)!;
    const name = String(r.name);
    return {
      siteId: site.id,
      name: 'SW_SERVER_SILENT' as const,
      node: name,
      description: `服务器 ${name} 已 ${minutes(now - last)} 分钟没有上报数据（最后上报 ${formatInstant(last, ctx.tzOf(site))}）`,
    };
  });
}

/**
 * SW_FETCH_FAILING: the last fetch failed and no fetch has succeeded for fetchFailingMinutes.
 * A site that never succeeded counts from its registration: there is no first-failure column.
 */
export function fetchChecks(ctx: CheckContext): SelfCondition[] {
  const { now } = ctx;
  const out: SelfCondition[] = [];
  for (const site of ctx.sites) {
    if (site.lastErrorAt === null) continue;
    if (site.lastSuccessAt !== null && site.lastErrorAt <= site.lastSuccessAt) continue;
    const since = site.lastSuccessAt ?? site.createdAt;
    const lasted = now - since;
    if (lasted < ctx.cfg.fetchFailingMinutes * MIN) continue;
    const err = clip((site.lastError ?? '未知错误').replace(/\s+/g, ' ').trim(), ERROR_MAX);
    const tz = ctx.tzOf(site);
    out.push({
      siteId: site.id,
      name: 'SW_FETCH_FAILING',
      node: site.code,
      description:
        site.lastSuccessAt !== null
          ? `局点文件拉取已连续失败 ${minutes(lasted)} 分钟（最后成功 ${formatInstant(site.lastSuccessAt, tz)}）：${err}`
          : `局点文件拉取自添加以来一直失败（已 ${minutes(lasted)} 分钟）：${err}`,
    });
  }
  return out;
}

interface OverRow {
  siteId: number;
  server: string;
  mount: string | null;
  low: number;
}

interface ServerRef {
  id: number;
  siteId: number;
  name: string;
}

/** Every server of the sites (a server with no recent sample costs one empty index probe). */
async function serversOf(ctx: CheckContext): Promise<ServerRef[]> {
  const rows = await bySiteBatches(ctx, (ids) =>
    ctx.ds.query(
      `SELECT id, site_id, name FROM server WHERE site_id IN (${placeholders(ids.length)})`,
      ids,
    ),
  );
  return rows.map((r) => ({ id: Number(r.id), siteId: Number(r.site_id), name: String(r.name) }));
}

/**
 * Servers (or server mounts) whose readings stayed over a threshold: every sample in the
 * overMinutes up to the series' newest sample is over it, that newest sample is no older than
 * overMinutes, and at least 2 samples span at least 80 % of the window. The window ends at the
 * newest sample rather than at `now` so that 5-minute samples, which reach us a few minutes
 * late, can fill it.
 *
 * Two grouped reads, each a range scan of the (server_id, sampled_at…) primary key with constant
 * bounds: the first finds, per series, the newest sample and the newest sample not over the
 * threshold over the last 2 × overMinutes; only the series where the latter is older than the
 * window get the second read (lowest figure, count and span inside their own window).
 */
async function overThreshold(
  ctx: CheckContext,
  servers: ServerRef[],
  table: SampleTable,
  threshold: number,
): Promise<OverRow[]> {
  const { now } = ctx;
  const overMs = ctx.cfg.overMinutes * MIN;
  const span = Math.ceil(overMs * 0.8);
  const { value, over } = USAGE[table];
  const disk = table === 'disk_sample';
  const series = disk ? 'server_id, mount' : 'server_id';
  const lastLow = `MAX(CASE WHEN ${over} THEN NULL ELSE sampled_at END)`;
  const candidates: { serverId: number; mount: string | null; newest: number }[] = [];
  for (let i = 0; i < servers.length; i += ID_BATCH) {
    const ids = servers.slice(i, i + ID_BATCH).map((s) => s.id);
    const rows: Row[] = await ctx.ds.query(
      `SELECT ${series}, MAX(sampled_at) AS newest FROM ${table}
        WHERE server_id IN (${placeholders(ids.length)}) AND sampled_at >= ? AND sampled_at <= ?
        GROUP BY ${series}
       HAVING MAX(sampled_at) >= ? AND (${lastLow} IS NULL OR ${lastLow} < MAX(sampled_at) - ?)`,
      [...ids, now - 2 * overMs, now, now - overMs, threshold, threshold, overMs],
    );
    for (const r of rows) {
      candidates.push({
        serverId: Number(r.server_id),
        mount: disk ? String(r.mount) : null,
        newest: num(r.newest)!,
      });
    }
  }
  const byId = new Map(servers.map((s) => [s.id, s]));
  const out: OverRow[] = [];
  for (let i = 0; i < candidates.length; i += CANDIDATE_BATCH) {
    const batch = candidates.slice(i, i + CANDIDATE_BATCH);
    const params: unknown[] = [];
    const ranges = batch
      .map((c) => {
        params.push(c.serverId, ...(disk ? [c.mount] : []), c.newest - overMs, c.newest);
        return `(server_id = ?${disk ? ' AND mount = ?' : ''} AND sampled_at >= ? AND sampled_at <= ?)`;
      })
      .join(' OR ');
    const rows: Row[] = await ctx.ds.query(
      `SELECT ${series}, MIN(${value}) AS low FROM ${table} WHERE ${ranges}
        GROUP BY ${series} HAVING COUNT(*) >= 2 AND MAX(sampled_at) - MIN(sampled_at) >= ?`,
      [...params, span],
    );
    for (const r of rows) {
      const s = byId.get(Number(r.server_id))!;
      out.push({
        siteId: s.siteId,
        server: s.name,
        mount: disk ? String(r.mount) : null,
        low: num(r.low) ?? 0,
      });
    }
  }
  return out;
}

/** SW_CPU_HIGH, SW_MEM_HIGH and SW_DISK_HIGH. */
export async function usageChecks(ctx: CheckContext): Promise<SelfCondition[]> {
  if (ctx.sites.length === 0) return [];
  const { cfg } = ctx;
  const servers = await serversOf(ctx);
  if (servers.length === 0) return [];
  const window = `${cfg.overMinutes} 分钟内持续高于`;
  const [cpu, mem, disk] = [
    await overThreshold(ctx, servers, 'cpu_sample', cfg.cpuPercent),
    await overThreshold(ctx, servers, 'mem_sample', cfg.memPercent),
    await overThreshold(ctx, servers, 'disk_sample', cfg.diskPercent),
  ];
  return [
    ...cpu.map((r) => ({
      siteId: r.siteId,
      name: 'SW_CPU_HIGH' as const,
      node: r.server,
      description: `CPU 使用率 ${window} ${cfg.cpuPercent}%（最低 ${pct1(r.low)}）`,
    })),
    ...mem.map((r) => ({
      siteId: r.siteId,
      name: 'SW_MEM_HIGH' as const,
      node: r.server,
      description: `内存使用率 ${window} ${cfg.memPercent}%（最低 ${pct1(r.low)}）`,
    })),
    ...disk.map((r) => ({
      siteId: r.siteId,
      name: 'SW_DISK_HIGH' as const,
      node: clip(`${r.server}:${r.mount}`, NODE_MAX),
      description: `磁盘 ${r.mount} 使用率 ${window} ${cfg.diskPercent}%（最低 ${pct1(r.low)}）`,
    })),
  ];
}

/** Every condition that holds now, ordered by site, name and node. */
export async function evaluateSelfChecks(ctx: CheckContext): Promise<SelfCondition[]> {
  const all = [
    ...(await fileChecks(ctx)),
    ...(await silentServerChecks(ctx)),
    ...fetchChecks(ctx),
    ...(await usageChecks(ctx)),
  ];
  return all.sort(
    (a, b) =>
      a.siteId - b.siteId ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      (a.node < b.node ? -1 : a.node > b.node ? 1 : 0),
  );
}
