// Command "状态" (status): each server of a site with its latest cpu / memory / worst disk and last report, plus the overview chart.
import type { Site } from '../entities';
import { DAY } from '../src/alarms/forecast';
import { diskFillRisks } from '../src/alarms/self-checks/disk-filling';
import { pct, siteLabel, siteZone, when } from '../src/present/format';
import { siteStatus } from '../src/queries';
import { resolveSite } from './access';
import { chartReply } from './chart';
import { text } from './reply';
import { oneLine } from './sites';
import type { Command, CommandContext, Reply } from './types';

/** What 状态 answers for a site already resolved (and visible): also the answer to a status question. */
export async function siteStatusReplies(ctx: CommandContext, site: Site): Promise<Reply[]> {
  const { deps } = ctx;
  const tz = siteZone(site, deps.config);
  const now = deps.now();
  const [st, risks] = await Promise.all([
    siteStatus(deps.ds, site, now),
    diskFillRisks(deps.ds, { siteIds: [site.id] }, deps.config.selfAlarms, now),
  ]);
  const stale = st.servers.filter((s) => s.stale).length;
  const lines = [
    `${siteLabel(site)}状态（${when(now, tz)}）`,
    `服务器 ${st.servers.length} 台：在报 ${st.servers.length - stale}，停报 ${stale}；活动告警 ${st.activeAlarms} 条`,
  ];
  for (const s of st.servers) {
    if (s.lastSeenAt === null) {
      lines.push(`${s.name} ${s.ip}：无数据【停报】`);
      continue;
    }
    const disk = s.diskPct === null ? '—' : `${pct(s.diskPct)}（${s.diskMount}）`;
    lines.push(
      `${s.name} ${s.ip}：CPU ${pct(s.cpuPct)}，内存 ${pct(s.memPct)}，磁盘 ${disk}，最后 ${when(s.lastSeenAt, tz)}${s.stale ? '【停报】' : ''}`,
    );
    // Mounts whose 7-day trend fills them within selfAlarms.diskFillDays (SW_DISK_FILLING's rule).
    for (const r of risks.filter((x) => x.serverId === s.id))
      lines.push(`预计 ${((r.fullAt - now) / DAY).toFixed(1)} 天后写满（${r.mount}）`);
  }
  let ingest = `最近采集 ${when(site.lastSuccessAt, tz)}`;
  if (site.lastError)
    ingest += `；最近错误 ${when(site.lastErrorAt, tz)}：${oneLine(site.lastError)}`;
  lines.push(ingest);
  const chart = await chartReply(
    deps,
    'site-overview',
    {
      site: site.name,
      servers: st.servers.map((s) => ({
        name: s.name,
        cpuPct: s.cpuPct,
        memPct: s.memPct,
        diskPct: s.diskPct,
        stale: s.stale,
      })),
    },
    tz,
    `status-${site.code}`,
    `${site.name} 服务器概览（CPU/内存/磁盘）`,
  );
  return [text(lines.join('\n')), ...chart];
}

export const statusCommand: Command = {
  name: '状态',
  aliases: ['status'],
  usage: '状态 <局点>',
  summary: '局点各服务器的最新 CPU、内存、磁盘和上报时间。',
  examples: ['状态 BJ01', '状态 北京'],
  charts: true,
  async run(ctx) {
    const r = await resolveSite(ctx, '状态', ctx.args);
    if (!r.ok) return r.replies;
    return siteStatusReplies(ctx, r.site);
  },
};
