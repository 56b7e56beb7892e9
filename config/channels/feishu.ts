// notify.feishu: the Feishu / Lark (飞书) custom-bot channel's settings (src/notify/channels/feishu.ts sends).
import { z } from 'zod';
import { int } from '../fields';
import type { ChannelSettings } from './types';

/** A webhook as Feishu hands it out: https://open.feishu.cn/open-apis/bot/v2/hook/<token> */
const webhookUrl = z.url({ protocol: /^https?$/ }).refine(
  (u) => URL.canParse(u) && /\/open-apis\/bot\/v2\/hook\/[^/]+$/.test(new URL(u).pathname),
  // The value is never repeated: its last segment is the bot's credential.
  { message: 'must be the bot webhook …/open-apis/bot/v2/hook/<token>' },
);

export const feishuRobotSchema = z.strictObject({
  /** The outbox recipient, and the only thing of the bot ever logged. */
  name: z.string().min(1).max(100),
  url: webhookUrl,
  /** 签名校验 secret; leave out for bots secured by keywords or IP whitelist only. */
  secret: z.string().min(1).max(200).optional(),
  /** Site codes whose notices go to this bot's group ('*' = all). */
  sites: z.array(z.string().min(1)).min(1),
});

export const feishuSettingsSchema = z.strictObject({
  robots: z.array(feishuRobotSchema),
  timeoutMs: int(100),
});

/** notify.feishu */
export const feishuSettings: ChannelSettings<typeof feishuSettingsSchema> = {
  schema: feishuSettingsSchema,
  defaults: {
    /** Feishu / Lark custom bots: name, webhook URL, optional signing secret, site codes. */
    robots: [],
    timeoutMs: 10_000,
  },
  // Secrets and webhook tokens belong in the config file, never in variables.
  env: {},
};
