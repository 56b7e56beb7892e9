// notify.wecom: the WeCom group-robot channel's settings (src/notify/channels/wecom.ts sends).
import { z } from 'zod';
import { int } from '../fields';
import type { ChannelSettings } from './types';

export const robotSchema = z.strictObject({
  name: z.string().min(1).max(100),
  url: z.url({ protocol: /^https?$/ }),
  sites: z.array(z.string().min(1)).min(1),
});

export const wecomSettingsSchema = z.strictObject({
  robots: z.array(robotSchema),
  timeoutMs: int(100),
});

/** notify.wecom */
export const wecomSettings: ChannelSettings<typeof wecomSettingsSchema> = {
  schema: wecomSettingsSchema,
  defaults: {
    /** WeCom group robots: a name, the webhook URL and the site codes it receives ('*' = all). */
    robots: [],
    timeoutMs: 10_000,
  },
  env: {},
};
