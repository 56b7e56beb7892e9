// The notification channels' settings, one file each, listed once: the config schema composes them into notify.<channel>.
import { createRegistry } from '../../src/registry';
import { dingtalkSettings } from './dingtalk';
import { emailSettings } from './email';
import { feishuSettings } from './feishu';
import type { ChannelSettings } from './types';
import { wecomSettings } from './wecom';

export type { ChannelSettings };

/** Every channel with settings of its own, by the channel's name (its registry name in src/notify/channels). */
export const channelSettingsList = [
  { name: 'email', settings: emailSettings },
  { name: 'wecom', settings: wecomSettings },
  { name: 'dingtalk', settings: dingtalkSettings },
  { name: 'feishu', settings: feishuSettings },
] as const;

type Listed = (typeof channelSettingsList)[number];

/** `notify.<name>` of each channel with settings: its zod object. */
export type ChannelSettingsShape = { [C in Listed as C['name']]: C['settings']['schema'] };

/** The channels' settings (a repeated name is refused at start-up). */
export function channelSettings(): readonly { name: string; settings: ChannelSettings }[] {
  createRegistry('channel settings', channelSettingsList);
  return channelSettingsList;
}

/** The zod shape the config schema spreads into `notify`. */
export function channelSettingsShape(): ChannelSettingsShape {
  return Object.fromEntries(
    channelSettingsList.map((c) => [c.name, c.settings.schema]),
  ) as ChannelSettingsShape;
}
