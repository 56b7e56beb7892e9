// Command "解除静默" (unsilence): end a silence before its time, by the number its reply gave.
import { Silence } from '../entities';
import { cancelSilence } from '../src/alarms/silences';
import { SitewatchError } from '../src/errors';
import { siteZone } from '../src/present/format';
import { refuse, requestSites } from './access';
import { text } from './reply';
import { parseIdArg, shortWhen, silenceTarget } from './silence';
import type { Command } from './types';

export const unsilenceCommand: Command = {
  name: '解除静默',
  aliases: ['unsilence'],
  usage: '解除静默 <静默编号>',
  summary: '提前结束一个静默；发送“静默”查看当前静默及其编号。',
  examples: ['解除静默 3'],
  async run(ctx) {
    const id = parseIdArg(ctx.args);
    if (id === null) {
      return refuse(
        ctx,
        '解除静默',
        'bad id',
        '用法：解除静默 <静默编号>；发送“静默”查看当前静默及其编号。',
      );
    }
    if (id === 'bad') {
      return refuse(
        ctx,
        '解除静默',
        'bad id number',
        '静默编号应为正整数；发送“静默”查看当前静默及其编号。',
      );
    }
    const { ds, config } = ctx.deps;
    const notFound = () => refuse(ctx, '解除静默', 'unknown silence', `没有找到静默 #${id}。`);
    const found = await ds.getRepository(Silence).findOne({ where: { id } });
    // Silences of sites not visible here (another user's, or outside this room) do not exist.
    const site = found && (await requestSites(ctx)).find((s) => s.id === found.siteId);
    if (!found || !site) return notFound();
    try {
      const { silence, outcome } = await cancelSilence(ds, {
        userId: ctx.caller.userId,
        silenceId: id,
        now: ctx.deps.now(),
      });
      const tz = siteZone(site, config);
      if (outcome === 'already-cancelled') {
        return [text(`静默 #${id} 已于 ${shortWhen(silence.cancelledAt!, tz)} 解除。`)];
      }
      if (outcome === 'already-ended') {
        return [text(`静默 #${id} 已于 ${shortWhen(silence.endsAt, tz)} 到期。`)];
      }
      return [text(`已解除静默 #${id}（${silenceTarget(site, silence.alarmName)}）。`)];
    } catch (err) {
      if (err instanceof SitewatchError && err.code === 'NOT_FOUND') return notFound();
      throw err;
    }
  },
};
