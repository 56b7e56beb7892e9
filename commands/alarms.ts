// Command "告警" (alarms): active alarms of one site or of every site visible here, newest first, capped with the total.
import type { Site } from '../entities';
import { siteLabel } from '../src/present/format';
import { requestSites, resolveSite } from './access';
import { ALARMS_SHOWN, activeAlarmReplies } from './answers/alarms';
import { text } from './reply';
import type { Command } from './types';

export { ALARMS_SHOWN };

export const alarmsCommand: Command = {
  name: '告警',
  aliases: ['alarms'],
  usage: '告警 [局点]',
  summary: `当前活动告警（最新 ${ALARMS_SHOWN} 条）；不写局点则列出所有可查询局点的告警。`,
  examples: ['告警', '告警 BJ01'],
  async run(ctx) {
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
    return activeAlarmReplies(ctx, sites, scope);
  },
};
