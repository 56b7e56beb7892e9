// Command "磁盘" (disk): a server's disk usage per mount over the last N hours (default 24), and the disk chart.
import { gib, siteZone } from '../src/present/format';
import { diskPoints } from '../src/queries';
import { chartReply } from './chart';
import { summarise } from './metric';
import { text } from './reply';
import { HOURS_DEFAULT, HOURS_MAX, resolveServer } from './server-arg';
import type { Command } from './types';

export const diskCommand: Command = {
  name: '磁盘',
  aliases: ['disk'],
  usage: '磁盘 <服务器> [小时]',
  summary: `服务器各挂载点最近若干小时（默认 ${HOURS_DEFAULT}，最多 ${HOURS_MAX}）的磁盘使用率。`,
  examples: ['磁盘 app01', '磁盘 app01 72'],
  charts: true,
  async run(ctx) {
    const { deps } = ctx;
    const r = await resolveServer(ctx, '磁盘', true);
    if (!r.ok) return r.replies;
    const { server, site, hours } = r;
    const tz = siteZone(site, deps.config);
    const now = deps.now();
    const mounts = await diskPoints(deps.ds, server.id, now - hours * 3_600_000, now);
    const head = `${server.name}（${site.name}）近 ${hours} 小时磁盘`;
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
      `disk-${server.name}-${hours}h`,
      `${server.name} 近 ${hours} 小时磁盘使用率`,
    );
    return [text(`${head}：\n${lines.join('\n')}`), ...chart];
  },
};
