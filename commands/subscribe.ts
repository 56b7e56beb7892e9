// Command "订阅" (subscribe): a bound admin attaches a site to the current group room (by room topic).
import { listRoomSubscriptions, subscribeRoom } from '../src/admin/rooms';
import { siteLabel } from '../src/present/format';
import { refuse, resolveSite, siteList } from './access';
import { visibleSites } from '../src/queries';
import { text } from './reply';
import type { Command, CommandContext } from './types';

/** Refusal unless the caller is an admin asking in a room; null when allowed. */
export function roomAdminCheck(ctx: CommandContext, command: string) {
  if (ctx.caller.role !== 'admin') {
    return refuse(ctx, command, 'admin only', `只有管理员可以使用“${command}”。`);
  }
  if (!ctx.room) return refuse(ctx, command, 'room only', `“${command}”只能在群里使用。`);
  return null;
}

export const subscribeCommand: Command = {
  name: '订阅',
  aliases: ['subscribe'],
  usage: '订阅 <局点>',
  summary: '把局点加入本群（管理员，在群里使用）。',
  examples: ['订阅 BJ01'],
  adminOnly: true,
  async run(ctx) {
    const refused = roomAdminCheck(ctx, '订阅');
    if (refused) return refused;
    const room = ctx.room!;
    const { ds } = ctx.deps;
    const all = await visibleSites(ds, ctx.caller);
    if (ctx.args.trim() === '') {
      return refuse(
        ctx,
        '订阅',
        'site missing',
        `请指定局点，例如：订阅 ${all[0]?.code ?? 'BJ01'}`,
      );
    }
    const r = await resolveSite(ctx, '订阅', ctx.args, all);
    if (!r.ok) return r.replies;
    const { added } = await subscribeRoom(ds, {
      transport: room.transport,
      topic: room.topic,
      roomId: room.id,
      siteId: r.site.id,
      by: ctx.caller.userId,
      now: ctx.deps.now(),
    });
    const subs = await listRoomSubscriptions(ds, room);
    const ids = new Set(subs.map((s) => s.siteId));
    const now = all.filter((s) => ids.has(s.id));
    const first = added ? `已为本群订阅${siteLabel(r.site)}。` : `本群已订阅${siteLabel(r.site)}。`;
    return [text(`${first}\n本群订阅的局点：${siteList(now)}`)];
  },
};
