// Command "内存" (mem): a server's memory usage over the last N hours (default 24): latest, average, peak, and the memory chart.
import { gib, siteZone } from '../src/present/format';
import { memPoints } from '../src/queries';
import { chartReply } from './chart';
import { summarise } from './metric';
import { text } from './reply';
import { HOURS_DEFAULT, HOURS_MAX, resolveServer } from './server-arg';
import type { Command } from './types';

export const memCommand: Command = {
  name: '内存',
  aliases: ['mem', 'memory'],
  usage: '内存 <服务器> [小时]',
  summary: `服务器最近若干小时（默认 ${HOURS_DEFAULT}，最多 ${HOURS_MAX}）的内存使用率。`,
  examples: ['内存 app01', '内存 app01 48'],
  charts: true,
  async run(ctx) {
    const { deps } = ctx;
    const r = await resolveServer(ctx, '内存', true);
    if (!r.ok) return r.replies;
    const { server, site, hours } = r;
    const tz = siteZone(site, deps.config);
    const now = deps.now();
    const points = await memPoints(deps.ds, server.id, now - hours * 3_600_000, now);
    const head = `${server.name}（${site.name}）近 ${hours} 小时内存`;
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
      `mem-${server.name}-${hours}h`,
      `${server.name} 近 ${hours} 小时内存使用`,
    );
    return [
      text(
        `${head}：${summarise(valued, tz)}，当前 ${gib(last.usedBytes)}/${gib(last.totalBytes)}，共 ${points.length} 个点`,
      ),
      ...chart,
    ];
  },
};
