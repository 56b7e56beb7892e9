// Answer to a metric question: what cpu / 内存 / 磁盘 answer (latest, average, peak and the chart) over the question's time, within the commands' limit of hours.
import type { Site } from '../../entities';
import type { Metric, TimeSpec } from '../../src/nlu/types';
import { gib, siteZone } from '../../src/present/format';
import { cpuPoints, diskPoints, memPoints, type ServerRef } from '../../src/queries';
import { chartReply } from '../chart';
import { summarise } from '../metric';
import { text } from '../reply';
import { HOURS_DEFAULT, HOURS_MAX } from '../server-arg';
import type { CommandContext, Reply } from '../types';
import { HOUR_MS, instantsOf, pickServer, timeText } from './common';
import type { IntentAnswer } from './types';

/** The span a metric is read over: [fromMs, toMs], its hours, how the head names it, and whether it was capped. */
export interface MetricSpan {
  fromMs: number;
  toMs: number;
  hours: number;
  label: string;
  capped: boolean;
}

/** A span ending this close to now is the last N hours ('近 N 小时'), as the commands name it. */
const NOW_SLACK_MS = 60_000;

/**
 * The span of a time for the metric commands: none is the last 24 hours; a span of hours or days
 * ends at its end (never after now) and keeps at most the last HOURS_MAX hours of it.
 */
export function metricSpan(time: TimeSpec | null, now: number, tz: string): MetricSpan {
  if (time === null) {
    const hours = HOURS_DEFAULT;
    return {
      fromMs: now - hours * HOUR_MS,
      toMs: now,
      hours,
      label: `近 ${hours} 小时`,
      capped: false,
    };
  }
  const asked = instantsOf(time, tz);
  const toMs = Math.min(asked.toMs, now);
  const capped = toMs - asked.fromMs > HOURS_MAX * HOUR_MS;
  const fromMs = capped ? toMs - HOURS_MAX * HOUR_MS : asked.fromMs;
  const hours = Math.max(1, Math.round((toMs - fromMs) / HOUR_MS));
  const endsNow = toMs >= now - NOW_SLACK_MS;
  const label =
    endsNow && (time.kind === 'hours' || capped)
      ? `近 ${hours} 小时`
      : timeText(capped ? { kind: 'hours', fromMs, toMs } : time, tz);
  return { fromMs, toMs, hours, label, capped };
}

/** The span's label before a word: '近 24 小时内存', '2026-11-24 内存' (a space after a digit). */
function spanWord(span: MetricSpan, word: string): string {
  return /\d$/.test(span.label) ? `${span.label} ${word}` : `${span.label}${word}`;
}

export const CAPPED_TEXT = `（最多查询 ${HOURS_MAX} 小时，已取最后 ${HOURS_MAX} 小时。）`;

export const metricAnswer: IntentAnswer<'metric'> = {
  kind: 'metric',
  charts: () => true,
  async answer(intent, ctx) {
    const r = await pickServer(ctx, 'metric', intent.server);
    if (!r.ok) return r.replies;
    const tz = siteZone(r.site, ctx.deps.config);
    const span = metricSpan(intent.time, ctx.deps.now(), tz);
    const replies = await METRICS[intent.metric](ctx, r.server, r.site, span, tz);
    if (!span.capped) return replies;
    const [first, ...rest] = replies;
    return first?.kind === 'text' ? [text(`${first.text}\n${CAPPED_TEXT}`), ...rest] : replies;
  },
};

type MetricReplies = (
  ctx: CommandContext,
  server: ServerRef,
  site: Site,
  span: MetricSpan,
  tz: string,
) => Promise<Reply[]>;

/** As cpu words it. */
const cpu: MetricReplies = async ({ deps }, server, site, span, tz) => {
  const points = await cpuPoints(deps.ds, server.id, span.fromMs, span.toMs);
  const head = `${server.name}（${site.name}）${span.label} CPU`;
  if (points.length === 0) return [text(`${head}：暂无数据。`)];
  const summary = summarise(
    points.map((p) => ({ at: p.at, value: p.user + p.sys + p.io })),
    tz,
  );
  const chart = await chartReply(
    deps,
    'server-cpu',
    { server: server.name, points },
    tz,
    `cpu-${server.name}-${span.hours}h`,
    `${server.name} ${span.label} CPU 使用率`,
  );
  return [text(`${head}：${summary}，共 ${points.length} 个点`), ...chart];
};

/** As 内存 words it. */
const mem: MetricReplies = async ({ deps }, server, site, span, tz) => {
  const points = await memPoints(deps.ds, server.id, span.fromMs, span.toMs);
  const head = `${server.name}（${site.name}）${spanWord(span, '内存')}`;
  const valued = points
    .filter((p) => p.totalBytes > 0)
    .map((p) => ({ at: p.at, value: (p.usedBytes / p.totalBytes) * 100 }));
  if (valued.length === 0) return [text(`${head}：暂无数据。`)];
  const last = points[points.length - 1];
  const chart = await chartReply(
    deps,
    'server-mem',
    { server: server.name, points },
    tz,
    `mem-${server.name}-${span.hours}h`,
    `${server.name} ${spanWord(span, '内存使用')}`,
  );
  return [
    text(
      `${head}：${summarise(valued, tz)}，当前 ${gib(last.usedBytes)}/${gib(last.totalBytes)}，共 ${points.length} 个点`,
    ),
    ...chart,
  ];
};

/** As 磁盘 words it. */
const disk: MetricReplies = async ({ deps }, server, site, span, tz) => {
  const mounts = await diskPoints(deps.ds, server.id, span.fromMs, span.toMs);
  const head = `${server.name}（${site.name}）${spanWord(span, '磁盘')}`;
  const lines: string[] = [];
  for (const m of mounts) {
    const valued = m.points
      .filter((p) => p.totalBytes > 0)
      .map((p) => ({ at: p.at, value: (p.usedBytes / p.totalBytes) * 100 }));
    if (valued.length === 0) continue;
    const last = m.points[m.points.length - 1];
    lines.push(
      `${m.mount}：${summarise(valued, tz)}，当前 ${gib(last.usedBytes)}/${gib(last.totalBytes)}`,
    );
  }
  if (lines.length === 0) return [text(`${head}：暂无数据。`)];
  const chart = await chartReply(
    deps,
    'server-disk',
    { server: server.name, mounts },
    tz,
    `disk-${server.name}-${span.hours}h`,
    `${server.name} ${spanWord(span, '磁盘使用率')}`,
  );
  return [text(`${head}：\n${lines.join('\n')}`), ...chart];
};

const METRICS: Record<Metric, MetricReplies> = { cpu, mem, disk };

/** The last `hours` hours up to `now`, as the metric commands read them. */
export function lastHours(hours: number, now: number): MetricSpan {
  return {
    fromMs: now - hours * HOUR_MS,
    toMs: now,
    hours,
    label: `近 ${hours} 小时`,
    capped: false,
  };
}

/** What cpu / 内存 / 磁盘 answer about a server the request may see, over `span` (the metric question answers the same). */
export function metricReplies(
  metric: Metric,
  ctx: CommandContext,
  server: ServerRef,
  site: Site,
  span: MetricSpan,
): Promise<Reply[]> {
  return METRICS[metric](ctx, server, site, span, siteZone(site, ctx.deps.config));
}
