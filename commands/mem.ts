// Command "内存" (mem): a server's memory usage over the last N hours (default 24): latest, average, peak, and the memory chart.
import { HOURS_DEFAULT, HOURS_MAX, resolveServer } from './server-arg';
import { lastHours, metricReplies } from './answers/metric';
import type { Command } from './types';

export const memCommand: Command = {
  name: '内存',
  aliases: ['mem', 'memory'],
  usage: '内存 <服务器> [小时]',
  summary: `服务器最近若干小时（默认 ${HOURS_DEFAULT}，最多 ${HOURS_MAX}）的内存使用率。`,
  examples: ['内存 app01', '内存 app01 48'],
  charts: true,
  async run(ctx) {
    const r = await resolveServer(ctx, '内存', true);
    if (!r.ok) return r.replies;
    return metricReplies('mem', ctx, r.server, r.site, lastHours(r.hours, ctx.deps.now()));
  },
};
