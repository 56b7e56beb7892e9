// WeChat channel: alarm and report notices pushed through the bot to subscribed rooms (`room:<topic>`) and bound users (`user:<login>`); its recipients and limits.
import type { Notice } from '../../outbox/notices';
import { splitText } from '../../present/split-text';
import { roomIdByTopic } from '../../queries/recipients';
import { formatText } from '../format/text';
import type { Channel, ChannelDefinition } from '../types';
import { chatRecipients, createChatChannel } from './chat-channel';
import type { ChatMessage, ChatSender } from './chat-sender';

/** WeChat itself takes somewhat more; this leaves room for the client's own limits. */
export const WECHAT_MAX_CHARS = 1800;

/** The WeChat transport's name, which its bindings and rooms are keyed by. */
const TRANSPORT = 'wechat';

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

/** A notice as chat messages: its text (split to fit), then its chart as a PNG. */
export async function noticeMessages(
  notice: Exclude<Notice, { kind: 'bot' }>,
  text: string[],
  chartPng: () => Promise<Buffer | null>,
): Promise<ChatMessage[]> {
  const out: ChatMessage[] = text.map((t) => ({ kind: 'text', text: t }));
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

export function createWechatChannel(o: WechatChannelOptions): Channel {
  const maxChars = o.maxChars ?? WECHAT_MAX_CHARS;
  return createChatChannel({
    name: 'wechat',
    label: 'WeChat bot',
    upWord: 'logged in',
    sender: o.bot,
    resolveRoomId: o.resolveRoomId,
    // formatText keeps to maxChars; splitting too guarantees no message is ever over the limit.
    messages: (notice, chartPng) =>
      noticeMessages(
        notice,
        splitText(formatText(notice, { maxChars, groupLimit: o.groupLimit }), maxChars),
        chartPng,
      ),
  });
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
  recipients: (config) => (config.bot.enabled ? chatRecipients(TRANSPORT) : null),
  create: ({ chatSenders, ds, config }) => {
    const bot = chatSenders[TRANSPORT];
    return bot
      ? createWechatChannel({
          bot,
          groupLimit: config.alarms.groupLimit,
          resolveRoomId: (topic) => roomIdByTopic(ds, TRANSPORT, topic),
        })
      : null;
  },
};
