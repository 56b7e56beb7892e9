// WeChat contacts and rooms in the database: bound contacts found again by alias, rooms' subscribed sites by topic.
import { createHash } from 'node:crypto';
import { In, Not, type DataSource } from 'typeorm';
import type { Caller, RoomContext } from '../../commands/types';
import { RoomSubscription, User, WechatBinding } from '../../entities';
import { withTransaction } from '../db/tx';
import { SitewatchError } from '../errors';

/** The alias (remark) the bot gives a bound contact: `sw-<login>`, within the 64-character column. */
export function aliasForLogin(login: string): string {
  const alias = `sw-${login}`;
  if (alias.length <= 64) return alias;
  const hash = createHash('sha256').update(login).digest('hex').slice(0, 8);
  return `sw-${login.slice(0, 52)}-${hash}`;
}

function toCaller(user: User): Caller {
  return { userId: user.id, login: user.login, displayName: user.displayName, role: user.role };
}

export interface ContactRef {
  /** The contact's id in this login session. */
  contactId: string;
  /** The alias (remark) the bot sees on the contact; survives re-logins. */
  alias: string | null | undefined;
  /** The contact's current name, kept up to date in the binding. */
  name?: string;
}

/**
 * The Sitewatch user bound to a contact: by the contact's current id, else by its `sw-…` alias
 * (ids change between logins), in which case the stored contact id is updated.
 */
export async function findCallerByContact(
  ds: DataSource,
  ref: ContactRef,
  now = Date.now(),
): Promise<Caller | null> {
  const bindings = ds.getRepository(WechatBinding);
  const alias = ref.alias?.startsWith('sw-') ? ref.alias : null;
  let binding = await bindings.findOne({ where: { contactId: ref.contactId } });
  // A contact carrying another binding's alias is that binding's person (a stale id was reused).
  if (binding && alias && binding.alias !== alias) binding = null;
  if (!binding && alias) binding = await bindings.findOne({ where: { alias } });
  if (!binding) return null;
  const user = await ds.getRepository(User).findOne({ where: { id: binding.userId } });
  if (!user) return null;
  const found = binding;
  await withTransaction(ds, async (em) => {
    if (found.contactId !== ref.contactId) {
      // No other binding may keep this id: it now belongs to this contact.
      await em.update(
        WechatBinding,
        { contactId: ref.contactId, id: Not(found.id) },
        { contactId: null },
      );
    }
    await em.update(
      WechatBinding,
      { id: found.id },
      {
        contactId: ref.contactId,
        lastSeenAt: now,
        ...(ref.name ? { contactName: ref.name.slice(0, 128) } : {}),
      },
    );
  });
  return toCaller(user);
}

/**
 * Bind a contact to a user (replacing the user's earlier binding, and any other user's binding
 * of this contact). The caller then sets the returned alias on the contact.
 */
export async function bindContact(
  ds: DataSource,
  userId: number,
  contact: { id: string; name: string },
  now = Date.now(),
): Promise<{ alias: string }> {
  const user = await ds.getRepository(User).findOne({ where: { id: userId } });
  if (!user) throw new SitewatchError('NOT_FOUND', `No user with id ${userId}.`);
  const alias = aliasForLogin(user.login);
  await withTransaction(ds, async (em) => {
    await em.delete(WechatBinding, { contactId: contact.id, userId: Not(userId) });
    const existing = await em.findOne(WechatBinding, { where: { userId } });
    const fields = {
      alias,
      contactId: contact.id,
      contactName: contact.name.slice(0, 128),
      boundAt: now,
      lastSeenAt: now,
    };
    if (existing) await em.update(WechatBinding, { id: existing.id }, fields);
    else await em.insert(WechatBinding, { userId, ...fields });
  });
  return { alias };
}

/**
 * Site ids subscribed by a room: by topic (recording the room's current id), else by the room id
 * last seen (the topic was renamed; the subscriptions follow the new topic).
 */
export async function roomSiteIds(
  ds: DataSource,
  topic: string,
  roomId: string | null,
): Promise<number[]> {
  const repo = ds.getRepository(RoomSubscription);
  let subs = await repo.find({ where: { roomTopic: topic } });
  if (subs.length === 0 && roomId) {
    subs = await repo.find({ where: { roomId } });
    if (subs.length > 0)
      await repo.update({ id: In(subs.map((s) => s.id)) }, { roomTopic: topic.slice(0, 255) });
  } else if (roomId && subs.some((s) => s.roomId !== roomId)) {
    await repo.update({ id: In(subs.map((s) => s.id)) }, { roomId });
  }
  return [...new Set(subs.map((s) => s.siteId))].sort((a, b) => a - b);
}

/** The bot's caller and room resolvers backed by the database. */
export function dbResolvers(ds: DataSource): {
  resolveCaller: (c: { id: string; name: string; alias: string | null }) => Promise<Caller | null>;
  resolveRoom: (r: { id: string; topic: string }) => Promise<RoomContext>;
} {
  return {
    resolveCaller: (c) =>
      findCallerByContact(ds, { contactId: c.id, alias: c.alias, name: c.name }),
    resolveRoom: async (r) => ({
      id: r.id,
      topic: r.topic,
      siteIds: await roomSiteIds(ds, r.topic, r.id),
    }),
  };
}
