// Command "磁盘" (disk): a server's disk usage per mount over the last N hours (default 24), and the disk chart.
import { HOURS_DEFAULT, HOURS_MAX, resolveServer } from './server-arg';
import { lastHours, metricReplies } from './answers/metric';
import type { Command } from './types';

export const diskCommand: Command = {
  name: '磁盘',
  aliases: ['disk'],
  usage: '磁盘 <服务器> [小时]',
  summary: `服务器各挂载点最近若干小时（默认 ${HOURS_DEFAULT}，最多 ${HOURS_MAX}）的磁盘使用率。`,
  examples: ['磁盘 app01', '磁盘 app01 72'],
  charts: true,
  async run(ctx) {
    const r = await resolveServer(ctx, '磁盘', true);
    if (!r.ok) return r.replies;
    return metricReplies('disk', ctx, r.server, r.site, lastHours(r.hours, ctx.deps.now()));
  },
};
