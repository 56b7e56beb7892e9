// Feishu / Lark (飞书) custom-bot channel: one signed interactive card per notice, header coloured by severity, charts as a portal link button (its settings: config/channels/feishu.ts).
import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import {
  feishuSettings,
  type feishuRobotSchema,
  type feishuSettingsSchema,
} from '../../../config/channels/feishu';
import type { Severity } from '../../../config/alarm-dict';
import { RateLimitedError, SitewatchError } from '../../errors';
import type { Logger } from '../../log';
import type { Notice } from '../../outbox/notices';
import { oneLine, safeUrl } from '../format/common';
import {
  CHART_IN_PORTAL,
  formatRobotMarkdown,
  openSeverity,
  robotTitle,
} from '../format/robot-markdown';
import type { Channel, ChannelDefinition, SendContext } from '../types';
import { robotRecipients } from './robot-recipients';
import { createWebhookHttp } from './webhook-http';

// Why a card: a `post` is rich text made of tagged runs (text, a, at, img), with no bold, no blank
// lines between entries and no colour; a card's markdown element renders bold, links and line
// breaks, and its header carries the severity as a colour. A card image needs an image_key, which
// only an app (not a custom bot) can upload, so a chart is a link button to the portal.

/**
 * One bot of notify.feishu.robots. `name` is the outbox recipient; the webhook `url` ends in the
 * bot's token and `secret` signs, so only the name is ever logged or repeated.
 */
export type FeishuRobot = z.infer<typeof feishuRobotSchema>;

export interface FeishuChannelOptions {
  robots: FeishuRobot[];
  timeoutMs: number;
  log: Logger;
  groupLimit: number;
  /** Zone of bot notices' times. */
  tz?: string;
  /** The clock of the signature's timestamp (tests pass a fake one). */
  now?: () => number;
}

/** Feishu's limit on a custom bot's request body: 20 KB. */
export const FEISHU_BODY_MAX_BYTES = 20 * 1024;

/** The card markdown's share of it; the rest is kept for the header, the button and JSON. */
export const FEISHU_MARKDOWN_MAX_BYTES = 18_000;

/** How long to wait after Feishu says "frequency limited" without saying how long (100 a minute per bot). */
export const FEISHU_RATE_LIMITED_MS = 60_000;

/** Codes Feishu documents for custom bots. */
export const FEISHU_ERR = {
  /** "sign match fail or timestamp is not within one hour from current time". */
  sign: 19021,
  /** "frequency limited psm[…]". */
  rateLimited: 11232,
  /** "Bad Request": a body Feishu could not take. */
  badRequest: 9499,
} as const;

const ERR_NOTE: Record<number, string> = {
  [FEISHU_ERR.sign]: 'signature check failed: check the secret and the clock',
  [FEISHU_ERR.badRequest]: 'bad request',
  19001: 'no such bot: check the webhook URL',
  19022: 'IP not in the whitelist',
  19024: 'keywords not in the message',
};

/** Card header colours (Feishu's template names). */
type Template = 'red' | 'orange' | 'yellow' | 'blue' | 'green';

const SEVERITY_TEMPLATE: Record<Severity, Template> = {
  critical: 'red',
  major: 'orange',
  minor: 'yellow',
  info: 'blue',
};

type Element =
  | { tag: 'markdown'; content: string }
  | {
      tag: 'action';
      actions: {
        tag: 'button';
        text: { tag: 'plain_text'; content: string };
        type: 'primary';
        url: string;
      }[];
    };

type Payload = {
  timestamp?: string;
  sign?: string;
  msg_type: 'interactive';
  card: {
    config: { wide_screen_mode: true };
    header: { template: Template; title: { tag: 'plain_text'; content: string } };
    elements: Element[];
  };
};

/** The signature Feishu checks: Base64 of HMAC-SHA256 keyed by "timestamp\nsecret" over nothing (timestamp in seconds). */
export function feishuSign(timestampS: number, secret: string): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update(Buffer.alloc(0)).digest('base64');
}

/** The header colour: the worst alarm still open (green when all recovered), the bot's state, blue for a report. */
export function headerTemplate(notice: Notice): Template {
  switch (notice.kind) {
    case 'alarms': {
      const worst = openSeverity(notice);
      return worst ? SEVERITY_TEMPLATE[worst] : 'green';
    }
    case 'report':
      return 'blue';
    case 'bot':
      return notice.state === 'logged-out' ? 'red' : 'green';
  }
}

function fail(robot: string, what: string): SitewatchError {
  return new SitewatchError('NOTIFY_SEND_FAILED', `Feishu bot "${robot}": ${what}`);
}

/** `s` with every occurrence of the bot's credentials masked (msg and socket errors are repeated). */
function masked(s: string, robot: FeishuRobot): string {
  let out = s;
  const token = new URL(robot.url).pathname.split('/').pop() ?? '';
  for (const secret of [robot.url, token, robot.secret ?? ''])
    if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

export function createFeishuChannel(o: FeishuChannelOptions): Channel {
  const robots = new Map(o.robots.map((r) => [r.name, r]));
  const now = o.now ?? Date.now;
  const http = createWebhookHttp({
    timeoutMs: o.timeoutMs,
    contentType: 'application/json; charset=utf-8',
  });

  async function build(robot: FeishuRobot, notice: Notice, ctx: SendContext): Promise<Payload> {
    const tail: string[] = [];
    let link: string | null = null;
    if (notice.kind !== 'bot') {
      link = safeUrl(await ctx.chartLink());
      if (!link && (await ctx.chartOption())) tail.push(CHART_IN_PORTAL);
    }
    const elements: Element[] = [{ tag: 'markdown', content: '' }];
    if (link) {
      elements.push({
        tag: 'action',
        actions: [
          {
            tag: 'button',
            text: { tag: 'plain_text', content: '查看图表' },
            type: 'primary',
            url: link,
          },
        ],
      });
    }
    const signed: Pick<Payload, 'timestamp' | 'sign'> = {};
    if (robot.secret) {
      const seconds = Math.floor(now() / 1000);
      signed.timestamp = String(seconds);
      signed.sign = feishuSign(seconds, robot.secret);
    }
    const payload: Payload = {
      ...signed,
      msg_type: 'interactive',
      card: {
        config: { wide_screen_mode: true },
        header: {
          template: headerTemplate(notice),
          title: { tag: 'plain_text', content: robotTitle(notice, o.tz) },
        },
        elements,
      },
    };
    const overhead = Buffer.byteLength(JSON.stringify(payload), 'utf8');
    elements[0] = {
      tag: 'markdown',
      content: formatRobotMarkdown(notice, {
        maxBytes: Math.min(FEISHU_MARKDOWN_MAX_BYTES, FEISHU_BODY_MAX_BYTES - overhead),
        groupLimit: o.groupLimit,
        tz: o.tz,
        br: '\n',
        heading: false,
        tail,
      }),
    };
    return payload;
  }

  async function post(robot: FeishuRobot, payload: Payload): Promise<void> {
    let res;
    try {
      res = await http.post(robot.url, payload, (s) => masked(s, robot));
    } catch (err) {
      throw fail(robot.name, `not sent: ${(err as Error).message}`);
    }
    const body = (typeof res.data === 'object' && res.data !== null ? res.data : {}) as {
      code?: unknown;
      msg?: unknown;
      StatusCode?: unknown;
      StatusMessage?: unknown;
    };
    // Older answers say StatusCode / StatusMessage instead of code / msg.
    const code =
      typeof body.code === 'number'
        ? body.code
        : typeof body.StatusCode === 'number'
          ? body.StatusCode
          : null;
    const msg = masked(oneLine(String(body.msg ?? body.StatusMessage ?? ''), 200), robot);
    if (res.status === 429 || code === FEISHU_ERR.rateLimited) {
      const reset = Number(res.headers['x-ogw-ratelimit-reset']);
      const waitMs = Number.isFinite(reset) && reset > 0 ? reset * 1000 : FEISHU_RATE_LIMITED_MS;
      throw new RateLimitedError(
        `Feishu bot "${robot.name}": rate limited (${code === null ? `HTTP ${res.status}` : `code ${code}`}${msg ? ` ${msg}` : ''}); retry in ${waitMs} ms`,
        waitMs,
      );
    }
    if (code === null) {
      throw fail(
        robot.name,
        res.status < 200 || res.status >= 300
          ? `not sent: HTTP ${res.status}`
          : `not sent: unexpected answer (HTTP ${res.status})`,
      );
    }
    if (code !== 0) {
      const note = ERR_NOTE[code];
      throw fail(
        robot.name,
        `refused: code ${code}${note ? ` (${note})` : ''}${msg ? ` ${msg}` : ''}`,
      );
    }
    if (res.status < 200 || res.status >= 300)
      throw fail(robot.name, `not sent: HTTP ${res.status}`);
  }

  return {
    name: 'feishu',
    // One notice is one card here (no image part), so partSent is never needed: a failed post
    // delivered nothing and the retry sends it whole. Only a post that reached Feishu and then
    // timed out can arrive twice, as on every webhook.
    async send(recipient: string, notice: Notice, ctx: SendContext): Promise<void> {
      const robot = robots.get(recipient);
      if (!robot) {
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          `no Feishu bot named "${oneLine(recipient, 100)}" in notify.feishu.robots`,
        );
      }
      const payload = await build(robot, notice, ctx);
      const size = Buffer.byteLength(JSON.stringify(payload), 'utf8');
      // Checked before sending; the markdown is fitted to the room left, so only a huge chart link gets here.
      if (size > FEISHU_BODY_MAX_BYTES) {
        throw fail(
          robot.name,
          `card is ${size} bytes, over Feishu's limit of ${FEISHU_BODY_MAX_BYTES} bytes (20 KB)`,
        );
      }
      await post(robot, payload);
      o.log.debug({ channel: 'feishu', robot: robot.name, kind: notice.kind }, 'feishu card sent');
    },
  };
}

/** Every bot whose sites include the notice's site ('*': all), and every bot for admins' notices; configured by listing bots. */
export const feishuChannel: ChannelDefinition<'feishu', typeof feishuSettingsSchema> = {
  name: 'feishu',
  settings: feishuSettings,
  limits: (config) => ({
    maxSize: FEISHU_MARKDOWN_MAX_BYTES,
    unit: 'utf8 bytes',
    groupLimit: config.alarms.groupLimit,
  }),
  recipients: (config) => robotRecipients(config.notify.feishu.robots),
  create: ({ config, log }) =>
    config.notify.feishu.robots.length > 0
      ? createFeishuChannel({
          robots: config.notify.feishu.robots,
          timeoutMs: config.notify.feishu.timeoutMs,
          groupLimit: config.alarms.groupLimit,
          tz: config.timezone,
          log,
        })
      : null,
};
