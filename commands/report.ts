// Command "报表" (report): a site's daily business figures over the last N days (default 7, at most 90), plus the trend chart.
import { change, count, siteLabel, siteZone } from '../src/present/format';
import { dailyFigures } from '../src/queries';
import { refuse, resolveSite } from './access';
import { chartReply } from './chart';
import { splitTrailingWhole } from './numbers';
import { text } from './reply';
import type { Command } from './types';

export const REPORT_DEFAULT_DAYS = 7;
export const REPORT_MAX_DAYS = 90;

export const reportCommand: Command = {
  name: '报表',
  aliases: ['report'],
  usage: `报表 <局点> [天数]`,
  summary: `局点最近若干天（默认 ${REPORT_DEFAULT_DAYS}，最多 ${REPORT_MAX_DAYS}）的每日业务数据。`,
  examples: ['报表 BJ01', '报表 北京 30'],
  charts: true,
  async run(ctx) {
    const { deps } = ctx;
    const { rest, n } = splitTrailingWhole(ctx.args, 1, REPORT_MAX_DAYS);
    if (n === 'bad') {
      return refuse(ctx, '报表', 'bad days', `天数应为 1 到 ${REPORT_MAX_DAYS} 之间的整数。`);
    }
    const days = n ?? REPORT_DEFAULT_DAYS;
    const r = await resolveSite(ctx, '报表', rest);
    if (!r.ok) return r.replies;
    const site = r.site;
    const tz = siteZone(site, deps.config);
    const rep = await dailyFigures(deps.ds, site.id, days, deps.now(), tz);
    const head = `${siteLabel(site)}近 ${days} 天业务（${rep.from} 至 ${rep.to}）`;
    if (rep.days.length === 0) return [text(`${head}：暂无数据。`)];
    const lines = [`${head}：`, '日期 开通/退订/总用户/调用/推送/上行/下行'];
    for (const d of rep.days) {
      const f = [d.sub, d.unsub, d.total, d.calls, d.shows, d.mo, d.mt].map(count).join('/');
      lines.push(`${d.date.slice(5)} ${f}`);
    }
    const sum = (k: 'sub' | 'unsub' | 'calls' | 'shows' | 'mo' | 'mt') =>
      count(rep.days.reduce((a, d) => a + d[k], 0));
    lines.push(
      `合计：开通 ${sum('sub')}，退订 ${sum('unsub')}，调用 ${sum('calls')}，推送 ${sum('shows')}，上行 ${sum('mo')}，下行 ${sum('mt')}`,
    );
    const first = rep.days[0];
    const last = rep.days[rep.days.length - 1];
    if (rep.days.length > 1) {
      lines.push(
        `总用户：${count(first.total)} → ${count(last.total)}（${change(last.total, first.total)}）`,
      );
    }
    if (rep.days.length < days) lines.push(`缺 ${days - rep.days.length} 天数据。`);
    const chart = await chartReply(
      deps,
      'business-trend',
      { site: site.name, days: rep.days },
      tz,
      `report-${site.code}-${days}d`,
      `${site.name} 近 ${days} 天业务趋势`,
    );
    return [text(lines.join('\n')), ...chart];
  },
};
