// Answer to a ranking: sites by a figure for a day (default yesterday) or a range, servers by their latest cpu / memory / disk across the request's sites, or the stale servers — with the ranking chart.
import type { Site } from '../../entities';
import type { Figure, Metric } from '../../src/nlu/types';
import { FIGURE_LABELS } from '../../src/present/figure-labels';
import { count, duration, pct, siteLabel, siteZone, when } from '../../src/present/format';
import {
  dailyFiguresOfSites,
  type Figures,
  serverStatuses,
  type SiteServerStatus,
} from '../../src/queries';
import { chartReply } from '../chart';
import { text } from '../reply';
import type { CommandContext, Reply } from '../types';
import { FIGURE_KEY, HOUR_MS, daysOf, daysText, pickSites, yesterday, zoneOf } from './common';
import type { IntentAnswer, IntentOf } from './types';

/** How many are listed when the question says no number, and at most. */
export const RANK_DEFAULT = 5;
export const RANK_MAX = 20;

type Ranking = IntentOf<'ranking'>;

const METRIC_LABELS: Record<Metric, string> = { cpu: 'CPU', mem: '内存', disk: '磁盘' };

/** The number to list: the question's (whole, at least 1), at most RANK_MAX. */
export function rankLimit(limit: number): { n: number; capped: boolean } {
  const n = Number.isFinite(limit) && limit >= 1 ? Math.floor(limit) : RANK_DEFAULT;
  return { n: Math.min(n, RANK_MAX), capped: n > RANK_MAX };
}

/** Ties keep a stable order: by name, then by code or id. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const rankingAnswer: IntentAnswer<'ranking'> = {
  kind: 'ranking',
  charts: () => true,
  async answer(intent, ctx) {
    const picked = await pickSites(ctx, 'ranking', intent.sites, { none: 'all' });
    if (!picked.ok) return picked.replies;
    const target = intent.target;
    if (target.kind === 'figure') return sitesByFigure(ctx, intent, target.figure, picked.sites);
    const servers = await serverStatuses(
      ctx.deps.ds,
      picked.sites.map((s) => s.id),
      ctx.deps.now(),
    );
    if (target.kind === 'metric') {
      return serversByMetric(ctx, intent, target.metric, picked.sites, servers);
    }
    return staleServers(ctx, intent, picked.sites, servers);
  },
};

/** The lines listed and the line for the rest. */
function listed<T>(ranked: readonly T[], intent: Ranking) {
  const { n, capped } = rankLimit(intent.limit);
  const top = ranked.slice(0, n);
  const rest = ranked.length - top.length;
  return { top, rest, capped };
}

function tail(lines: string[], rest: number, unit: string, capped: boolean): void {
  if (rest > 0) lines.push(`……及其他 ${rest} ${unit}`);
  if (capped) lines.push(`（最多列出 ${RANK_MAX} ${unit}。）`);
}

async function sitesByFigure(
  ctx: CommandContext,
  intent: Ranking,
  figure: Figure,
  sites: Site[],
): Promise<Reply[]> {
  const { deps } = ctx;
  const zone = zoneOf(sites, ctx);
  const { from, to } = intent.time
    ? daysOf(intent.time, zone)
    : { from: yesterday(deps.now(), zone), to: yesterday(deps.now(), zone) };
  const key = FIGURE_KEY[figure] ?? 'sub';
  const byId = await dailyFiguresOfSites(
    deps.ds,
    sites.map((s) => s.id),
    from,
    to,
  );
  // A range sums the days, except the total users: a level, so its last day.
  const valueOf = (days: Figures[]) =>
    from === to || key === 'total'
      ? days[days.length - 1][key]
      : days.reduce((a, d) => a + d[key], 0);
  const ranked = sites
    .filter((s) => (byId.get(s.id)?.length ?? 0) > 0)
    .map((site) => ({ site, value: valueOf(byId.get(site.id)!) }))
    .sort(
      (a, b) =>
        (intent.order === 'asc' ? a.value - b.value : b.value - a.value) ||
        byName(a.site.code, b.site.code),
    );
  const without = sites.filter((s) => !byId.get(s.id)?.length);
  const span = daysText(from, to);
  const what =
    FIGURE_LABELS[key] + (from === to ? '' : key === 'total' ? '（区间最后一天）' : '合计');
  const order = intent.order === 'asc' ? '从低到高' : '从高到低';
  const { top, rest, capped } = listed(ranked, intent);
  const lines = [`各局点 ${span} ${what}（${order}）：`];
  if (top.length === 0) lines.push('暂无数据。');
  top.forEach((r, i) => lines.push(`${i + 1}. ${siteLabel(r.site)}${count(r.value)}`));
  tail(lines, rest, '个局点', capped);
  if (without.length > 0 && top.length > 0) {
    lines.push(`无数据：${without.map(siteLabel).join('、')}`);
  }
  if (top.length === 0) return [text(lines.join('\n'))];
  const chart = await chartReply(
    deps,
    'ranking',
    {
      subject: `${span} ${what}`,
      percent: false,
      items: top.map((r) => ({ name: r.site.name, value: r.value })),
    },
    zone,
    `rank-${key}-${from}-${to}`,
    `各局点 ${span} ${what}排行`,
  );
  return [text(lines.join('\n')), ...chart];
}

/** A server's latest value of a metric as 状态 shows it (disk: the fullest mount). */
function metricOf(s: SiteServerStatus, metric: Metric): number | null {
  return metric === 'cpu' ? s.cpuPct : metric === 'mem' ? s.memPct : s.diskPct;
}

async function serversByMetric(
  ctx: CommandContext,
  intent: Ranking,
  metric: Metric,
  sites: Site[],
  servers: SiteServerStatus[],
): Promise<Reply[]> {
  const siteOf = new Map(sites.map((s) => [s.id, s]));
  const ranked = servers
    .filter((s) => metricOf(s, metric) !== null)
    .sort(
      (a, b) =>
        (intent.order === 'asc'
          ? metricOf(a, metric)! - metricOf(b, metric)!
          : metricOf(b, metric)! - metricOf(a, metric)!) ||
        byName(a.name, b.name) ||
        a.id - b.id,
    );
  const label = METRIC_LABELS[metric];
  const order = intent.order === 'asc' ? '最低' : '最高';
  if (ranked.length === 0) return [text(`没有服务器的${label}读数。`)];
  const { top, rest, capped } = listed(ranked, intent);
  const lines = [`${label}${order}的服务器（最新读数）：`];
  top.forEach((s, i) => {
    const site = siteOf.get(s.siteId)!;
    const mount = metric === 'disk' ? `（${s.diskMount}）` : '';
    lines.push(
      `${i + 1}. ${s.name} ${s.ip}（${site.name}）${label} ${pct(metricOf(s, metric))}${mount}${s.stale ? '【停报】' : ''}`,
    );
  });
  tail(lines, rest, '台', capped);
  const chart = await chartReply(
    ctx.deps,
    'ranking',
    {
      subject: `${label}${order}`,
      percent: true,
      items: top.map((s) => ({
        name: `${s.name}（${siteOf.get(s.siteId)!.name}）`,
        value: metricOf(s, metric),
        stale: s.stale,
      })),
    },
    zoneOf(sites, ctx),
    `rank-${metric}`,
    `${label}${order}的服务器`,
  );
  return [text(lines.join('\n')), ...chart];
}

async function staleServers(
  ctx: CommandContext,
  intent: Ranking,
  sites: Site[],
  servers: SiteServerStatus[],
): Promise<Reply[]> {
  const now = ctx.deps.now();
  const siteOf = new Map(sites.map((s) => [s.id, s]));
  // 'desc': silent the longest first (never seen before all); 'asc': the latest to stop first.
  const age = (s: SiteServerStatus) => (s.lastSeenAt === null ? Infinity : now - s.lastSeenAt);
  const ranked = servers
    .filter((s) => s.stale)
    .sort(
      (a, b) =>
        (intent.order === 'asc' ? cmp(age(a), age(b)) : cmp(age(b), age(a))) ||
        byName(a.name, b.name) ||
        a.id - b.id,
    );
  if (ranked.length === 0) return [text('没有停报的服务器。')];
  const { top, rest, capped } = listed(ranked, intent);
  const lines = [`停报的服务器 ${ranked.length} 台：`];
  for (const s of top) {
    const site = siteOf.get(s.siteId)!;
    const seen =
      s.lastSeenAt === null
        ? '无数据'
        : `最后上报 ${when(s.lastSeenAt, siteZone(site, ctx.deps.config))}（已停 ${duration(now - s.lastSeenAt)}）`;
    lines.push(`${s.name} ${s.ip}（${site.name}）：${seen}`);
  }
  tail(lines, rest, '台', capped);
  const chart = await chartReply(
    ctx.deps,
    'ranking',
    {
      subject: '停报时长（小时）',
      percent: false,
      items: top.map((s) => ({
        name: `${s.name}（${siteOf.get(s.siteId)!.name}）`,
        value:
          s.lastSeenAt === null ? null : Math.round(((now - s.lastSeenAt) / HOUR_MS) * 10) / 10,
      })),
    },
    zoneOf(sites, ctx),
    'rank-stale',
    '停报的服务器及停报时长',
  );
  return [text(lines.join('\n')), ...chart];
}

/** Compare two numbers that may be Infinity (a - b would give NaN for two). */
function cmp(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}
