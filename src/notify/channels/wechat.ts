// WeChat channel: alarm and report notices pushed through the bot to subscribed rooms (`room:<topic>`) and bound users (`user:<login>`); its recipients and limits.
import { SitewatchError } from '../../errors';
import type { Notice } from '../../outbox/notices';
import { splitText } from '../../present/split-text';
import { boundAdmins, boundUsers, roomIdByTopic, subscribedRooms } from '../../queries/recipients';
import { formatText } from '../format/text';
import type { Channel, ChannelDefinition } from '../types';
import type { ChatMessage, ChatSender } from './chat-sender';

/** WeChat itself takes somewhat more; this leaves room for the client's own limits. */
export const WECHAT_MAX_CHARS = 1800;

export interface WechatChannelOptions {
  /** Delivers the messages: the WeChat bot on a hub, seen through the port. */
  bot: ChatSender;
  /** The room's id as last seen (room_subscription.room_id), tried before the topic. */
  resolveRoomId?: (topic: string) => Promise<string | null>;
  /** Most alarms listed in one message. */
  groupLimit: number;
  /** Longest text message in UTF-16 units (default 1800). */
  maxChars?: number;
}

type Target = { kind: 'room'; topic: string } | { kind: 'user'; login: string };

function parseRecipient(recipient: string): Target {
  const m = /^(room|user):(.+)$/s.exec(recipient);
  const rest = m?.[2].trim();
  if (!m || !rest) {
    throw new SitewatchError(
      'NOTIFY_BAD_RECIPIENT',
      `"${recipient}" is not a WeChat recipient (expected room:<room topic> or user:<login>).`,
    );
  }
  return m[1] === 'room' ? { kind: 'room', topic: rest } : { kind: 'user', login: rest };
}

export function createWechatChannel(o: WechatChannelOptions): Channel {
  const maxChars = o.maxChars ?? WECHAT_MAX_CHARS;

  async function replies(
    notice: Exclude<Notice, { kind: 'bot' }>,
    chartPng: () => Promise<Buffer | null>,
  ): Promise<ChatMessage[]> {
    const text = formatText(notice, { maxChars, groupLimit: o.groupLimit });
    // formatText keeps to maxChars; splitting too guarantees no message is ever over the limit.
    const out: ChatMessage[] = splitText(text, maxChars).map((t) => ({ kind: 'text', text: t }));
    const png = await chartPng();
    if (png) {
      const what = notice.kind === 'report' ? `${notice.date} 日报图表` : '告警图表';
      out.push({
        kind: 'image',
        png,
        name: `${notice.site.code}-${notice.kind}.png`,
        alt: `${notice.site.name}（${notice.site.code}）${what}`,
      });
    }
    return out;
  }

  return {
    name: 'wechat',
    async send(recipient, notice, ctx) {
      const target = parseRecipient(recipient);
      if (notice.kind === 'bot') {
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          'Bot notices are not sent over WeChat: the bot is what is logged out; they go by email and WeCom.',
        );
      }
      // Checked before the chart is drawn: an offline bot fails fast and is retried later.
      const state = o.bot.health().state;
      if (state !== 'online') {
        throw new SitewatchError(
          'BOT_OFFLINE',
          `The WeChat bot is not logged in (${state}); cannot send to ${recipient}.`,
        );
      }
      const parts = await replies(notice, () => ctx.chartPng());
      const roomId =
        target.kind === 'room' && o.resolveRoomId ? await o.resolveRoomId(target.topic) : null;
      // One part at a time, each recorded once delivered: when the image fails after the text went out,
      // the retry (on any hub) sends the image only, and the room does not read the text twice.
      for (let i = ctx.partsSent; i < parts.length; i++) {
        if (target.kind === 'room') await o.bot.sendToRoom(target.topic, roomId, [parts[i]]);
        else await o.bot.sendToUser(target.login, [parts[i]]);
        if (i + 1 < parts.length) await ctx.partSent(i + 1);
      }
    },
  };
}

/**
 * Rooms subscribed to the site, managers who chose WeChat pushes and bound admins (escalations).
 * Configured when the installation runs the bot (bot.enabled): a process without it (the CLI) still
 * queues these rows, and the hub with the bot sends them.
 */
export const wechatChannel: ChannelDefinition<'wechat'> = {
  name: 'wechat',
  settings: null,
  limits: (config) => ({
    maxSize: WECHAT_MAX_CHARS,
    unit: 'utf16 units',
    groupLimit: config.alarms.groupLimit,
  }),
  recipients: (config) =>
    config.bot.enabled
      ? {
          async site(em, sites, purpose) {
            const ids = sites.map((s) => s.id);
            const rooms = (await subscribedRooms(em, ids)).map((r) => ({
              siteId: r.siteId,
              recipient: `room:${r.topic}`,
            }));
            if (purpose !== 'alarm') return rooms;
            const users = (await boundUsers(em, ids)).map((u) => ({
              siteId: u.siteId,
              recipient: `user:${u.login}`,
            }));
            return [...rooms, ...users];
          },
          // Notices about the bot go elsewhere: the bot is what is logged out.
          admins: async (em, purpose) =>
            purpose === 'bot' ? [] : (await boundAdmins(em)).map((login) => `user:${login}`),
        }
      : null,
  create: ({ chatSender, ds, config }) =>
    chatSender
      ? createWechatChannel({
          bot: chatSender,
          groupLimit: config.alarms.groupLimit,
          resolveRoomId: (topic) => roomIdByTopic(ds, topic),
        })
      : null,
};
