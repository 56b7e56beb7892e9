// The registry of notification channels; adding a channel is one file (recipients, limits, factory), its settings file in config/channels/ when it has settings, and one line in each list.
import type { z } from 'zod';
import type { Config } from '../../../config/schema';
import type { ConfiguredChannels } from '../../queries/recipients';
import { createRegistry, type Registry } from '../../registry';
import type { Channel, ChannelDefinition, ChannelDeps } from '../types';
import { dingtalkChannel } from './dingtalk';
import { emailChannel } from './email';
import { feishuChannel } from './feishu';
import { wechatChannel } from './wechat';
import { wecomChannel } from './wecom';
import { wecomBotChannel } from './wecom-bot';

/** The registered channels, in the order recipients are listed and queued. */
export const channelDefinitions = [
  emailChannel,
  wechatChannel,
  wecomBotChannel,
  wecomChannel,
  dingtalkChannel,
  feishuChannel,
] as const;

/** Any channel's definition, whatever its settings. */
export type AnyChannelDefinition = ChannelDefinition<string, z.ZodObject | null>;

/**
 * The channels configured under `config`, in registry order: notices are queued for each of them,
 * whether or not this process can send on it (see createChannels).
 */
export function configuredChannels(
  config: Config,
  defs: readonly AnyChannelDefinition[] = channelDefinitions,
): ConfiguredChannels {
  createRegistry('notification channel', defs);
  return defs.flatMap((d) => {
    const r = d.recipients(config);
    return r ? [{ name: d.name, site: r.site.bind(r), admins: r.admins.bind(r) }] : [];
  });
}

/** The channels this process can send on; a duplicate channel name is refused at start-up. */
export function createChannels(
  deps: ChannelDeps,
  defs: readonly AnyChannelDefinition[] = channelDefinitions,
): Registry<Channel> {
  createRegistry('notification channel', defs);
  const channels = defs.map((d) => d.create(deps)).filter((c): c is Channel => c !== null);
  return createRegistry<Channel>('notification channel', channels);
}
