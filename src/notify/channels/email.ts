// Email channel: one notice to one address over SMTP (nodemailer), Chinese subject, text + HTML, inline chart / QR code; its recipients and limits (its settings: config/channels/email.ts).
import { randomUUID } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { SitewatchError } from '../../errors';
import type { Logger } from '../../log';
import type { Notice } from '../../outbox/notices';
import { adminEmails, managerEmails } from '../../queries/recipients';
import { EMAIL_GROUP_FACTOR, formatEmail } from '../format/html';
import { oneLine } from '../format/common';
import { emailSettings, type emailSettingsSchema } from '../../../config/channels/email';
import type { Channel, ChannelDefinition, SendContext } from '../types';

export interface EmailChannelOptions {
  /** smtp://user:pass@host:25 or smtps://…; may hold credentials, so it is never logged or repeated. */
  smtpUrl: string;
  from: string;
  /** Connecting and the greeting; an open socket may stall twice this long (see socketTimeoutOf). */
  timeoutMs: number;
  /** SMTP connections kept open at most (the dispatcher's concurrency). */
  maxConnections?: number;
  log: Logger;
  /** The chat group limit (an email lists five times as many alarms). */
  groupLimit: number;
  /** Outbox recipient → email address (default: the recipient is the address); null when there is none. */
  resolveAddress?: (recipient: string) => string | null | Promise<string | null>;
  /** Zone of bot notices' times. */
  tz?: string;
}

// Deliberately plain: one @, no spaces, brackets, quotes or separators, a dotted domain.
const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[^\s@<>()[\]\\,;:".]+(\.[^\s@<>()[\]\\,;:".]+)+$/;

export function isEmailAddress(s: string): boolean {
  return s.length <= 254 && EMAIL.test(s);
}

interface SmtpErrorLike {
  code?: string;
  responseCode?: number;
  response?: string;
  timeoutType?: string;
  message?: string;
}

/** The credentials of an SMTP URL, to be blanked out of any message. */
function secretsOf(smtpUrl: string): string[] {
  try {
    const u = new URL(smtpUrl);
    return [u.password, decodeURIComponent(u.password), smtpUrl].filter((s) => s.length >= 3);
  } catch {
    return [smtpUrl];
  }
}

function scrub(s: string, secrets: string[]): string {
  let out = s;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/**
 * The idle limit on an open SMTP socket. Longer than the connection and greeting limits, so that a
 * server that never greets is always reported as a greeting timeout (with pooled connections both
 * timers start together and would otherwise race).
 */
export function socketTimeoutOf(timeoutMs: number): number {
  return timeoutMs * 2;
}

/** A plain account of an SMTP failure: the server's reply with its code, a timeout, or the connection error. */
function describeSmtpError(err: unknown, timeoutMs: number): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpErrorLike;
  if (e.responseCode) {
    const reply = oneLine(e.response ?? e.message ?? '', 300);
    return reply.startsWith(String(e.responseCode))
      ? `SMTP ${reply}`
      : `SMTP ${e.responseCode} ${reply}`;
  }
  if (e.code === 'ETIMEDOUT') {
    const type = e.timeoutType ? e.timeoutType.toLowerCase().replace(/_/g, ' ') : '';
    const ms = type.includes('socket') ? socketTimeoutOf(timeoutMs) : timeoutMs;
    return `timed out after ${ms} ms${type ? ` (${type})` : ''}`;
  }
  const message = oneLine(e.message ?? String(err), 300);
  return e.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
}

interface Attachment {
  filename: string;
  content: Buffer;
  contentType: string;
  cid: string;
}

export function createEmailChannel(o: EmailChannelOptions): Channel {
  const transport = createTransport({
    url: o.smtpUrl,
    // Connections are reused between messages (a new SMTP session per mail costs a handshake and a greeting).
    pool: true,
    maxConnections: o.maxConnections ?? 4,
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: socketTimeoutOf(o.timeoutMs),
  });
  const secrets = secretsOf(o.smtpUrl);
  const resolve = o.resolveAddress ?? ((r: string) => r);

  return {
    name: 'email',
    async send(recipient: string, notice: Notice, ctx: SendContext): Promise<void> {
      const address = await resolve(recipient);
      if (address === null || !isEmailAddress(address)) {
        const what = address === null ? 'has no email address' : 'is not an email address';
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          `email recipient "${oneLine(recipient, 100)}" ${what}`,
        );
      }
      const attachments: Attachment[] = [];
      const chart = await ctx.chartPng();
      const chartCid = chart ? `chart-${randomUUID()}@sitewatch` : null;
      if (chart && chartCid)
        attachments.push({
          filename: 'chart.png',
          content: chart,
          contentType: 'image/png',
          cid: chartCid,
        });
      const qr = notice.kind === 'bot' && notice.qrPng ? Buffer.from(notice.qrPng, 'base64') : null;
      const qrCid = qr ? `qr-${randomUUID()}@sitewatch` : null;
      if (qr && qrCid)
        attachments.push({
          filename: 'login-qr.png',
          content: qr,
          contentType: 'image/png',
          cid: qrCid,
        });

      const mail = formatEmail(notice, { groupLimit: o.groupLimit, chartCid, qrCid, tz: o.tz });
      try {
        await transport.sendMail({
          from: o.from,
          to: address,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          attachments,
        });
      } catch (err) {
        const reason = scrub(describeSmtpError(err, o.timeoutMs), secrets);
        // No cause attached: nothing from the connection settings (the URL holds credentials) may reach a log.
        throw new SitewatchError('NOTIFY_SEND_FAILED', `email to ${address} failed: ${reason}`);
      }
      o.log.debug({ channel: 'email', to: address, kind: notice.kind }, 'email sent');
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}

/** Managers who chose alarm (or report) emails, and the admins, by address; configured by an SMTP URL. */
export const emailChannel: ChannelDefinition<'email', typeof emailSettingsSchema> = {
  name: 'email',
  settings: emailSettings,
  limits: (config) => ({
    maxSize: null,
    unit: 'utf16 units',
    groupLimit: config.alarms.groupLimit * EMAIL_GROUP_FACTOR,
  }),
  recipients: (config) =>
    config.notify.email.smtpUrl === null
      ? null
      : {
          site: async (em, sites, purpose) =>
            (
              await managerEmails(
                em,
                sites.map((s) => s.id),
                purpose,
              )
            ).map((r) => ({
              siteId: r.siteId,
              recipient: r.email,
            })),
          admins: (em) => adminEmails(em),
        },
  create: ({ config, log }) => {
    const s = config.notify.email;
    return s.smtpUrl
      ? createEmailChannel({
          smtpUrl: s.smtpUrl,
          from: s.from,
          timeoutMs: s.timeoutMs,
          maxConnections: config.notify.concurrency,
          // The chat limit: formatEmail lists EMAIL_GROUP_FACTOR times as many (limits().groupLimit).
          groupLimit: config.alarms.groupLimit,
          tz: config.timezone,
          log,
        })
      : null;
  },
};
