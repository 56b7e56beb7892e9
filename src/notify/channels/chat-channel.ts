// What the chat-transport channels share (WeChat, the WeCom robot's long connection): room:<topic> and user:<login> recipients, parts sent one at a time through the transport's push port, and their recipients.
import { SitewatchError } from '../../errors';
import type { Notice } from '../../outbox/notices';
import { boundAdmins, boundUsers, subscribedRooms } from '../../queries/recipients';
import type { ChannelRecipients } from '../../queries/recipients';
import { canSend } from '../../types/transport-state';
import type { Channel } from '../types';
import type { ChatMessage, ChatSender } from './chat-sender';

export type ChatTarget = { kind: 'room'; topic: string } | { kind: 'user'; login: string };

export interface ChatChannelOptions {
  /** The channel's registry name (the outbox `channel` column). */
  name: string;
  /** The transport's name in words, for messages ("WeChat bot", "WeCom robot"). */
  label: string;
  /** What it is when it can send, in words ("logged in", "connected"). */
  upWord: string;
  sender: ChatSender;
  /** The notice as the messages it is sent as (text parts, then the chart). */
  messages(
    notice: Exclude<Notice, { kind: 'bot' }>,
    chartPng: () => Promise<Buffer | null>,
  ): Promise<ChatMessage[]>;
  /** The room's id as last seen, tried before the topic (WeChat); null where the topic is the id. */
  resolveRoomId?: (topic: string) => Promise<string | null>;
  /**
   * False while this hub cannot send on it (another hub holds the connection): its messages are then
   * left in the outbox for a hub that can, and no attempt is used up.
   */
  ready?: () => boolean;
}

export function parseChatRecipient(recipient: string, label: string): ChatTarget {
  const m = /^(room|user):(.+)$/s.exec(recipient);
  const rest = m?.[2].trim();
  if (!m || !rest) {
    throw new SitewatchError(
      'NOTIFY_BAD_RECIPIENT',
      `"${recipient}" is not a ${label} recipient (expected room:<room> or user:<login>).`,
    );
  }
  return m[1] === 'room' ? { kind: 'room', topic: rest } : { kind: 'user', login: rest };
}

export function createChatChannel(o: ChatChannelOptions): Channel {
  return {
    name: o.name,
    ...(o.ready ? { ready: o.ready } : {}),
    async send(recipient, notice, ctx) {
      const target = parseChatRecipient(recipient, o.label);
      if (notice.kind === 'bot') {
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          `Bot notices are not sent by the ${o.label}: a chat transport may be what is down; they go by email and the group robots.`,
        );
      }
      // Checked before the chart is drawn: an offline transport fails fast and is retried later.
      const state = o.sender.health().state;
      if (!canSend(state)) {
        throw new SitewatchError(
          'BOT_OFFLINE',
          `The ${o.label} is not ${o.upWord} (${state}); cannot send to ${recipient}.`,
        );
      }
      const parts = await o.messages(notice, () => ctx.chartPng());
      const roomId =
        target.kind === 'room' && o.resolveRoomId ? await o.resolveRoomId(target.topic) : null;
      // One part at a time, each recorded once delivered: when the image fails after the text went out,
      // the retry (on any hub) sends the image only, and the room does not read the text twice.
      for (let i = ctx.partsSent; i < parts.length; i++) {
        if (target.kind === 'room') await o.sender.sendToRoom(target.topic, roomId, [parts[i]]);
        else await o.sender.sendToUser(target.login, [parts[i]]);
        if (i + 1 < parts.length) await ctx.partSent(i + 1);
      }
    },
  };
}

/** Rooms of the transport subscribed to the site, its bound managers who chose chat pushes, and its bound admins (escalations). */
export function chatRecipients(transport: string): ChannelRecipients {
  return {
    async site(em, sites, purpose) {
      const ids = sites.map((s) => s.id);
      const rooms = (await subscribedRooms(em, ids, transport)).map((r) => ({
        siteId: r.siteId,
        recipient: `room:${r.topic}`,
      }));
      if (purpose !== 'alarm') return rooms;
      const users = (await boundUsers(em, ids, transport)).map((u) => ({
        siteId: u.siteId,
        recipient: `user:${u.login}`,
      }));
      return [...rooms, ...users];
    },
    // Notices about a chat transport go elsewhere: a chat transport may be what is down.
    admins: async (em, purpose) =>
      purpose === 'bot' ? [] : (await boundAdmins(em, transport)).map((login) => `user:${login}`),
  };
}
