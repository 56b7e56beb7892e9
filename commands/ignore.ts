// Command "忽略" (ignore): mark the day of a business-anomaly alarm as expected (holiday, cutover…); it leaves the baselines and the alarm is acknowledged.
import { Alarm } from '../entities';
import { NotKpiAlarmError, ignoreKpiDay } from '../src/alarms/kpi-ignore';
import { SitewatchError } from '../src/errors';
import { siteLabel } from '../src/present/format';
import { refuse, requestSites } from './access';
import { text } from './reply';
import { parseIdArg } from './silence';
import type { Command } from './types';

export const ignoreCommand: Command = {
  name: '忽略',
  aliases: ['ignore'],
  usage: '忽略 <告警编号>',
  summary: '把一条业务异常告警的那一天标记为预期（节假日、割接等），不再计入基线，并确认该告警。',
  examples: ['忽略 12'],
  async run(ctx) {
    const id = parseIdArg(ctx.args);
    if (id === null) {
      return refuse(ctx, '忽略', 'bad id', '用法：忽略 <告警编号>；编号见“告警”列表中的 #编号。');
    }
    if (id === 'bad') {
      return refuse(
        ctx,
        '忽略',
        'bad id number',
        '告警编号应为正整数；编号见“告警”列表中的 #编号。',
      );
    }
    const { ds } = ctx.deps;
    const notFound = () => refuse(ctx, '忽略', 'unknown alarm', `没有找到告警 #${id}。`);
    const found = await ds.getRepository(Alarm).findOne({ where: { id } });
    // Alarms of sites not visible here (another user's, or outside this room) do not exist.
    const site = found && (await requestSites(ctx)).find((s) => s.id === found.siteId);
    if (!found || !site) return notFound();
    try {
      const { alarm, day, ack } = await ignoreKpiDay(ds, {
        alarmId: id,
        by: ctx.caller.userId,
        now: ctx.deps.now(),
      });
      const after =
        ack !== null
          ? `告警 #${id} 已确认。`
          : `告警 #${id} 已${alarm.state === 'stale' ? '失效' : '恢复'}，无需确认。`;
      return [
        text(
          `已将${siteLabel(site)}${day} 标记为预期（节假日、割接等），该日不再计入基线；${after}`,
        ),
      ];
    } catch (err) {
      if (err instanceof NotKpiAlarmError) {
        return refuse(ctx, '忽略', 'not a kpi alarm', `告警 #${id} 不是业务异常告警，无法忽略。`);
      }
      if (err instanceof SitewatchError && err.code === 'NOT_FOUND') return notFound();
      throw err;
    }
  },
};
