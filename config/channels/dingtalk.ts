// notify.dingtalk: the DingTalk (钉钉) custom group-robot channel's settings (src/notify/channels/dingtalk.ts sends).
import { z } from 'zod';
import { int } from '../fields';
import type { ChannelSettings } from './types';

/** A webhook as DingTalk hands it out: https://oapi.dingtalk.com/robot/send?access_token=… */
const webhookUrl = z.url({ protocol: /^https?$/ }).refine(
  (u) => URL.canParse(u) && (new URL(u).searchParams.get('access_token') ?? '') !== '',
  // The value is never repeated: it is the robot's credential.
  { message: 'must be the robot webhook with its ?access_token=…' },
);

export const dingtalkRobotSchema = z.strictObject({
  /** The outbox recipient, and the only thing of the robot ever logged. */
  name: z.string().min(1).max(100),
  url: webhookUrl,
  /** 加签 secret ("SEC…"); leave out for robots secured by keywords or IP whitelist only. */
  secret: z.string().min(1).max(200).optional(),
  /** Site codes whose notices go to this robot's group ('*' = all). */
  sites: z.array(z.string().min(1)).min(1),
  /** Mobile numbers @-mentioned in alarm and bot-offline notices (not the daily report). */
  atMobiles: z.array(z.string().regex(/^\+?[0-9-]{3,20}$/, 'must be a mobile number')).optional(),
  /** DingTalk userids @-mentioned likewise. */
  atUserIds: z
    .array(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be a DingTalk userid'))
    .optional(),
  /** @所有人 in alarm and bot-offline notices. */
  atAll: z.boolean().optional(),
});

export const dingtalkSettingsSchema = z.strictObject({
  robots: z.array(dingtalkRobotSchema),
  timeoutMs: int(100),
});

/** notify.dingtalk */
export const dingtalkSettings: ChannelSettings<typeof dingtalkSettingsSchema> = {
  schema: dingtalkSettingsSchema,
  defaults: {
    /** DingTalk custom robots: name, webhook URL, optional 加签 secret, site codes, @-mentions. */
    robots: [],
    timeoutMs: 10_000,
  },
  // Secrets and webhook keys belong in the config file, never in variables.
  env: {},
};
