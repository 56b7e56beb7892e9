// Who receives notices: the configured channels each pick their recipients (their `recipients`), from the read models below.
import type { EntityManager } from 'typeorm';
import { placeholders } from './sql';

export interface Recipient {
  channel: string;
  recipient: string;
}

/** alarm: managers' alarm emails, opted-in WeChat users, rooms, robots; report: report emails, rooms, robots. */
export type Purpose = 'alarm' | 'report';

/** Why admins are told: an alarm escalated after its reminders, or a notice about the WeChat bot itself. */
export type AdminPurpose = 'escalation' | 'bot';

export interface SiteRef {
  id: number;
  code: string;
}

/** One recipient of one site's notices on a channel. */
export interface SiteRecipient {
  siteId: number;
  recipient: string;
}

/** How a channel picks its recipients under the configuration in use. */
export interface ChannelRecipients {
  /** Its recipients of these sites' notices, in the order they are queued (a site may have none). */
  site(em: EntityManager, sites: readonly SiteRef[], purpose: Purpose): Promise<SiteRecipient[]>;
  /** Its recipients among the admins (and groups that watch everything). */
  admins(em: EntityManager, purpose: AdminPurpose): Promise<string[]>;
}

/** A channel that notices are queued for, whether or not this process can send on it. */
export interface RecipientChannel extends ChannelRecipients {
  /** The outbox `channel` column. */
  readonly name: string;
}

/** The configured channels, in registry order (see configuredChannels in src/notify/channels/registry.ts). */
export type ConfiguredChannels = readonly RecipientChannel[];

/** Recipients per site id on every configured channel, in channel order; every site asked for has an entry (maybe empty). */
export async function siteRecipients(
  em: EntityManager,
  sites: readonly SiteRef[],
  purpose: Purpose,
  channels: ConfiguredChannels,
): Promise<Map<number, Recipient[]>> {
  const out = new Map<number, Recipient[]>(sites.map((s) => [s.id, []]));
  if (sites.length === 0) return out;
  for (const channel of channels) {
    for (const r of await channel.site(em, sites, purpose)) {
      const list = out.get(r.siteId);
      if (list && !list.some((x) => x.channel === channel.name && x.recipient === r.recipient))
        list.push({ channel: channel.name, recipient: r.recipient });
    }
  }
  return out;
}

/** Admins' recipients on every configured channel, for escalations and the bot's own notices. */
export async function adminRecipients(
  em: EntityManager,
  channels: ConfiguredChannels,
  purpose: AdminPurpose,
): Promise<Recipient[]> {
  const out: Recipient[] = [];
  for (const channel of channels) {
    for (const recipient of await channel.admins(em, purpose))
      if (!out.some((x) => x.channel === channel.name && x.recipient === recipient))
        out.push({ channel: channel.name, recipient });
  }
  return out;
}

/** The managers' email addresses per site: those who chose alarm (or report) emails. */
export async function managerEmails(
  em: EntityManager,
  siteIds: readonly number[],
  purpose: Purpose,
): Promise<{ siteId: number; email: string }[]> {
  if (siteIds.length === 0) return [];
  const flag = purpose === 'alarm' ? 'u.notify_email' : 'u.report_email';
  const rows = (await em.query(
    `SELECT us.site_id, u.email FROM user_site us JOIN user u ON u.id = us.user_id
      WHERE us.site_id IN (${placeholders(siteIds.length)}) AND ${flag} = ? AND u.email IS NOT NULL AND u.email <> ''
      ORDER BY u.email`,
    [...siteIds, true],
  )) as { site_id: number | string; email: string }[];
  return rows.map((r) => ({ siteId: Number(r.site_id), email: r.email }));
}

/** A chat transport's rooms subscribed to each site, by topic (WeCom's: by chatid). */
export async function subscribedRooms(
  em: EntityManager,
  siteIds: readonly number[],
  transport: string,
): Promise<{ siteId: number; topic: string }[]> {
  if (siteIds.length === 0) return [];
  const rows = (await em.query(
    `SELECT site_id, room_topic FROM room_subscription WHERE transport = ? AND site_id IN (${placeholders(siteIds.length)}) ORDER BY room_topic`,
    [transport, ...siteIds],
  )) as { site_id: number | string; room_topic: string }[];
  return rows.map((r) => ({ siteId: Number(r.site_id), topic: r.room_topic }));
}

/** The managers of each site bound on a chat transport who chose chat pushes (notify_wechat), by login. */
export async function boundUsers(
  em: EntityManager,
  siteIds: readonly number[],
  transport: string,
): Promise<{ siteId: number; login: string }[]> {
  if (siteIds.length === 0) return [];
  const rows = (await em.query(
    `SELECT us.site_id, u.login FROM user_site us JOIN user u ON u.id = us.user_id
      JOIN wechat_binding b ON b.user_id = u.id AND b.transport = ?
      WHERE us.site_id IN (${placeholders(siteIds.length)}) AND u.notify_wechat = ? ORDER BY u.login`,
    [transport, ...siteIds, true],
  )) as { site_id: number | string; login: string }[];
  return rows.map((r) => ({ siteId: Number(r.site_id), login: r.login }));
}

/** The admins' email addresses, by login. */
export async function adminEmails(em: EntityManager): Promise<string[]> {
  const rows = (await em.query(
    `SELECT email FROM user WHERE role = 'admin' AND email IS NOT NULL AND email <> '' ORDER BY login`,
  )) as { email: string }[];
  return rows.map((r) => r.email);
}

/** The logins of the admins bound on a chat transport. */
export async function boundAdmins(em: EntityManager, transport: string): Promise<string[]> {
  const rows = (await em.query(
    `SELECT u.login FROM user u JOIN wechat_binding b ON b.user_id = u.id AND b.transport = ?
      WHERE u.role = 'admin' ORDER BY u.login`,
    [transport],
  )) as { login: string }[];
  return rows.map((r) => r.login);
}

/** The id last seen for a subscribed room with this topic (it survives a rename), or null. */
export async function roomIdByTopic(
  em: Pick<EntityManager, 'query'>,
  transport: string,
  topic: string,
): Promise<string | null> {
  const rows = (await em.query(
    'SELECT room_id FROM room_subscription WHERE transport = ? AND room_topic = ? AND room_id IS NOT NULL LIMIT 1',
    [transport, topic],
  )) as { room_id: string }[];
  return rows[0]?.room_id ?? null;
}

/** Whether a chat (a WeCom chatid or userid) talked to the transport's bot, which WeCom requires before a push. */
export async function chatSeen(
  em: Pick<EntityManager, 'query'>,
  transport: string,
  chatId: string,
): Promise<boolean> {
  const rows = (await em.query(
    'SELECT 1 AS seen FROM chat_seen WHERE transport = ? AND chat_id = ? LIMIT 1',
    [transport, chatId],
  )) as unknown[];
  return rows.length > 0;
}

/** The chats that talked to a transport's bot. */
export async function chatsSeen(
  em: Pick<EntityManager, 'query'>,
  transport: string,
): Promise<Set<string>> {
  const rows = (await em.query('SELECT chat_id FROM chat_seen WHERE transport = ?', [
    transport,
  ])) as { chat_id: string }[];
  return new Set(rows.map((r) => r.chat_id));
}
