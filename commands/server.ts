// Command "服务器" (server): one server's details and latest readings, with its cpu and memory charts of the last 24 hours.
import { duration, pct, siteLabel, siteZone, when } from '../src/present/format';
import {
  DEFAULT_STALE_AFTER_MS,
  type ServerRef,
  latestReadings,
  serverSeries,
} from '../src/queries';
import { chartReply, wantsCharts } from './chart';
import { text } from './reply';
import { HOURS_DEFAULT, resolveServer } from './server-arg';
import type { Site } from '../entities';
import type { Command, CommandContext, Reply } from './types';

export const serverCommand: Command = {
  name: '服务器',
  aliases: ['server'],
  usage: '服务器 <名称或IP>',
  summary: '服务器的系统信息、最新读数和近 24 小时 CPU/内存图。',
  examples: ['服务器 app01', '服务器 10.0.0.1'],
  charts: true,
  async run(ctx) {
    const r = await resolveServer(ctx, '服务器', false);
    if (!r.ok) return r.replies;
    return serverReplies(ctx, r.server, r.site);
  },
};

/** What 服务器 answers about a server the request may see (the server question answers the same). */
export async function serverReplies(
  ctx: CommandContext,
  server: ServerRef,
  site: Site,
): Promise<Reply[]> {
  const { deps } = ctx;
  const tz = siteZone(site, deps.config);
  const now = deps.now();
  const latest = await latestReadings(deps.ds, server.id);
  const stale = latest.lastSeenAt === null || now - latest.lastSeenAt > DEFAULT_STALE_AFTER_MS;
  const lines = [`${server.name}（${server.ip}）· ${siteLabel(site)}`];
  const os = [server.osName, server.osVersion].filter(Boolean).join(' ');
  const facts: string[] = [];
  if (os) facts.push(`系统 ${os}`);
  if (server.uptimeSeconds !== null && server.uptimeAt !== null) {
    facts.push(`已运行 ${duration(server.uptimeSeconds * 1000 + (now - server.uptimeAt))}`);
  }
  if (facts.length) lines.push(facts.join('，'));
  const disk = latest.diskPct === null ? '—' : `${pct(latest.diskPct)}（${latest.diskMount}）`;
  lines.push(`CPU ${pct(latest.cpuPct)}，内存 ${pct(latest.memPct)}，磁盘 ${disk}`);
  lines.push(`最后上报 ${when(latest.lastSeenAt, tz)}${stale ? '【停报】' : ''}`);
  const replies = [text(lines.join('\n'))];
  if (wantsCharts(deps)) {
    const s = await serverSeries(deps.ds, server.id, now, HOURS_DEFAULT);
    replies.push(
      ...(await chartReply(
        deps,
        'server-cpu',
        { server: server.name, points: s.cpu },
        tz,
        `cpu-${server.name}`,
        `${server.name} 近 ${HOURS_DEFAULT} 小时 CPU 使用率`,
      )),
      ...(await chartReply(
        deps,
        'server-mem',
        { server: server.name, points: s.mem },
        tz,
        `mem-${server.name}`,
        `${server.name} 近 ${HOURS_DEFAULT} 小时内存使用`,
      )),
    );
  }
  return replies;
}
