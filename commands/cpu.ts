// Command "cpu": a server's cpu usage over the last N hours (default 24): latest, average, peak, and the cpu chart.
import { HOURS_DEFAULT, HOURS_MAX, resolveServer } from './server-arg';
import { lastHours, metricReplies } from './answers/metric';
import type { Command } from './types';

export const cpuCommand: Command = {
  name: 'cpu',
  aliases: ['处理器'],
  usage: 'cpu <服务器> [小时]',
  summary: `服务器最近若干小时（默认 ${HOURS_DEFAULT}，最多 ${HOURS_MAX}）的 CPU 使用率。`,
  examples: ['cpu app01', 'cpu 10.0.0.1 6'],
  charts: true,
  async run(ctx) {
    const r = await resolveServer(ctx, 'cpu', true);
    if (!r.ok) return r.replies;
    return metricReplies('cpu', ctx, r.server, r.site, lastHours(r.hours, ctx.deps.now()));
  },
};
