// One site's page and API: servers table, yesterday's business figures, trend and overview charts, active alarms.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { describeAlarm } from '../../../config/alarm-dict';
import { buildChart } from '../../../charts/registry';
import type { ChartContext } from '../../../charts/types';
import type { Site } from '../../../entities';
import { type ActiveSilence, activeSilences, silenceFor } from '../../alarms/silences';
import { SitewatchError } from '../../errors';
import { change, count, siteZone } from '../../present/format';
import {
  FIGURE_KEYS,
  type SiteStatus,
  dailyFigures,
  siteStatus,
  yesterdayFigures,
} from '../../queries';
import { type AlarmRow, listAlarms } from '../../queries/web-alarms';
import { formatInstant } from '../../time';
import { type WebDeps, langOf, renderPage, siteFor } from '../context';
import { requireUser } from '../guards';
import type { Messages } from '../i18n';
import type { WebRoute } from './types';

/** Texts of alarm lists (the site page and the alarms page). */
export const alarmListMessages: Messages = {
  zh: {
    alarmId: '编号',
    alarmSite: '局点',
    alarmName: '告警',
    alarmNode: '节点',
    alarmDescription: '描述',
    alarmRaised: '发生时间',
    alarmResumed: '恢复时间',
    alarmState: '状态',
    stateActive: '活动',
    stateResolved: '已恢复',
    stateStale: '已过期',
    ack: '确认',
    ackedBy: '已确认 by {name}',
    silencedUntil: '静默至 {time}',
    severity_critical: '严重',
    severity_major: '重要',
    severity_minor: '次要',
    severity_info: '提示',
  },
  en: {
    alarmId: 'ID',
    alarmSite: 'Site',
    alarmName: 'Alarm',
    alarmNode: 'Node',
    alarmDescription: 'Description',
    alarmRaised: 'Raised',
    alarmResumed: 'Resumed',
    alarmState: 'State',
    stateActive: 'active',
    stateResolved: 'resolved',
    stateStale: 'stale',
    ack: 'Acknowledge',
    ackedBy: 'Acked by {name}',
    silencedUntil: 'Silenced until {time}',
    severity_critical: 'critical',
    severity_major: 'major',
    severity_minor: 'minor',
    severity_info: 'info',
  },
};

export const siteMessages: Messages = {
  zh: {
    serversTitle: '服务器',
    serverName: '名称',
    serverIp: 'IP',
    cpu: 'CPU',
    mem: '内存',
    disk: '磁盘（最满）',
    lastSeen: '最后上报',
    staleMark: '停报',
    noServers: '该局点还没有服务器。',
    yesterdayTitle: '昨日业务（{date}）',
    comparedTo: '较 {date}',
    noFigures: '暂无 {date} 的业务数据。',
    fig_sub: '开通',
    fig_unsub: '退订',
    fig_total: '总用户',
    fig_calls: '调用',
    fig_shows: '推送',
    fig_mo: '上行',
    fig_mt: '下行',
    chartsTitle: '图表',
    trendChart: '近 30 天业务趋势',
    overviewChart: '服务器概览',
    activeAlarmsTitle: '活动告警（{n}）',
    noActiveAlarms: '没有活动告警。',
    moreAlarms: '查看全部告警',
    report: '业务报表',
  },
  en: {
    serversTitle: 'Servers',
    serverName: 'Name',
    serverIp: 'IP',
    cpu: 'CPU',
    mem: 'Memory',
    disk: 'Disk (fullest)',
    lastSeen: 'Last seen',
    staleMark: 'stale',
    noServers: 'This site has no servers yet.',
    yesterdayTitle: 'Yesterday ({date})',
    comparedTo: 'vs {date}',
    noFigures: 'No business figures for {date}.',
    fig_sub: 'Opens',
    fig_unsub: 'Closes',
    fig_total: 'Total users',
    fig_calls: 'Calls',
    fig_shows: 'Pushes',
    fig_mo: 'MO',
    fig_mt: 'MT',
    chartsTitle: 'Charts',
    trendChart: 'Business trend, last 30 days',
    overviewChart: 'Server overview',
    activeAlarmsTitle: 'Active alarms ({n})',
    noActiveAlarms: 'No active alarms.',
    moreAlarms: 'All alarms',
    report: 'Business report',
  },
};

/** Days of the site page's business trend chart. */
export const TREND_DAYS = 30;
/** Active alarms listed on the site page. */
export const SITE_ALARMS_SHOWN = 100;

/** Parse query or body values with `schema`; a mismatch is a bad request (400) naming the field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) {
    const msg = r.error.issues
      .map((i) => `${i.path.join('.') || 'input'}: ${i.message}`)
      .join('; ');
    throw new SitewatchError('USAGE', msg);
  }
  return r.data;
}

/** The zone a site's times are shown in. */
export const tzOf = (site: Pick<Site, 'timezone'>, deps: WebDeps) => siteZone(site, deps.config);

/** 'YYYY-MM-DD HH:MM' in `tz`, or null. */
export const timeText = (ms: number | null, tz: string): string | null =>
  ms === null ? null : formatInstant(ms, tz);

/** Charts in the page's language and the site's zone. */
export function chartContext(req: FastifyRequest, deps: WebDeps, site: Site): ChartContext {
  return { lang: langOf(req, deps), tz: tzOf(site, deps) };
}

/** One alarm as the portal shows it: dictionary title and severity, site-local times, ack and silence state. */
export function alarmJson(
  a: AlarmRow,
  site: Site,
  deps: WebDeps,
  silences: readonly ActiveSilence[],
) {
  const tz = tzOf(site, deps);
  const d = describeAlarm(deps.dict, a.name);
  const s = a.state === 'active' ? silenceFor(silences, a.siteId, a.name) : null;
  return {
    id: a.id,
    site: site.code,
    siteName: site.name,
    name: a.name,
    title: d.title,
    severity: d.severity,
    node: a.node,
    description: a.description,
    state: a.state,
    raisedAt: a.raisedAt,
    raisedText: timeText(a.raisedAt, tz),
    resumedAt: a.resumedAt,
    resumedText: timeText(a.resumedAt, tz),
    ackedBy: a.ackedBy,
    ackedByName: a.ackedBy === null ? null : (a.ackedByName ?? `#${a.ackedBy}`),
    ackedAt: a.ackedAt,
    ackedText: timeText(a.ackedAt, tz),
    silencedUntil: s?.endsAt ?? null,
    silencedUntilText: s ? timeText(s.endsAt, tz) : null,
    silencedBy: s?.createdByName ?? null,
  };
}
export type AlarmJson = ReturnType<typeof alarmJson>;

function serversJson(st: SiteStatus, tz: string) {
  return st.servers.map((s) => ({
    id: s.id,
    name: s.name,
    ip: s.ip,
    cpuPct: s.cpuPct,
    memPct: s.memPct,
    diskPct: s.diskPct,
    diskMount: s.diskMount,
    lastSeenAt: s.lastSeenAt,
    lastSeenText: timeText(s.lastSeenAt, tz),
    stale: s.stale,
    url: `/sites/${encodeURIComponent(st.site.code)}/servers/${s.id}`,
  }));
}

/** Everything the site page shows (charts come from the charts API). */
async function siteData(deps: WebDeps, site: Site) {
  const tz = tzOf(site, deps);
  const now = deps.now();
  const [st, y, listed, silences] = await Promise.all([
    siteStatus(deps.ds, site, now),
    yesterdayFigures(deps.ds, site.id, now, tz),
    listAlarms(deps.ds, { siteIds: [site.id], state: 'active', limit: SITE_ALARMS_SHOWN }),
    activeSilences(deps.ds.manager, [site.id], now),
  ]);
  const cur = y.current;
  const prev = y.previous;
  return {
    site: { code: site.code, name: site.name, timezone: tz },
    servers: serversJson(st, tz),
    yesterday: {
      date: y.date,
      previousDate: prev ? prev.date : null,
      figures: cur
        ? FIGURE_KEYS.map((k) => ({
            key: k,
            value: cur[k],
            previous: prev ? prev[k] : null,
            delta: prev ? cur[k] - prev[k] : null,
            change: prev ? change(cur[k], prev[k]) : null,
          }))
        : [],
    },
    // siteStatus already counted the active alarms.
    alarmsTotal: st.activeAlarms,
    alarms: listed.alarms.map((a) => alarmJson(a, site, deps, silences)),
    chartsUrl: `/api/sites/${encodeURIComponent(site.code)}/charts`,
  };
}

export const siteRoutes: WebRoute = {
  name: 'site',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireUser);
    const codeOf = (req: FastifyRequest) => (req.params as { code: string }).code;

    app.get('/sites/:code', async (req, reply) => {
      const site = await siteFor(req, deps, codeOf(req));
      const data = await siteData(deps, site);
      return renderPage(
        req,
        reply,
        deps,
        'site.eta',
        { title: site.name, nav: 'sites', charts: true, count, ...data },
        [siteMessages, alarmListMessages],
      );
    });

    app.get('/api/sites/:code', async (req, reply) => {
      const site = await siteFor(req, deps, codeOf(req));
      reply.header('cache-control', 'no-store');
      return siteData(deps, site);
    });

    app.get('/api/sites/:code/charts', async (req, reply) => {
      const site = await siteFor(req, deps, codeOf(req));
      const ctx = chartContext(req, deps, site);
      const now = deps.now();
      const [st, trend] = await Promise.all([
        siteStatus(deps.ds, site, now),
        dailyFigures(deps.ds, site.id, TREND_DAYS, now, ctx.tz),
      ]);
      reply.header('cache-control', 'no-store');
      return {
        charts: {
          'chart-trend': buildChart('business-trend', { site: site.name, days: trend.days }, ctx),
          'chart-overview': buildChart(
            'site-overview',
            {
              site: site.name,
              servers: st.servers.map((s) => ({
                name: s.name,
                cpuPct: s.cpuPct,
                memPct: s.memPct,
                diskPct: s.diskPct,
                stale: s.stale,
              })),
            },
            ctx,
          ),
        },
      };
    });
  },
};
