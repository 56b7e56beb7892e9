// The explicit list of notification channels: each factory builds its channel from config, or none when not configured.
import type { DataSource } from 'typeorm';
import type { Config } from '../../../config/schema';
import type { Logger } from '../../log';
import { createRegistry, type Registry } from '../../registry';
import type { Channel } from '../types';
import type { ChatSender } from './chat-sender';
import { createEmailChannel } from './email';
import { createWechatChannel } from './wechat';
import { createWecomChannel } from './wecom';

export interface ChannelDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  /** The chat transport for the WeChat channel (null: this process sends no WeChat). */
  chatSender: ChatSender | null;
}

export interface ChannelFactory {
  readonly name: string;
  create(deps: ChannelDeps): Channel | null;
}

export const channelFactories: readonly ChannelFactory[] = [
  {
    name: 'email',
    create: ({ config, log }) =>
      config.notify.email.smtpUrl
        ? createEmailChannel({
            smtpUrl: config.notify.email.smtpUrl,
            from: config.notify.email.from,
            timeoutMs: config.notify.email.timeoutMs,
            maxConnections: config.notify.concurrency,
            groupLimit: config.alarms.groupLimit,
            tz: config.timezone,
            log,
          })
        : null,
  },
  {
    name: 'wechat',
    create: ({ chatSender, ds, config }) =>
      chatSender
        ? createWechatChannel({
            bot: chatSender,
            groupLimit: config.alarms.groupLimit,
            resolveRoomId: async (topic) => {
              const rows = (await ds.query(
                'SELECT room_id FROM room_subscription WHERE room_topic = ? AND room_id IS NOT NULL LIMIT 1',
                [topic],
              )) as { room_id: string }[];
              return rows[0]?.room_id ?? null;
            },
          })
        : null,
  },
  {
    name: 'wecom',
    create: ({ config, log }) =>
      config.notify.wecom.robots.length > 0
        ? createWecomChannel({
            robots: config.notify.wecom.robots,
            timeoutMs: config.notify.wecom.timeoutMs,
            groupLimit: config.alarms.groupLimit,
            tz: config.timezone,
            log,
          })
        : null,
  },
];

/** The configured channels; a duplicate factory or channel name is refused at start-up. */
export function createChannels(
  deps: ChannelDeps,
  factories: readonly ChannelFactory[] = channelFactories,
): Registry<Channel> {
  createRegistry('notification channel factory', factories);
  const channels = factories.map((f) => f.create(deps)).filter((c): c is Channel => c !== null);
  return createRegistry<Channel>('notification channel', channels);
}
