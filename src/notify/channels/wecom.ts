// WeCom (企业微信) group-robot channel: markdown text, then the chart (or login QR code) as a base64 image with its md5; its recipients and limits (its settings: config/channels/wecom.ts).
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  robotSchema,
  wecomSettings,
  type wecomSettingsSchema,
} from '../../../config/channels/wecom';
import { SitewatchError } from '../../errors';
import type { Logger } from '../../log';
import type { Notice } from '../../outbox/notices';
import { oneLine } from '../format/common';
import { WECOM_MARKDOWN_MAX_BYTES, formatMarkdown } from '../format/markdown';
import type { Channel, ChannelDefinition, SendContext } from '../types';
import { robotRecipients } from './robot-recipients';
import { createWebhookHttp } from './webhook-http';

/**
 * One robot of notify.wecom.robots. `name` is the outbox recipient; the webhook `url` holds a secret
 * key, so only the name is ever logged or repeated; `sites` are the site codes its group watches.
 */
export type WecomRobot = z.infer<typeof robotSchema>;

export interface WecomChannelOptions {
  robots: WecomRobot[];
  timeoutMs: number;
  log: Logger;
  groupLimit: number;
  /** Zone of bot notices' times. */
  tz?: string;
}

/** WeCom's limit on an image, before base64. */
export const WECOM_IMAGE_MAX_BYTES = 2 * 1024 * 1024;

/** errcode WeCom answers when a robot sends more than 20 messages a minute. */
export const WECOM_RATE_LIMITED = 45009;

type Payload =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'image'; image: { base64: string; md5: string } };

function fail(robot: string, what: string): SitewatchError {
  return new SitewatchError('NOTIFY_SEND_FAILED', `WeCom robot "${robot}": ${what}`);
}

export function createWecomChannel(o: WecomChannelOptions): Channel {
  const robots = new Map(o.robots.map((r) => [r.name, r]));
  const http = createWebhookHttp({ timeoutMs: o.timeoutMs, contentType: 'application/json' });

  async function post(robot: WecomRobot, payload: Payload): Promise<void> {
    let res;
    try {
      res = await http.post(robot.url, payload, (s) => s);
    } catch (err) {
      throw fail(robot.name, `${payload.msgtype} not sent: ${(err as Error).message}`);
    }
    if (res.status < 200 || res.status >= 300) {
      throw fail(robot.name, `${payload.msgtype} not sent: HTTP ${res.status}`);
    }
    const body = res.data as { errcode?: unknown; errmsg?: unknown } | null;
    if (typeof body !== 'object' || body === null || typeof body.errcode !== 'number') {
      throw fail(robot.name, `${payload.msgtype} not sent: unexpected answer (HTTP ${res.status})`);
    }
    if (body.errcode !== 0) {
      const msg = oneLine(String(body.errmsg ?? ''), 200);
      const rate = body.errcode === WECOM_RATE_LIMITED ? ' (rate limited)' : '';
      throw fail(robot.name, `${payload.msgtype} refused: errcode ${body.errcode}${rate} ${msg}`);
    }
  }

  return {
    name: 'wecom',
    async send(recipient: string, notice: Notice, ctx: SendContext): Promise<void> {
      const robot = robots.get(recipient);
      if (!robot) {
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          `no WeCom robot named "${oneLine(recipient, 100)}" in notify.wecom.robots`,
        );
      }
      const image =
        notice.kind === 'bot'
          ? notice.qrPng
            ? Buffer.from(notice.qrPng, 'base64')
            : null
          : await ctx.chartPng();
      // Checked before anything is sent, so a refused notice is not half delivered.
      if (image && image.length > WECOM_IMAGE_MAX_BYTES) {
        throw fail(
          robot.name,
          `image is ${image.length} bytes, over WeCom's limit of ${WECOM_IMAGE_MAX_BYTES} bytes (2 MB)`,
        );
      }
      // Part 1 is the markdown, part 2 the image: when the image fails after the text went out, the
      // outbox remembers it and the retry (on any hub) posts the image alone, not the text twice.
      if (ctx.partsSent < 1) {
        const content = formatMarkdown(notice, {
          maxBytes: WECOM_MARKDOWN_MAX_BYTES,
          groupLimit: o.groupLimit,
          tz: o.tz,
        });
        await post(robot, { msgtype: 'markdown', markdown: { content } });
        if (image) await ctx.partSent(1);
      }
      if (image) {
        const md5 = createHash('md5').update(image).digest('hex');
        await post(robot, { msgtype: 'image', image: { base64: image.toString('base64'), md5 } });
      }
      o.log.debug({ channel: 'wecom', robot: robot.name, kind: notice.kind }, 'wecom message sent');
    },
  };
}

/** Every robot whose sites include the notice's site ('*': all), and every robot for admins' notices; configured by listing robots. */
export const wecomChannel: ChannelDefinition<'wecom', typeof wecomSettingsSchema> = {
  name: 'wecom',
  settings: wecomSettings,
  limits: (config) => ({
    maxSize: WECOM_MARKDOWN_MAX_BYTES,
    unit: 'utf8 bytes',
    groupLimit: config.alarms.groupLimit,
  }),
  recipients: (config) => robotRecipients(config.notify.wecom.robots),
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
};
