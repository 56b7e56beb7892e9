// Notices about the WeChat bot itself: logged out (with the login QR code) and back online, to admins and robots.
import QRCode from 'qrcode';
import type { DataSource } from 'typeorm';
import { withTransaction } from '../db/tx';
import type { Logger } from '../log';
import { describeError } from '../errors';
import type { BotNotice } from '../outbox/notices';
import { enqueue } from '../outbox/store';
import { adminRecipients, type ConfiguredChannels } from '../queries/recipients';

/** A new QR code is mailed at most this often while the bot stays logged out (codes expire within minutes). */
export const QR_RESEND_MS = 30 * 60_000;

export interface BotStateEvent {
  state: 'scanning' | 'online' | 'offline';
  qrUrl: string | null;
  at: number;
}

export function createBotNotices(deps: {
  ds: DataSource;
  recipients: ConfiguredChannels;
  log: Logger;
  /** Called after a notice was queued, to send it at once. */
  flush?: () => void;
}) {
  let outSince: number | null = null;
  let lastQrAt = 0;

  async function queue(notice: BotNotice, event: string): Promise<void> {
    await withTransaction(deps.ds, async (em) => {
      // The WeChat channel is what is down: it picks no recipients for these (see wechat.ts).
      const to = await adminRecipients(em, deps.recipients, 'bot');
      await enqueue(
        em,
        to.map((r) => ({ ...r, event, siteId: null, notice })),
        notice.at,
      );
    });
    deps.flush?.();
  }

  async function handle(e: BotStateEvent): Promise<void> {
    if (e.state === 'online') {
      if (outSince !== null) {
        const since = outSince;
        outSince = null;
        lastQrAt = 0;
        await queue(
          { kind: 'bot', state: 'logged-in', at: e.at, qrUrl: null, qrPng: null },
          `bot:online:${since}`,
        );
      }
      return;
    }
    outSince ??= e.at;
    if (e.state !== 'scanning' || !e.qrUrl || e.at - lastQrAt < QR_RESEND_MS) return;
    lastQrAt = e.at;
    const qrPng = (await QRCode.toBuffer(e.qrUrl, { type: 'png', margin: 2, width: 320 })).toString(
      'base64',
    );
    await queue(
      { kind: 'bot', state: 'logged-out', at: e.at, qrUrl: e.qrUrl, qrPng },
      `bot:qr:${e.qrUrl}`,
    );
  }

  return {
    /** For the bot's onState hook: never throws (a failure is logged). */
    onState(e: BotStateEvent): void {
      void handle(e).catch((err) =>
        deps.log.error({ err: describeError(err) }, 'could not queue the bot state notice'),
      );
    },
    handle,
  };
}
