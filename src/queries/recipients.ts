// Who receives a site's notices on which channel: managers by email, bound users and rooms on WeChat, WeCom robots.
import type { EntityManager } from 'typeorm';
import { placeholders } from './sql';

export interface Recipient {
  channel: string;
  recipient: string;
}

export interface RecipientConfig {
  /** Email channel configured (an SMTP URL is set). */
  email: boolean;
  /** WeChat bot running. */
  wechat: boolean;
  wecomRobots: readonly { name: string; sites: readonly string[] }[];
}

/** alarm: managers' alarm emails, opted-in WeChat users, rooms, robots; report: report emails, rooms, robots. */
export type Purpose = 'alarm' | 'report';

/** Recipients per site id; every site asked for has an entry (maybe empty). */
export async function siteRecipients(
  em: EntityManager,
  sites: readonly { id: number; code: string }[],
  purpose: Purpose,
  cfg: RecipientConfig,
): Promise<Map<number, Recipient[]>> {
  const out = new Map<number, Recipient[]>(sites.map((s) => [s.id, []]));
  if (sites.length === 0) return out;
  const ids = sites.map((s) => s.id);
  const add = (siteId: number, channel: string, recipient: string) => {
    const list = out.get(siteId);
    if (list && !list.some((r) => r.channel === channel && r.recipient === recipient))
      list.push({ channel, recipient });
  };
  if (cfg.email) {
    const flag = purpose === 'alarm' ? 'u.notify_email' : 'u.report_email';
    const rows = (await em.query(
      `SELECT us.site_id, u.email FROM user_site us JOIN user u ON u.id = us.user_id
        WHERE us.site_id IN (${placeholders(ids.length)}) AND ${flag} = ? AND u.email IS NOT NULL AND u.email <> ''
        ORDER BY u.email`,
      [...ids, true],
    )) as { site_id: number | string; email: string }[];
    for (const r of rows) add(Number(r.site_id), 'email', r.email);
  }
  if (cfg.wechat) {
    const rooms = (await em.query(
      `SELECT site_id, room_topic FROM room_subscription WHERE site_id IN (${placeholders(ids.length)}) ORDER BY room_topic`,
      ids,
    )) as { site_id: number | string; room_topic: string }[];
    for (const r of rooms) add(Number(r.site_id), 'wechat', `room:${r.room_topic}`);
    if (purpose === 'alarm') {
      const users = (await em.query(
        `SELECT us.site_id, u.login FROM user_site us JOIN user u ON u.id = us.user_id
          JOIN wechat_binding b ON b.user_id = u.id
          WHERE us.site_id IN (${placeholders(ids.length)}) AND u.notify_wechat = ? ORDER BY u.login`,
        [...ids, true],
      )) as { site_id: number | string; login: string }[];
      for (const r of users) add(Number(r.site_id), 'wechat', `user:${r.login}`);
    }
  }
  for (const robot of cfg.wecomRobots) {
    for (const s of sites) {
      if (robot.sites.includes('*') || robot.sites.includes(s.code)) add(s.id, 'wecom', robot.name);
    }
  }
  return out;
}

/** Admins, for escalations and the bot's own notices: their email, their bound WeChat (escalations), and every robot. */
export async function adminRecipients(
  em: EntityManager,
  cfg: RecipientConfig,
  o: { wechat: boolean },
): Promise<Recipient[]> {
  const out: Recipient[] = [];
  const admins = (await em.query(
    `SELECT u.login, u.email, b.id AS bound FROM user u LEFT JOIN wechat_binding b ON b.user_id = u.id
      WHERE u.role = 'admin' ORDER BY u.login`,
  )) as { login: string; email: string | null; bound: number | null }[];
  for (const a of admins) {
    if (cfg.email && a.email) out.push({ channel: 'email', recipient: a.email });
    if (o.wechat && cfg.wechat && a.bound !== null)
      out.push({ channel: 'wechat', recipient: `user:${a.login}` });
  }
  for (const robot of cfg.wecomRobots) out.push({ channel: 'wecom', recipient: robot.name });
  return out;
}
