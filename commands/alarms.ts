// Command "告警" (alarms): active alarms of one site or of every site visible here, newest first, capped with the total.
import type { Site } from '../entities';
import { duration, siteLabel, siteZone, when } from '../src/present/format';
import { activeAlarms } from '../src/queries';
import { requestSites, resolveSite } from './access';
import { text } from './reply';
import type { Command } from './types';

export const ALARMS_SHOWN = 10;

export const alarmsCommand: Command = {
  name: '告警',
  aliases: ['alarms'],
  usage: '告警 [局点]',
  summary: `当前活动告警（最新 ${ALARMS_SHOWN} 条）；不写局点则列出所有可查询局点的告警。`,
  examples: ['告警', '告警 BJ01'],
  async run(ctx) {
    const { deps } = ctx;
    let sites: Site[];
    let scope: string;
    if (ctx.args.trim() === '') {
      sites = await requestSites(ctx);
      if (sites.length === 0) {
        return [text(ctx.room ? '本群还没有订阅局点。' : '您还没有可查询的局点。')];
      }
      scope = sites.length === 1 ? siteLabel(sites[0]) : '';
    } else {
      const r = await resolveSite(ctx, '告警', ctx.args);
      if (!r.ok) return r.replies;
      sites = [r.site];
      scope = siteLabel(r.site);
    }
    const now = deps.now();
    const res = await activeAlarms(
      deps.ds,
      sites.map((s) => s.id),
      now,
      ALARMS_SHOWN,
    );
    if (res.total === 0) return [text(`${scope}没有活动告警。`)];
    const byId = new Map(sites.map((s) => [s.id, s]));
    const many = sites.length > 1;
    const lines = res.alarms.map((a) => {
      const site = byId.get(a.siteId)!;
      const tz = siteZone(site, deps.config);
      const where = many ? `【${site.name}】` : '';
      return `#${a.id} ${where}${a.node} ${a.name}：${shorten(a.description)}（${when(a.raisedAt, tz)} 起，已 ${duration(a.openMs)}）`;
    });
    const shown = res.total > res.alarms.length ? `，显示最新 ${res.alarms.length} 条` : '';
    return [text(`${scope}活动告警 ${res.total} 条${shown}：\n${lines.join('\n')}`)];
  },
};

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}
