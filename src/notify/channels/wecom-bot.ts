// WeCom intelligent-robot channel: notices pushed over the robot's long connection (sendMessage) to subscribed WeCom chats (`room:<chatid>`) and bound users (`user:<login>`), markdown then the chart.
import { splitText, utf8Length } from '../../present/split-text';
import { formatMarkdown } from '../format/markdown';
import type { ChannelDefinition } from '../types';
import { chatRecipients, createChatChannel } from './chat-channel';
import { noticeMessages } from './wechat';
import { canSend } from '../../types/transport-state';

/** The WeCom transport's name, which its bindings, rooms and seen chats are keyed by. */
const TRANSPORT = 'wecom';

/** WeCom's limit on a markdown push, in UTF-8 bytes. */
export const WECOM_BOT_MAX_BYTES = 20_480;

/**
 * Configured when the installation runs the WeCom robot (wecomBot.enabled); a process without the
 * connection (the CLI, a standby hub) leaves its rows for the hub holding it.
 */
export const wecomBotChannel: ChannelDefinition<'wecom-bot'> = {
  name: 'wecom-bot',
  settings: null,
  limits: (config) => ({
    maxSize: WECOM_BOT_MAX_BYTES,
    unit: 'utf8 bytes',
    groupLimit: config.alarms.groupLimit,
  }),
  recipients: (config) => (config.wecomBot.enabled ? chatRecipients(TRANSPORT) : null),
  create: ({ chatSenders, config }) => {
    const sender = chatSenders[TRANSPORT];
    if (!sender) return null;
    const o = {
      maxBytes: WECOM_BOT_MAX_BYTES,
      groupLimit: config.alarms.groupLimit,
      tz: config.timezone,
    };
    return createChatChannel({
      name: 'wecom-bot',
      label: 'WeCom robot',
      upWord: 'connected',
      sender,
      // The hub holding the connection sends; a standby hub claims none of these rows.
      ready: () => canSend(sender.health().state),
      messages: (notice, chartPng) =>
        noticeMessages(
          notice,
          splitText(formatMarkdown(notice, o), WECOM_BOT_MAX_BYTES, utf8Length),
          chartPng,
        ),
    });
  },
};
