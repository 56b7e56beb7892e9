// Which servers (or server mounts) stayed over a usage threshold: what SW_CPU_HIGH, SW_MEM_HIGH and SW_DISK_HIGH read.
import { num, placeholders } from '../../queries/sql';
import { MIN, type Row, bySiteBatches, sharedRead } from './shared';
import type { CheckInput, SelfAlarmsConfig } from './types';

const ID_BATCH = 500;
/** Series per second read: each adds one OR-ed key range. */
const CANDIDATE_BATCH = 200;

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
export type SampleTable = keyof typeof USAGE;

export interface OverRow {
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
function serversOf(input: CheckInput): Promise<ServerRef[]> {
  return sharedRead(input, 'servers', async () => {
    const rows = await bySiteBatches(input, (ids) =>
      input.ds.query(
        `SELECT id, site_id, name FROM server WHERE site_id IN (${placeholders(ids.length)})`,
        ids,
      ),
    );
    return rows.map((r) => ({ id: Number(r.id), siteId: Number(r.site_id), name: String(r.name) }));
  });
}

/** The words every usage alarm's description shares. */
export const overWindow = (cfg: SelfAlarmsConfig) => `${cfg.overMinutes} 分钟内持续高于`;

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
export async function overThreshold(
  input: CheckInput,
  cfg: SelfAlarmsConfig,
  now: number,
  table: SampleTable,
  threshold: number,
): Promise<OverRow[]> {
  if (input.sites.length === 0) return [];
  const servers = await serversOf(input);
  if (servers.length === 0) return [];
  const overMs = cfg.overMinutes * MIN;
  const span = Math.ceil(overMs * 0.8);
  const { value, over } = USAGE[table];
  const disk = table === 'disk_sample';
  const series = disk ? 'server_id, mount' : 'server_id';
  const lastLow = `MAX(CASE WHEN ${over} THEN NULL ELSE sampled_at END)`;
  const candidates: { serverId: number; mount: string | null; newest: number }[] = [];
  for (let i = 0; i < servers.length; i += ID_BATCH) {
    const ids = servers.slice(i, i + ID_BATCH).map((s) => s.id);
    const rows: Row[] = await input.ds.query(
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
    const rows: Row[] = await input.ds.query(
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
