// Room subscriptions (which group rooms receive and may ask about which sites): the one write path, for the bot and the portal, and a room's sites.
import { In, type DataSource } from 'typeorm';
import { RoomSubscription } from '../../entities';
import { engineOf } from '../db/data-source';
import { insertIgnore } from '../db/bulk';

/** A room of a chat transport: WeChat's by topic, WeCom's by chatid (as its topic). */
export interface RoomKey {
  transport: string;
  topic: string;
}

export interface RoomSubscribe {
  /** The chat transport the room is on ('wechat', 'wecom'). */
  transport: string;
  /** The room's topic (its name in WeChat; WeCom's chatid), as the subscription is keyed by. */
  topic: string;
  /** The room's id when known (the bot knows it); null: that of another subscription of the topic, if any. */
  roomId: string | null;
  siteId: number;
  /** The admin's user id. */
  by: number;
  now: number;
}

export interface RoomSubscribed {
  /** False when the room already subscribed to the site (earlier, or by a concurrent caller). */
  added: boolean;
  subscription: RoomSubscription;
}

/** Subscribe a room to a site, or find that it already is; concurrent calls make one row and all succeed. */
export async function subscribeRoom(ds: DataSource, s: RoomSubscribe): Promise<RoomSubscribed> {
  const roomId = s.roomId ?? (await knownRoomId(ds, s));
  // INSERT IGNORE on the unique (transport, room_topic, site_id): a look-up then an insert lets two
  // callers both find nothing, and the second insert then fails.
  const added = await insertIgnore(
    ds.manager,
    engineOf(ds),
    'room_subscription',
    ['transport', 'room_topic', 'room_id', 'site_id', 'created_by', 'created_at'],
    [[s.transport, s.topic, roomId, s.siteId, s.by, s.now]],
  );
  const subscription = await ds
    .getRepository(RoomSubscription)
    .findOneOrFail({ where: { transport: s.transport, roomTopic: s.topic, siteId: s.siteId } });
  return { added: added > 0, subscription };
}

/** The id of a room known by its topic from another subscription, or null (the bot finds it by topic). */
async function knownRoomId(ds: DataSource, room: RoomKey): Promise<string | null> {
  const known = (await ds.query(
    'SELECT room_id FROM room_subscription WHERE transport = ? AND room_topic = ? AND room_id IS NOT NULL LIMIT 1',
    [room.transport, room.topic],
  )) as { room_id: string }[];
  return known[0]?.room_id ?? null;
}

/** Remove a subscription, by id or by room and site; returns what was removed, or null if nothing was. */
export async function unsubscribeRoom(
  ds: DataSource,
  which: { id: number } | (RoomKey & { siteId: number }),
): Promise<RoomSubscription | null> {
  const repo = ds.getRepository(RoomSubscription);
  const sub = await repo.findOne({
    where:
      'id' in which
        ? { id: which.id }
        : { transport: which.transport, roomTopic: which.topic, siteId: which.siteId },
  });
  if (!sub) return null;
  const res = await repo.delete({ id: sub.id });
  return res.affected === 0 ? null : sub;
}

/** Subscriptions by transport, room topic then id; only those of `room` when given. */
export function listRoomSubscriptions(ds: DataSource, room?: RoomKey): Promise<RoomSubscription[]> {
  return ds.getRepository(RoomSubscription).find({
    where: room === undefined ? {} : { transport: room.transport, roomTopic: room.topic },
    order: { transport: 'ASC', roomTopic: 'ASC', id: 'ASC' },
  });
}

/**
 * Site ids subscribed by a room: by topic (recording the room's current id), else by the room id
 * last seen (the topic was renamed; the subscriptions follow the new topic).
 */
export async function roomSiteIds(
  ds: DataSource,
  transport: string,
  topic: string,
  roomId: string | null,
): Promise<number[]> {
  const repo = ds.getRepository(RoomSubscription);
  let subs = await repo.find({ where: { transport, roomTopic: topic } });
  if (subs.length === 0 && roomId) {
    subs = await repo.find({ where: { transport, roomId } });
    if (subs.length > 0)
      await repo.update({ id: In(subs.map((s) => s.id)) }, { roomTopic: topic.slice(0, 255) });
  } else if (roomId && subs.some((s) => s.roomId !== roomId)) {
    await repo.update({ id: In(subs.map((s) => s.id)) }, { roomId });
  }
  return [...new Set(subs.map((s) => s.siteId))].sort((a, b) => a - b);
}
