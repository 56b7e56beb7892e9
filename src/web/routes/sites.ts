// The sites page and API: the user's sites with health (servers reporting / stale, active alarms, last ingest and error).
import type { FastifyInstance } from 'fastify';
import { type SiteHealth, visibleSitesWithHealth } from '../../queries';
import { formatInstant } from '../../time';
import { type WebDeps, renderPage, userOf } from '../context';
import { requireUser } from '../guards';
import type { Messages } from '../i18n';
import type { WebRoute } from './types';

export const sitesMessages: Messages = {
  zh: {
    sitesTitle: '我的局点',
    code: '编号',
    name: '名称',
    servers: '服务器',
    reporting: '上报中',
    stale: '停报',
    activeAlarms: '活动告警',
    lastIngest: '最近采集',
    lastError: '最近错误',
    noSites: '没有可查看的局点。',
  },
  en: {
    sitesTitle: 'My sites',
    code: 'Code',
    name: 'Name',
    servers: 'Servers',
    reporting: 'Reporting',
    stale: 'Stale',
    activeAlarms: 'Active alarms',
    lastIngest: 'Last ingest',
    lastError: 'Last error',
    noSites: 'No sites to show.',
  },
};

/** JSON shape of one site's health (times as epoch ms and as site-local text). */
export function siteHealthJson(h: SiteHealth, tz: string) {
  const fmt = (ms: number | null) => (ms === null ? null : formatInstant(ms, tz));
  return {
    code: h.site.code,
    name: h.site.name,
    servers: h.servers,
    reporting: h.reporting,
    stale: h.stale,
    activeAlarms: h.activeAlarms,
    lastSampleAt: h.lastSampleAt,
    lastIngestAt: h.lastIngestAt,
    lastIngestText: fmt(h.lastIngestAt),
    lastSuccessAt: h.lastSuccessAt,
    lastError: h.lastError,
    lastErrorAt: h.lastErrorAt,
    lastErrorText: fmt(h.lastErrorAt),
  };
}

export const sitesRoutes: WebRoute = {
  name: 'sites',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireUser);
    const load = async (userId: number, role: 'admin' | 'operator') =>
      (await visibleSitesWithHealth(deps.ds, { userId, role }, deps.now())).map((h) =>
        siteHealthJson(h, h.site.timezone ?? deps.config.timezone),
      );

    app.get('/', async (req, reply) => {
      const user = userOf(req);
      const sites = await load(user.id, user.role);
      return renderPage(req, reply, deps, 'sites.eta', { title: null, nav: 'sites', sites }, [
        sitesMessages,
      ]);
    });

    app.get('/api/sites', async (req, reply) => {
      const user = userOf(req);
      reply.header('cache-control', 'no-store');
      return { sites: await load(user.id, user.role) };
    });
  },
};
