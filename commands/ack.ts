// Command "确认" (ack): acknowledge an open alarm by the number the 告警 list shows; it gets no more reminders.
import { Alarm } from '../entities';
import { ackAlarm } from '../src/alarms/silences';
import { SitewatchError } from '../src/errors';
import { siteZone } from '../src/present/format';
import { refuse, requestSites } from './access';
import { text } from './reply';
import { parseIdArg, shortWhen } from './silence';
import type { Command } from './types';

export const ackCommand: Command = {
  name: '确认',
  aliases: ['ack'],
  usage: '确认 <告警编号>',
  summary: '确认一条活动告警（编号见“告警”列表中的 #），之后不再提醒。',
  examples: ['确认 12'],
  async run(ctx) {
    const id = parseIdArg(ctx.args);
    if (id === null) {
      return refuse(ctx, '确认', 'bad id', '用法：确认 <告警编号>；编号见“告警”列表中的 #编号。');
    }
    if (id === 'bad') {
      return refuse(
        ctx,
        '确认',
        'bad id number',
        '告警编号应为正整数；编号见“告警”列表中的 #编号。',
      );
    }
    const { ds, config } = ctx.deps;
    const notFound = () => refuse(ctx, '确认', 'unknown alarm', `没有找到告警 #${id}。`);
    const found = await ds.getRepository(Alarm).findOne({ where: { id } });
    // Alarms of sites not visible here (another user's, or outside this room) do not exist.
    const site = found && (await requestSites(ctx)).find((s) => s.id === found.siteId);
    if (!found || !site) return notFound();
    try {
      const { alarm, already, ackedByName } = await ackAlarm(ds, {
        userId: ctx.caller.userId,
        alarmId: id,
        now: ctx.deps.now(),
      });
      if (already) {
        const tz = siteZone(site, config);
        return [text(`告警 #${id} 已由 ${ackedByName} 于 ${shortWhen(alarm.ackedAt!, tz)} 确认。`)];
      }
      return [text(`已确认告警 #${id} ${alarm.name}（${alarm.node}），不再提醒。`)];
    } catch (err) {
      if (err instanceof SitewatchError && err.code === 'NOT_FOUND') return notFound();
      if (err instanceof SitewatchError && err.code === 'CONFLICT') {
        return [
          text(
            found.state === 'stale'
              ? `告警 #${id} 已失效，无需确认。`
              : `告警 #${id} 已于 ${shortWhen(found.resumedAt ?? found.updatedAt, siteZone(site, config))} 恢复，无需确认。`,
          ),
        ];
      }
      throw err;
    }
  },
};
