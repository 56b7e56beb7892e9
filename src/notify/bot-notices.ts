// Notices about the chat transports themselves, to admins and robots: WeChat logged out (with the login QR code) and back; WeCom's connection down longer than a limit, and back.
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
  /** WeChat's when absent. */
  transport?: string;
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
  /** WeCom: how long its connection may stay down before the admins are told (default 5 min). */
  wecomOfflineMs?: number;
  /** Run `fn` after `ms` (tests pass a clock of their own); default setTimeout. */
  after?: (fn: () => void, ms: number) => { cancel(): void };
}) {
  const after =
    deps.after ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      t.unref();
      return { cancel: () => clearTimeout(t) };
    });
  let outSince: number | null = null;
  let lastQrAt = 0;
  // WeCom: down since (null: up), the pending alert, and whether the admins were told.
  let wecomDownSince: number | null = null;
  let wecomTimer: { cancel(): void } | null = null;
  let wecomTold = false;
  const wecomOfflineMs = deps.wecomOfflineMs ?? 5 * 60_000;

  /** A reconnect within the limit says nothing; a longer outage is told once, and so is its end. */
  async function handleWecom(e: BotStateEvent): Promise<void> {
    if (e.state === 'online') {
      wecomTimer?.cancel();
      wecomTimer = null;
      const since = wecomDownSince;
      wecomDownSince = null;
      if (wecomTold && since !== null) {
        wecomTold = false;
        await queue(
          {
            kind: 'bot',
            transport: 'wecom',
            state: 'logged-in',
            at: e.at,
            since,
            qrUrl: null,
            qrPng: null,
          },
          `bot:wecom:online:${since}`,
        );
      }
      return;
    }
    if (wecomDownSince !== null) return;
    const since = e.at;
    wecomDownSince = since;
    wecomTimer = after(() => {
      wecomTimer = null;
      if (wecomDownSince !== since) return;
      wecomTold = true;
      void queue(
        {
          kind: 'bot',
          transport: 'wecom',
          state: 'logged-out',
          at: since + wecomOfflineMs,
          since,
          qrUrl: null,
          qrPng: null,
        },
        `bot:wecom:offline:${since}`,
      ).catch((err) =>
        deps.log.error({ err: describeError(err) }, 'could not queue the WeCom offline notice'),
      );
    }, wecomOfflineMs);
  }

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
    if (e.transport === 'wecom') return handleWecom(e);
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
    /** Forget a pending WeCom alert (the hub stops). */
    close(): void {
      wecomTimer?.cancel();
      wecomTimer = null;
    },
  };
}
