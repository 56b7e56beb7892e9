// DingTalk (钉钉) custom group-robot channel: one signed markdown message per notice, charts as portal links, DingTalk's 20-a-minute limit kept per robot (its settings: config/channels/dingtalk.ts).
import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import {
  dingtalkSettings,
  type dingtalkRobotSchema,
  type dingtalkSettingsSchema,
} from '../../../config/channels/dingtalk';
import { RateLimitedError, SitewatchError } from '../../errors';
import type { Logger } from '../../log';
import type { Notice } from '../../outbox/notices';
import { oneLine, safeUrl } from '../format/common';
import {
  CHART_IN_PORTAL,
  formatRobotMarkdown,
  linkTarget,
  robotTitle,
} from '../format/robot-markdown';
import { alarmHead } from '../format/text';
import type { Channel, ChannelDefinition, SendContext } from '../types';
import { robotRecipients } from './robot-recipients';
import { createWebhookHttp } from './webhook-http';

/**
 * One robot of notify.dingtalk.robots. `name` is the outbox recipient; the webhook `url` holds the
 * access token and `secret` signs, so only the name is ever logged or repeated.
 */
export type DingtalkRobot = z.infer<typeof dingtalkRobotSchema>;

export interface DingtalkChannelOptions {
  robots: DingtalkRobot[];
  timeoutMs: number;
  log: Logger;
  groupLimit: number;
  /** Zone of bot notices' times. */
  tz?: string;
  /** The clock of the signature's timestamp and of the rate window (tests pass a fake one). */
  now?: () => number;
}

/** DingTalk refuses a message over 20000 bytes (errcode 460101 "message too long, exceed 20000 bytes"); counted on the whole JSON body. */
export const DINGTALK_BODY_MAX_BYTES = 20_000;

/** The markdown text's share of it; the rest is kept for the title, @-lists and JSON. */
export const DINGTALK_MARKDOWN_MAX_BYTES = 18_000;

/** DingTalk takes at most 20 messages a minute from one robot. */
export const DINGTALK_PER_MINUTE = 20;
export const DINGTALK_WINDOW_MS = 60_000;

/** A robot that went over the limit is throttled for 10 minutes (DingTalk's documentation). */
export const DINGTALK_THROTTLE_MS = 10 * 60_000;

/** errcodes DingTalk documents for custom robots. */
export const DINGTALK_ERR = {
  /** Security check failed: "sign not match", "invalid timestamp", "keywords not in content", "ip … not in whitelist". */
  security: 310000,
  /** "send too fast, exceed 20 times per minute". */
  tooFast: 130101,
  /** 发送速度太快而限流 (the newer code for the same). */
  throttled: 410100,
  /** "message too long, exceed 20000 bytes". */
  tooLong: 460101,
  /** 系统繁忙. */
  busy: -1,
} as const;

const ERR_NOTE: Record<number, string> = {
  [DINGTALK_ERR.security]:
    'security check failed: check the secret (加签), the clock, keywords and IP whitelist',
  [DINGTALK_ERR.tooLong]: 'message too long',
  [DINGTALK_ERR.busy]: 'DingTalk busy',
  300001: 'no such robot: check the webhook URL',
  300005: 'no such robot: check the webhook URL',
  400101: 'no such robot: check the webhook URL',
  400102: 'robot disabled',
};

type Payload = {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
  at: { atMobiles: string[]; atUserIds: string[]; isAtAll: boolean };
};

/** The signature DingTalk checks (加签): Base64 of HMAC-SHA256 keyed by the secret over "timestamp\nsecret", URL-encoded. */
export function dingtalkSign(timestampMs: number, secret: string): string {
  const mac = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8');
  return encodeURIComponent(mac.digest('base64'));
}

function fail(robot: string, what: string): SitewatchError {
  return new SitewatchError('NOTIFY_SEND_FAILED', `DingTalk robot "${robot}": ${what}`);
}

/**
 * Sends of the last minute, per webhook: DingTalk counts per robot, so two names for one webhook
 * share. Kept in memory, so each hub keeps its own; errcode 130101 catches what they send together.
 */
class RateWindow {
  private readonly sent = new Map<string, number[]>();
  private readonly throttled = new Map<string, number>();

  /** How long to wait before `key` may send at `now`; 0: now. */
  waitMs(key: string, now: number): number {
    const until = this.throttled.get(key) ?? 0;
    if (until > now) return until - now;
    const recent = (this.sent.get(key) ?? []).filter((t) => t > now - DINGTALK_WINDOW_MS);
    this.sent.set(key, recent);
    return recent.length < DINGTALK_PER_MINUTE ? 0 : recent[0] + DINGTALK_WINDOW_MS - now;
  }

  record(key: string, now: number): void {
    const recent = this.sent.get(key) ?? [];
    recent.push(now);
    this.sent.set(key, recent);
  }

  throttle(key: string, until: number): void {
    this.throttled.set(key, until);
  }
}

/** `s` with every occurrence of the robot's credentials masked (errmsg and socket errors are repeated). */
function masked(s: string, robot: DingtalkRobot): string {
  let out = s;
  const token = new URL(robot.url).searchParams.get('access_token') ?? '';
  for (const secret of [robot.url, token, robot.secret ?? ''])
    if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
}

/** Who a robot @-mentions, and the "@…" line DingTalk needs in the text to highlight them. */
function mentions(robot: DingtalkRobot, notice: Notice) {
  // A daily report is not a call to act; alarms and a bot gone offline are.
  const calls =
    notice.kind === 'alarms' || (notice.kind === 'bot' && notice.state === 'logged-out');
  const atMobiles = calls ? (robot.atMobiles ?? []) : [];
  const atUserIds = calls ? (robot.atUserIds ?? []) : [];
  const isAtAll = calls && robot.atAll === true;
  const line = [...atMobiles, ...atUserIds].map((m) => `@${m}`).join(' ');
  return { at: { atMobiles, atUserIds, isAtAll }, line };
}

export function createDingtalkChannel(o: DingtalkChannelOptions): Channel {
  const robots = new Map(o.robots.map((r) => [r.name, r]));
  const now = o.now ?? Date.now;
  const window = new RateWindow();
  const http = createWebhookHttp({
    timeoutMs: o.timeoutMs,
    contentType: 'application/json;charset=utf-8',
  });

  async function build(robot: DingtalkRobot, notice: Notice, ctx: SendContext): Promise<Payload> {
    const tail: string[] = [];
    if (notice.kind !== 'bot') {
      const link = safeUrl(await ctx.chartLink());
      if (link) tail.push(`![图表](${linkTarget(link)})`);
      else if (await ctx.chartOption()) tail.push(CHART_IN_PORTAL);
    }
    const { at, line } = mentions(robot, notice);
    if (line) tail.push(line);
    // The title is what the chat list and the phone's notification show: an alarm's counts belong there.
    const title =
      notice.kind === 'alarms' ? oneLine(alarmHead(notice), 100) : robotTitle(notice, o.tz);
    const shell: Payload = { msgtype: 'markdown', markdown: { title, text: '' }, at };
    const overhead = Buffer.byteLength(JSON.stringify(shell), 'utf8');
    const text = formatRobotMarkdown(notice, {
      maxBytes: Math.min(DINGTALK_MARKDOWN_MAX_BYTES, DINGTALK_BODY_MAX_BYTES - overhead),
      groupLimit: o.groupLimit,
      tz: o.tz,
      br: '  \n',
      heading: true,
      tail,
    });
    return { ...shell, markdown: { title, text } };
  }

  async function post(robot: DingtalkRobot, payload: Payload, at: number): Promise<void> {
    const url = robot.secret
      ? `${robot.url}${robot.url.includes('?') ? '&' : '?'}timestamp=${at}&sign=${dingtalkSign(at, robot.secret)}`
      : robot.url;
    let res;
    try {
      res = await http.post(url, payload, (s) => masked(s, robot));
    } catch (err) {
      throw fail(robot.name, `not sent: ${(err as Error).message}`);
    }
    if (res.status < 200 || res.status >= 300)
      throw fail(robot.name, `not sent: HTTP ${res.status}`);
    const body = res.data as { errcode?: unknown; errmsg?: unknown } | null;
    if (typeof body !== 'object' || body === null || typeof body.errcode !== 'number')
      throw fail(robot.name, `not sent: unexpected answer (HTTP ${res.status})`);
    if (body.errcode === 0) return;
    const msg = masked(oneLine(String(body.errmsg ?? ''), 200), robot);
    if (body.errcode === DINGTALK_ERR.tooFast || body.errcode === DINGTALK_ERR.throttled) {
      window.throttle(robot.url, at + DINGTALK_THROTTLE_MS);
      throw new RateLimitedError(
        `DingTalk robot "${robot.name}": rate limited (errcode ${body.errcode} ${msg}); DingTalk throttles it for 10 minutes`,
        DINGTALK_THROTTLE_MS,
      );
    }
    const note = ERR_NOTE[body.errcode];
    throw fail(
      robot.name,
      `refused: errcode ${body.errcode}${note ? ` (${note})` : ''}${msg ? ` ${msg}` : ''}`,
    );
  }

  return {
    name: 'dingtalk',
    // One notice is one message here (no image part), so partSent is never needed: a failed post
    // delivered nothing and the retry sends it whole. Only a post that reached DingTalk and then
    // timed out can arrive twice, as on every webhook.
    async send(recipient: string, notice: Notice, ctx: SendContext): Promise<void> {
      const robot = robots.get(recipient);
      if (!robot) {
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          `no DingTalk robot named "${oneLine(recipient, 100)}" in notify.dingtalk.robots`,
        );
      }
      const wait = window.waitMs(robot.url, now());
      if (wait > 0) {
        throw new RateLimitedError(
          `DingTalk robot "${robot.name}": ${DINGTALK_PER_MINUTE} messages a minute reached; next in ${wait} ms`,
          wait,
        );
      }
      const payload = await build(robot, notice, ctx);
      const size = Buffer.byteLength(JSON.stringify(payload), 'utf8');
      // Checked before sending: only @-lists too long for any message could get here.
      if (size > DINGTALK_BODY_MAX_BYTES) {
        throw fail(
          robot.name,
          `message is ${size} bytes, over DingTalk's limit of ${DINGTALK_BODY_MAX_BYTES} bytes`,
        );
      }
      const at = now();
      window.record(robot.url, at);
      await post(robot, payload, at);
      o.log.debug(
        { channel: 'dingtalk', robot: robot.name, kind: notice.kind },
        'dingtalk message sent',
      );
    },
  };
}

/** Every robot whose sites include the notice's site ('*': all), and every robot for admins' notices; configured by listing robots. */
export const dingtalkChannel: ChannelDefinition<'dingtalk', typeof dingtalkSettingsSchema> = {
  name: 'dingtalk',
  settings: dingtalkSettings,
  limits: (config) => ({
    maxSize: DINGTALK_MARKDOWN_MAX_BYTES,
    unit: 'utf8 bytes',
    groupLimit: config.alarms.groupLimit,
  }),
  recipients: (config) => robotRecipients(config.notify.dingtalk.robots),
  create: ({ config, log }) =>
    config.notify.dingtalk.robots.length > 0
      ? createDingtalkChannel({
          robots: config.notify.dingtalk.robots,
          timeoutMs: config.notify.dingtalk.timeoutMs,
          groupLimit: config.alarms.groupLimit,
          tz: config.timezone,
          log,
        })
      : null,
};
