// Command "cpu": a server's cpu usage over the last N hours (default 24): latest, average, peak, and the cpu chart.
import { siteZone } from '../src/present/format';
import { cpuPoints } from '../src/queries';
import { chartReply } from './chart';
import { summarise } from './metric';
import { text } from './reply';
import { HOURS_DEFAULT, HOURS_MAX, resolveServer } from './server-arg';
import type { Command } from './types';

export const cpuCommand: Command = {
  name: 'cpu',
  aliases: ['处理器'],
  usage: 'cpu <服务器> [小时]',
  summary: `服务器最近若干小时（默认 ${HOURS_DEFAULT}，最多 ${HOURS_MAX}）的 CPU 使用率。`,
  examples: ['cpu app01', 'cpu 10.0.0.1 6'],
  charts: true,
  async run(ctx) {
    const { deps } = ctx;
    const r = await resolveServer(ctx, 'cpu', true);
    if (!r.ok) return r.replies;
    const { server, site, hours } = r;
    const tz = siteZone(site, deps.config);
    const now = deps.now();
    const points = await cpuPoints(deps.ds, server.id, now - hours * 3_600_000, now);
    const head = `${server.name}（${site.name}）近 ${hours} 小时 CPU`;
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
      `cpu-${server.name}-${hours}h`,
      `${server.name} 近 ${hours} 小时 CPU 使用率`,
    );
    return [text(`${head}：${summary}，共 ${points.length} 个点`), ...chart];
  },
};
