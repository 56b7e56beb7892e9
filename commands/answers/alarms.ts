// Answer to an alarms question: the active alarms as 告警 lists them, or the alarms raised in a time (history) with when each recovered, newest first, capped with the count of the rest.
import type { Site } from '../../entities';
import { duration, siteLabel, siteZone, when } from '../../src/present/format';
import { activeAlarms, alarmsRaisedBetween, type RaisedAlarm } from '../../src/queries';
import { text } from '../reply';
import type { CommandContext, Reply } from '../types';
import { instantsOf, pickSites, timeText, zoneOf } from './common';
import type { IntentAnswer } from './types';

/** Active alarms listed at most (告警 says how many more there are). */
export const ALARMS_SHOWN = 10;

export const alarmsAnswer: IntentAnswer<'alarms'> = {
  kind: 'alarms',
  charts: () => false,
  async answer(intent, ctx) {
    const picked = await pickSites(ctx, 'alarms', intent.sites, {
      none: 'all',
      noSites: ctx.room ? '本群还没有订阅局点。' : '您还没有可查询的局点。',
    });
    if (!picked.ok) return picked.replies;
    const sites = picked.sites;
    // As 告警: the site named in the head when there is one, else on each line.
    const scope = sites.length === 1 ? siteLabel(sites[0]) : '';
    if (intent.time === null) return activeAlarmReplies(ctx, sites, scope);
    const zone = zoneOf(sites, ctx);
    const { fromMs, toMs } = instantsOf(intent.time, zone);
    const span = timeText(intent.time, zone);
    const res = await alarmsRaisedBetween(
      ctx.deps.ds,
      sites.map((s) => s.id),
      fromMs,
      toMs,
      ALARMS_SHOWN,
    );
    if (res.total === 0) return [text(`${scope}${span} 没有产生告警。`)];
    const lines = res.alarms.map((a) => historyLine(ctx, a, sites));
    if (res.total > res.alarms.length) lines.push(`……及其他 ${res.total - res.alarms.length} 条`);
    return [text(`${scope}${span} 产生的告警 ${res.total} 条：\n${lines.join('\n')}`)];
  },
};

/** The active alarms of `sites` as 告警 words them (`scope`: the site named in the head, or ''). */
export async function activeAlarmReplies(
  ctx: CommandContext,
  sites: Site[],
  scope: string,
): Promise<Reply[]> {
  const { deps } = ctx;
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
    const where = many ? `【${site.name}】` : '';
    return `#${a.id} ${where}${a.node} ${a.name}：${shorten(a.description)}（${when(a.raisedAt, siteZone(site, deps.config))} 起，已 ${duration(a.openMs)}）`;
  });
  const shown = res.total > res.alarms.length ? `，显示最新 ${res.alarms.length} 条` : '';
  return [text(`${scope}活动告警 ${res.total} 条${shown}：\n${lines.join('\n')}`)];
}

/** '#3 【北京一号】app02 NODE_DOWN：nginx down（2026-11-25 16:00 起，2026-11-25 17:00 恢复，持续 1小时）' */
function historyLine(ctx: CommandContext, a: RaisedAlarm, sites: readonly Site[]): string {
  const site = sites.find((s) => s.id === a.siteId)!;
  const tz = siteZone(site, ctx.deps.config);
  const where = sites.length > 1 ? `【${site.name}】` : '';
  const end =
    a.state === 'active'
      ? '未恢复'
      : a.resumedAt !== null
        ? `${when(a.resumedAt, tz)} 恢复，持续 ${duration(a.resumedAt - a.raisedAt)}`
        : '已过期';
  return `#${a.id} ${where}${a.node} ${a.name}：${shorten(a.description)}（${when(a.raisedAt, tz)} 起，${end}）`;
}

/** A description on one line of at most 80 characters. */
function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}
