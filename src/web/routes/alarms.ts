// The alarms page and API: active and past alarms of the user's sites with filters and paging; acknowledge, silence, unsilence.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { Alarm, type Site } from '../../../entities';
import {
  ackAlarm,
  activeSilences,
  cancelSilence,
  listSilences,
  silenceSite,
} from '../../alarms/silences';
import { SitewatchError } from '../../errors';
import { visibleSites } from '../../queries';
import { listAlarms } from '../../queries/web-alarms';
import { addDays, startOfDay } from '../../time';
import { type WebDeps, renderPage, siteFor, userOf } from '../context';
import { requireUser } from '../guards';
import type { Messages } from '../i18n';
import { alarmJson, alarmListMessages, parseInput, timeText, tzOf } from './site';
import type { WebRoute } from './types';

export const ALARMS_DEFAULT_LIMIT = 100;
export const ALARMS_MAX_LIMIT = 500;
/** The durations the silence form offers, in minutes. */
export const SILENCE_CHOICES = [
  ['30m', 30],
  ['2h', 120],
  ['1d', 1440],
  ['7d', 10080],
] as const;

export const alarmsMessages: Messages = {
  zh: {
    alarmsTitle: '告警',
    filterState: '类型',
    filterActive: '活动告警',
    filterHistory: '历史告警',
    filterSite: '局点',
    allSites: '全部局点',
    filterName: '告警名',
    filterNode: '节点',
    filterFrom: '从',
    filterTo: '到',
    filter: '筛选',
    noAlarms: '没有符合条件的告警。',
    nextPage: '更早的告警 →',
    silencesTitle: '静默',
    noSilences: '没有生效中的静默。',
    silenceSite: '局点',
    silenceName: '告警名（可选，不填则静默全部）',
    silenceScope: '范围',
    silenceAll: '全部告警',
    silenceEnds: '结束时间',
    silenceBy: '设置人',
    silenceDuration: '时长',
    dur_30m: '30 分钟',
    dur_2h: '2 小时',
    dur_1d: '1 天',
    dur_7d: '7 天',
    silence: '静默',
    unsilence: '取消静默',
    cancelled: '已取消',
  },
  en: {
    alarmsTitle: 'Alarms',
    filterState: 'Show',
    filterActive: 'Active',
    filterHistory: 'History',
    filterSite: 'Site',
    allSites: 'All sites',
    filterName: 'Alarm name',
    filterNode: 'Node',
    filterFrom: 'From',
    filterTo: 'To',
    filter: 'Filter',
    noAlarms: 'No alarms match.',
    nextPage: 'Older alarms →',
    silencesTitle: 'Silences',
    noSilences: 'No silence in force.',
    silenceSite: 'Site',
    silenceName: 'Alarm name (optional; empty silences all)',
    silenceScope: 'Scope',
    silenceAll: 'all alarms',
    silenceEnds: 'Ends',
    silenceBy: 'Set by',
    silenceDuration: 'Duration',
    dur_30m: '30 minutes',
    dur_2h: '2 hours',
    dur_1d: '1 day',
    dur_7d: '7 days',
    silence: 'Silence',
    unsilence: 'Unsilence',
    cancelled: 'cancelled',
  },
};

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => addDays(s, 0) === s, 'is not a calendar date');
/** Empty form fields count as absent. */
const blank = (v: unknown) => (v === '' ? undefined : v);
const alarmQuery = z.object({
  state: z.preprocess(blank, z.enum(['active', 'history']).optional().default('active')),
  site: z.preprocess(blank, z.string().max(64).optional()),
  name: z.preprocess(blank, z.string().trim().max(128).optional()),
  node: z.preprocess(blank, z.string().trim().max(128).optional()),
  from: z.preprocess(blank, day.optional()),
  to: z.preprocess(blank, day.optional()),
  limit: z.preprocess(
    blank,
    z.coerce.number().int().min(1).max(ALARMS_MAX_LIMIT).optional().default(ALARMS_DEFAULT_LIMIT),
  ),
  before: z.preprocess(blank, z.coerce.number().int().positive().optional()),
});
type AlarmQuery = z.infer<typeof alarmQuery>;

const silenceBody = z.object({
  site: z.string().min(1).max(64),
  minutes: z.coerce.number().int(),
  name: z.preprocess(blank, z.string().trim().max(128).nullable().optional()),
});

/** Alarms (and silences in force) the query asks for, of the user's sites only. */
async function alarmsData(req: FastifyRequest, deps: WebDeps, q: AlarmQuery) {
  const user = userOf(req);
  const all = await visibleSites(deps.ds, { userId: user.id, role: user.role });
  const sites: Site[] = q.site ? [await siteFor(req, deps, q.site)] : all;
  const tz = q.site ? tzOf(sites[0], deps) : deps.config.timezone;
  const ids = sites.map((s) => s.id);
  const now = deps.now();
  const [listed, silences, inForce] = await Promise.all([
    listAlarms(deps.ds, {
      siteIds: ids,
      state: q.state,
      name: q.name,
      node: q.node,
      // Days are read in the chosen site's zone, else in the configured one.
      from: q.from ? startOfDay(q.from.replace(/-/g, ''), tz) : undefined,
      to: q.to ? startOfDay(addDays(q.to, 1).replace(/-/g, ''), tz) : undefined,
      before: q.before,
      limit: q.limit,
    }),
    activeSilences(deps.ds.manager, ids, now),
    listSilences(deps.ds, ids, now),
  ]);
  const byId = new Map(sites.map((s) => [s.id, s]));
  return {
    filter: {
      state: q.state,
      site: q.site ?? null,
      name: q.name ?? null,
      node: q.node ?? null,
      from: q.from ?? null,
      to: q.to ?? null,
      limit: q.limit,
      before: q.before ?? null,
    },
    alarms: listed.alarms.map((a) => alarmJson(a, byId.get(a.siteId)!, deps, silences)),
    next: listed.next,
    silences: inForce.map((s) => {
      const stz = s.siteTimezone ?? deps.config.timezone;
      return {
        id: s.id,
        site: s.siteCode,
        siteName: s.siteName,
        alarmName: s.alarmName,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        endsText: timeText(s.endsAt, stz),
        createdByName: s.createdByName,
      };
    }),
    sites: all.map((s) => ({ code: s.code, name: s.name })),
  };
}

/** The id in the URL as a number; anything else answers like a missing one. */
function idParam(req: FastifyRequest, what: string): number {
  const raw = (req.params as { id: string }).id;
  const n = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < 1)
    throw new SitewatchError('NOT_FOUND', `No ${what} ${raw}.`);
  return n;
}

export const alarmsRoutes: WebRoute = {
  name: 'alarms',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireUser);

    app.get('/alarms', async (req, reply) => {
      const q = parseInput(alarmQuery, req.query);
      const data = await alarmsData(req, deps, q);
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(data.filter))
        if (v !== null && k !== 'before' && !(k === 'limit' && v === ALARMS_DEFAULT_LIMIT))
          params.set(k, String(v));
      if (data.next !== null) params.set('before', String(data.next));
      return renderPage(
        req,
        reply,
        deps,
        'alarms.eta',
        {
          title: null,
          nav: 'alarms',
          ...data,
          nextUrl: data.next === null ? null : `/alarms?${params.toString()}`,
          durations: SILENCE_CHOICES,
        },
        [alarmsMessages, alarmListMessages],
      );
    });

    app.get('/api/alarms', async (req, reply) => {
      const q = parseInput(alarmQuery, req.query);
      reply.header('cache-control', 'no-store');
      return alarmsData(req, deps, q);
    });

    app.post('/api/alarms/:id/ack', async (req) => {
      const user = userOf(req);
      const id = idParam(req, 'alarm');
      // Only alarms of the user's (enabled) sites; any other id answers like a missing one.
      const alarm = await deps.ds.getRepository(Alarm).findOne({ where: { id } });
      const sites = await visibleSites(deps.ds, { userId: user.id, role: user.role });
      const site = alarm ? sites.find((s) => s.id === alarm.siteId) : undefined;
      if (!site) throw new SitewatchError('NOT_FOUND', `No alarm #${id}.`);
      const r = await ackAlarm(deps.ds, { userId: user.id, alarmId: id, now: deps.now() });
      return {
        id: r.alarm.id,
        already: r.already,
        ackedBy: r.alarm.ackedBy,
        ackedByName: r.ackedByName,
        ackedAt: r.alarm.ackedAt,
        ackedText: timeText(r.alarm.ackedAt, tzOf(site, deps)),
      };
    });

    app.post('/api/silences', async (req) => {
      const user = userOf(req);
      const b = parseInput(silenceBody, req.body);
      const site = await siteFor(req, deps, b.site);
      const s = await silenceSite(deps.ds, {
        userId: user.id,
        siteId: site.id,
        minutes: b.minutes,
        alarmName: b.name ?? null,
        now: deps.now(),
      });
      return {
        silence: {
          id: s.id,
          site: site.code,
          alarmName: s.alarmName,
          startsAt: s.startsAt,
          endsAt: s.endsAt,
          endsText: timeText(s.endsAt, tzOf(site, deps)),
        },
      };
    });

    app.post('/api/silences/:id/cancel', async (req) => {
      const user = userOf(req);
      const id = idParam(req, 'silence');
      const r = await cancelSilence(deps.ds, { userId: user.id, silenceId: id, now: deps.now() });
      return { id: r.silence.id, outcome: r.outcome, cancelledAt: r.silence.cancelledAt };
    });
  },
};
