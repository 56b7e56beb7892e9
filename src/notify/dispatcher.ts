// Sends what the outbox holds: claims due messages, delivers them through their channel, retries with backoff.
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { DataSource } from 'typeorm';
import { describeError } from '../errors';
import type { Logger } from '../log';
import type { ChartLinks } from '../outbox/chart-links';
import type { Notice } from '../outbox/notices';
import {
  claimDue,
  markAttemptFailed,
  markPartsSent,
  markSent,
  type OutboxRow,
} from '../outbox/store';
import type { Registry } from '../registry';
import { RateLimitedError, SitewatchError } from '../errors';
import type { ChartOption } from '../types/chart-option';
import type { Channel, SendContext } from './types';

export interface DispatcherDeps {
  ds: DataSource;
  channels: Registry<Channel>;
  log: Logger;
  /** This hub's name in claims. */
  owner: string;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  claimMs: number;
  batch: number;
  concurrency: number;
  /** The chart a notice carries (null: none). */
  chartFor(notice: Notice): Promise<ChartOption | null>;
  renderChart: ((option: ChartOption) => Promise<Buffer>) | null;
  /** Where charts get signed links for channels that take links (null or absent: no web.publicUrl, no links). */
  chartLinks?: ChartLinks | null;
  now?: () => number;
  /** Random in [0, 1) for jitter (tests pass a fixed one). */
  random?: () => number;
}

export interface SweepResult {
  sent: number;
  retrying: number;
  failed: number;
}

/** Delay before attempt `attempts + 1`: base · 2^(attempts−1), capped, ±20 % jitter so hubs do not retry in step. */
export function backoffMs(
  attempts: number,
  base: number,
  max: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export function createDispatcher(deps: DispatcherDeps) {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const { log } = deps;
  let inFlight: Promise<SweepResult> | null = null;
  let next: Promise<SweepResult> | null = null;

  type Charts = Pick<SendContext, 'chartOption' | 'chartPng' | 'chartLink'>;

  /** One chart per distinct notice in a sweep: a notice fanned out to ten recipients renders once. */
  function chartsFor(cache: Map<string, Charts>, payload: string, notice: Notice): Charts {
    const key = createHash('sha1').update(payload).digest('hex');
    let charts = cache.get(key);
    if (charts) return charts;
    let option: Promise<ChartOption | null> | null = null;
    let png: Promise<Buffer | null> | null = null;
    let link: Promise<string | null> | null = null;
    const chartOption = () => (option ??= deps.chartFor(notice));
    const chartPng = () =>
      (png ??= chartOption().then((o) => (o && deps.renderChart ? deps.renderChart(o) : null)));
    const chartLinks = deps.chartLinks ?? null;
    charts = {
      chartOption,
      chartPng,
      // The same PNG, stored once under the payload's sha1: every channel and hub links to one row.
      chartLink: () =>
        (link ??= chartLinks
          ? chartPng().then((p) => (p ? chartLinks.link(key, p) : null))
          : Promise.resolve(null)),
    };
    cache.set(key, charts);
    return charts;
  }

  function contextFor(row: OutboxRow, charts: Charts): SendContext {
    return {
      ...charts,
      partsSent: row.partsSent,
      async partSent(count) {
        if (!(await markPartsSent(deps.ds, row.id, deps.owner, count, now()))) {
          throw new SitewatchError(
            'NOTIFY_CLAIM_LOST',
            `notification ${row.id}: its claim expired and another hub took it over; that hub sends the rest`,
          );
        }
      },
    };
  }

  async function deliver(row: OutboxRow, cache: Map<string, Charts>): Promise<keyof SweepResult> {
    const channel = deps.channels.get(row.channel);
    let error: string;
    let waitMs: number | null = null;
    try {
      if (!channel) throw new Error(`channel "${row.channel}" is not configured on this hub`);
      const notice = JSON.parse(row.payload) as Notice;
      await channel.send(
        row.recipient,
        notice,
        contextFor(row, chartsFor(cache, row.payload, notice)),
      );
      if (!(await markSent(deps.ds, row.id, deps.owner, now())))
        log.warn({ id: row.id }, 'notification sent, but its claim had expired and was taken over');
      log.info(
        { id: row.id, channel: row.channel, recipient: row.recipient, kind: row.kind },
        'notification sent',
      );
      return 'sent';
    } catch (err) {
      error = describeError(err);
      if (err instanceof RateLimitedError) waitMs = err.retryAfterMs;
    }
    if (waitMs !== null) {
      // The peer said "later": nothing was wrong with the message, so no attempt is used up.
      const retryAt = now() + waitMs;
      await markAttemptFailed(deps.ds, row.id, deps.owner, error, retryAt, now(), false);
      log.warn(
        { id: row.id, channel: row.channel, recipient: row.recipient, retryAt, err: error },
        'notification rate limited; will send later',
      );
      return 'retrying';
    }
    const attempts = row.attempts + 1;
    const giveUp = attempts >= deps.maxAttempts;
    const retryAt = giveUp
      ? null
      : now() + backoffMs(attempts, deps.retryBaseMs, deps.retryMaxMs, random);
    await markAttemptFailed(deps.ds, row.id, deps.owner, error, retryAt, now());
    const fields = {
      id: row.id,
      channel: row.channel,
      recipient: row.recipient,
      attempts,
      err: error,
    };
    if (giveUp) log.error(fields, 'notification failed for good; see `sitewatch outbox`');
    else log.warn({ ...fields, retryAt }, 'notification failed; will retry');
    return giveUp ? 'failed' : 'retrying';
  }

  async function sweep(): Promise<SweepResult> {
    const result: SweepResult = { sent: 0, retrying: 0, failed: 0 };
    const limit = pLimit(deps.concurrency);
    const cache = new Map<string, Charts>();
    // A channel this process lacks (WeChat without the bot: the CLI) leaves its messages to a hub that has it.
    // A channel not ready here (a WeCom connection another hub holds) leaves its messages to that hub.
    const names = deps.channels
      .list()
      .filter((c) => c.ready?.() ?? true)
      .map((c) => c.name);
    if (names.length === 0) return result;
    // Claim batch after batch until nothing is due; a message that fails now is due later, not again now.
    for (;;) {
      const rows = await claimDue(deps.ds, deps.owner, now(), deps.claimMs, deps.batch, names);
      if (rows.length === 0) break;
      // claimDue hands out one message per recipient at a time (the oldest unsent), so a recipient's
      // messages keep their order while different recipients are served in parallel.
      const outcomes = await Promise.all(rows.map((r) => limit(() => deliver(r, cache))));
      for (const o of outcomes) result[o]++;
    }
    return result;
  }

  /**
   * Send everything due now. Called while a sweep runs, it resolves with one more sweep after that
   * one (shared by every such caller): the running sweep may have looked before the caller's
   * messages were queued or became due.
   */
  function runOnce(): Promise<SweepResult> {
    if (!inFlight) {
      inFlight = sweep().finally(() => {
        inFlight = null;
      });
      return inFlight;
    }
    next ??= inFlight
      .catch(() => undefined)
      .then(() => {
        next = null;
        return runOnce();
      });
    return next;
  }

  return { runOnce };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
