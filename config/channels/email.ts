// notify.email: the email channel's settings (src/notify/channels/email.ts sends).
import { z } from 'zod';
import { int } from '../fields';
import type { ChannelSettings } from './types';

export const emailSettingsSchema = z.strictObject({
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\/[^/]+/, 'must look like smtp://user:pass@host:25 or smtps://host:465')
    .nullable(),
  from: z.string().min(3),
  timeoutMs: int(100),
});

/** notify.email */
export const emailSettings: ChannelSettings<typeof emailSettingsSchema> = {
  schema: emailSettingsSchema,
  defaults: {
    /** smtp://user:pass@host:25 or smtps://…; null: no email channel. */
    smtpUrl: null,
    from: 'Sitewatch <sitewatch@localhost>',
    timeoutMs: 20_000,
  },
  env: { SITEWATCH_SMTP_URL: 'smtpUrl', SITEWATCH_MAIL_FROM: 'from' },
};
