// Command "退订" (unsubscribe): a bound admin detaches a site from the current group room.
import { listRoomSubscriptions, unsubscribeRoom } from '../src/admin/rooms';
import { siteLabel } from '../src/present/format';
import { visibleSites } from '../src/queries';
import { resolveSite, siteList } from './access';
import { text } from './reply';
import { roomAdminCheck } from './subscribe';
import type { Command } from './types';

export const unsubscribeCommand: Command = {
  name: '退订',
  aliases: ['unsubscribe'],
  usage: '退订 <局点>',
  summary: '把局点移出本群（管理员，在群里使用）。',
  examples: ['退订 BJ01'],
  adminOnly: true,
  async run(ctx) {
    const refused = roomAdminCheck(ctx, '退订');
    if (refused) return refused;
    const room = ctx.room!;
    const { ds } = ctx.deps;
    const subs = await listRoomSubscriptions(ds, room);
    const ids = new Set(subs.map((s) => s.siteId));
    const all = await visibleSites(ds, ctx.caller);
    const subscribed = all.filter((s) => ids.has(s.id));
    const r = await resolveSite(ctx, '退订', ctx.args, subscribed);
    if (!r.ok) return r.replies;
    await unsubscribeRoom(ds, { transport: room.transport, topic: room.topic, siteId: r.site.id });
    const left = subscribed.filter((s) => s.id !== r.site.id);
    return [text(`已为本群退订${siteLabel(r.site)}。\n本群订阅的局点：${siteList(left)}`)];
  },
};
