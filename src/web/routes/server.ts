// One server's page and API: facts and latest readings, and cpu / memory / disk charts over 6 h, 24 h, 7 d or 30 d.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { buildChart } from '../../../charts/registry';
import { Server, type Site } from '../../../entities';
import { SitewatchError } from '../../errors';
import {
  DEFAULT_STALE_AFTER_MS,
  cpuPoints,
  diskPoints,
  latestReadings,
  memPoints,
} from '../../queries';
import { type WebDeps, renderPage, siteFor } from '../context';
import { requireUser } from '../guards';
import type { Messages } from '../i18n';
import { chartContext, parseInput, siteMessages, timeText, tzOf } from './site';
import type { WebRoute } from './types';

export const RANGES = { '6h': 6, '24h': 24, '7d': 7 * 24, '30d': 30 * 24 } as const;
export type RangeName = keyof typeof RANGES;
export const DEFAULT_RANGE: RangeName = '24h';

export const serverMessages: Messages = {
  zh: {
    serverTitle: '服务器 {name}',
    site: '局点',
    os: '系统',
    uptime: '已运行',
    latest: '最新读数',
    range: '时间范围',
    range_6h: '6 小时',
    range_24h: '24 小时',
    range_7d: '7 天',
    range_30d: '30 天',
    cpuChart: 'CPU 使用率',
    memChart: '内存使用',
    diskChart: '磁盘使用率',
    days: '{d} 天 {h} 小时',
    hours: '{h} 小时 {m} 分',
  },
  en: {
    serverTitle: 'Server {name}',
    site: 'Site',
    os: 'OS',
    uptime: 'Uptime',
    latest: 'Latest readings',
    range: 'Range',
    range_6h: '6 hours',
    range_24h: '24 hours',
    range_7d: '7 days',
    range_30d: '30 days',
    cpuChart: 'CPU usage',
    memChart: 'Memory usage',
    diskChart: 'Disk usage',
    days: '{d} d {h} h',
    hours: '{h} h {m} min',
  },
};

const rangeQuery = z.object({
  range: z
    .enum(Object.keys(RANGES) as [RangeName, ...RangeName[]])
    .optional()
    .default(DEFAULT_RANGE),
});

/** The server `id` (a decimal id) of `site`; anything else answers like a missing page. */
export async function serverOf(deps: WebDeps, site: Site, id: string): Promise<Server> {
  const n = /^\d{1,15}$/.test(id) ? Number(id) : NaN;
  const found = Number.isSafeInteger(n)
    ? await deps.ds.getRepository(Server).findOne({ where: { id: n, siteId: site.id } })
    : null;
  if (!found) throw new SitewatchError('NOT_FOUND', `No server "${id}".`);
  return found;
}

async function serverInfo(deps: WebDeps, site: Site, server: Server) {
  const tz = tzOf(site, deps);
  const now = deps.now();
  const r = await latestReadings(deps.ds, server.id);
  const stale = r.lastSeenAt === null || now - r.lastSeenAt > DEFAULT_STALE_AFTER_MS;
  const uptimeSeconds =
    server.uptimeSeconds !== null && server.uptimeAt !== null
      ? server.uptimeSeconds + Math.max(0, Math.floor((now - server.uptimeAt) / 1000))
      : null;
  const base = `/api/sites/${encodeURIComponent(site.code)}/servers/${server.id}`;
  return {
    site: { code: site.code, name: site.name, timezone: tz },
    server: {
      id: server.id,
      name: server.name,
      ip: server.ip,
      os: [server.osName, server.osVersion].filter(Boolean).join(' ') || null,
      uptimeSeconds,
      cpuPct: r.cpuPct,
      memPct: r.memPct,
      diskPct: r.diskPct,
      diskMount: r.diskMount,
      lastSeenAt: r.lastSeenAt,
      lastSeenText: timeText(r.lastSeenAt, tz),
      stale,
    },
    metricsUrl: `${base}/metrics`,
  };
}

export const serverRoutes: WebRoute = {
  name: 'server',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireUser);
    const load = async (req: FastifyRequest) => {
      const p = req.params as { code: string; server: string };
      const site = await siteFor(req, deps, p.code);
      return { site, server: await serverOf(deps, site, p.server) };
    };

    app.get('/sites/:code/servers/:server', async (req, reply) => {
      const { site, server } = await load(req);
      const { range } = parseInput(rangeQuery, req.query);
      const info = await serverInfo(deps, site, server);
      return renderPage(
        req,
        reply,
        deps,
        'server.eta',
        {
          title: server.name,
          nav: 'sites',
          charts: true,
          ...info,
          range,
          ranges: Object.keys(RANGES),
        },
        [serverMessages, siteMessages],
      );
    });

    app.get('/api/sites/:code/servers/:server', async (req, reply) => {
      const { site, server } = await load(req);
      reply.header('cache-control', 'no-store');
      return serverInfo(deps, site, server);
    });

    app.get('/api/sites/:code/servers/:server/metrics', async (req, reply) => {
      const { site, server } = await load(req);
      const { range } = parseInput(rangeQuery, req.query);
      const ctx = chartContext(req, deps, site);
      const to = deps.now();
      const from = to - RANGES[range] * 3_600_000;
      // The same reads as the bot's cpu / 内存 / 磁盘 commands, drawn by the same builders.
      const [cpu, mem, disk] = await Promise.all([
        cpuPoints(deps.ds, server.id, from, to),
        memPoints(deps.ds, server.id, from, to),
        diskPoints(deps.ds, server.id, from, to),
      ]);
      reply.header('cache-control', 'no-store');
      return {
        range,
        from,
        to,
        charts: {
          'chart-cpu': buildChart('server-cpu', { server: server.name, points: cpu }, ctx),
          'chart-mem': buildChart('server-mem', { server: server.name, points: mem }, ctx),
          'chart-disk': buildChart('server-disk', { server: server.name, mounts: disk }, ctx),
        },
      };
    });
  },
};
