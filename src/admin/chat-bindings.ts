// Chat contacts bound to users, per transport and external id: found by the contact's id, else (WeChat) by the alias set at binding.
import { createHash } from 'node:crypto';
import { Not, type DataSource } from 'typeorm';
import { type Role, User, WechatBinding } from '../../entities';
import { withTransaction } from '../db/tx';
import { SitewatchError } from '../errors';

/** The alias (remark) the bot gives a bound contact: `sw-<login>`, within the 64-character column. */
export function aliasForLogin(login: string): string {
  const alias = `sw-${login}`;
  if (alias.length <= 64) return alias;
  const hash = createHash('sha256').update(login).digest('hex').slice(0, 8);
  return `sw-${login.slice(0, 52)}-${hash}`;
}

/** The user a binding names, in the shape the command layer calls a caller. */
export interface BoundUser {
  userId: number;
  login: string;
  displayName: string;
  role: Role;
}

const boundUser = (user: User): BoundUser => ({
  userId: user.id,
  login: user.login,
  displayName: user.displayName,
  role: user.role,
});

export interface ContactRef {
  /** The transport's name ('wechat', next 'wecom'): each keeps bindings of its own. */
  transport: string;
  /** The contact's id on the transport (WeChat: in this login session only; WeCom: its stable userid). */
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
): Promise<BoundUser | null> {
  const bindings = ds.getRepository(WechatBinding);
  const transport = ref.transport;
  const alias = ref.alias?.startsWith('sw-') ? ref.alias : null;
  let binding = await bindings.findOne({ where: { transport, contactId: ref.contactId } });
  // A contact carrying another binding's alias is that binding's person (a stale id was reused).
  if (binding && alias && binding.alias !== alias) binding = null;
  if (!binding && alias) binding = await bindings.findOne({ where: { transport, alias } });
  if (!binding) return null;
  const user = await ds.getRepository(User).findOne({ where: { id: binding.userId } });
  if (!user) return null;
  const found = binding;
  await withTransaction(ds, async (em) => {
    if (found.contactId !== ref.contactId) {
      // No other binding may keep this id: it now belongs to this contact.
      await em.update(
        WechatBinding,
        { transport, contactId: ref.contactId, id: Not(found.id) },
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
  return boundUser(user);
}

/**
 * Bind a contact to a user on a transport (replacing the user's earlier binding there, and any
 * other user's binding of this contact). The caller then sets the returned alias on the contact.
 */
export async function bindContact(
  ds: DataSource,
  userId: number,
  contact: { transport: string; id: string; name: string },
  now = Date.now(),
): Promise<{ alias: string }> {
  const user = await ds.getRepository(User).findOne({ where: { id: userId } });
  if (!user) throw new SitewatchError('NOT_FOUND', `No user with id ${userId}.`);
  const alias = aliasForLogin(user.login);
  const transport = contact.transport;
  await withTransaction(ds, async (em) => {
    await em.delete(WechatBinding, { transport, contactId: contact.id, userId: Not(userId) });
    const existing = await em.findOne(WechatBinding, { where: { transport, userId } });
    const fields = {
      alias,
      contactId: contact.id,
      contactName: contact.name.slice(0, 128),
      boundAt: now,
      lastSeenAt: now,
    };
    if (existing) await em.update(WechatBinding, { id: existing.id }, fields);
    else await em.insert(WechatBinding, { transport, userId, ...fields });
  });
  return { alias };
}

/** A user by login, for a transport whose person is named by a login (the console's `--as`); null if none. */
export async function findUserByLogin(ds: DataSource, login: string): Promise<BoundUser | null> {
  const user = await ds.getRepository(User).findOne({ where: { login } });
  return user ? boundUser(user) : null;
}

/** The contact id a user is bound by on a transport (WeCom's userid), or null when not bound there. */
export async function contactIdOfLogin(
  ds: DataSource,
  transport: string,
  login: string,
): Promise<string | null> {
  const user = await ds.getRepository(User).findOne({ where: { login } });
  if (!user) return null;
  const binding = await ds
    .getRepository(WechatBinding)
    .findOne({ where: { transport, userId: user.id } });
  return binding?.contactId ?? null;
}
