// Read model of the hubs' health for `sitewatch status` and the portal: every transport row each hub reported (stale when it stopped reporting), and the outbox per channel.
import type { DataSource } from 'typeorm';
import { num } from './sql';

/** How often a hub writes its transports' health (src/jobs/status-job.ts). */
export const STATUS_EVERY_MS = 15_000;
/** A row not rewritten for this many intervals belongs to a hub that died (or cannot reach the database). */
export const STALE_INTERVALS = 3;
const DAY_MS = 24 * 3600_000;

export interface TransportStatusRow {
  transport: string;
  hub: string;
  state: string;
  since: number | null;
  holder: string | null;
  lastMessageAt: number | null;
  queueLength: number;
  restarts: number;
  updatedAt: number;
  /** Not rewritten for STALE_INTERVALS intervals: its hub stopped reporting. */
  stale: boolean;
}

export interface ChannelStatus {
  name: string;
  /** Whether the configuration queues notices for it. */
  configured: boolean;
  pending: number;
  sending: number;
  /** Failed for good (every attempt used), however old: they wait for a person. */
  failed: number;
  /** Delivered in the 24 hours before `now`. */
  sent24h: number;
  /** When the oldest pending message was queued. */
  oldestPendingAt: number | null;
  /** The last error of the newest failed message, and when it failed. */
  lastError: string | null;
  lastErrorAt: number | null;
}

export interface HubStatus {
  now: number;
  everyMs: number;
  /** By transport, then hub. */
  transports: TransportStatusRow[];
  /** The channels given, in their order, then any other channel found in the outbox (by name). */
  channels: ChannelStatus[];
}

export async function hubStatus(
  ds: DataSource,
  o: {
    now: number;
    /** The known channels (channelDefinitions) and whether each is configured. */
    channels: readonly { name: string; configured: boolean }[];
    everyMs?: number;
  },
): Promise<HubStatus> {
  const everyMs = o.everyMs ?? STATUS_EVERY_MS;
  const staleBefore = o.now - STALE_INTERVALS * everyMs;
  const rows = (await ds.query(
    `SELECT hub, transport, state, since, holder, last_message_at, queue_length, restarts, updated_at
       FROM transport_status ORDER BY transport, hub`,
  )) as Record<string, unknown>[];
  const transports = rows.map((r): TransportStatusRow => {
    const updatedAt = Number(r.updated_at);
    return {
      transport: String(r.transport),
      hub: String(r.hub),
      state: String(r.state),
      since: num(r.since),
      holder: r.holder === null || r.holder === undefined ? null : String(r.holder),
      lastMessageAt: num(r.last_message_at),
      queueLength: Number(r.queue_length),
      restarts: Number(r.restarts),
      updatedAt,
      stale: updatedAt < staleBefore,
    };
  });

  const counts = (await ds.query(
    `SELECT channel,
            SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending,
            SUM(CASE WHEN status = 'sending' THEN 1 ELSE 0 END) AS sending,
            SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
            SUM(CASE WHEN status = 'sent' AND sent_at >= ? THEN 1 ELSE 0 END) AS sent24h,
            MIN(CASE WHEN status = 'pending' THEN created_at END) AS oldest_pending
       FROM outbox GROUP BY channel`,
    [o.now - DAY_MS],
  )) as Record<string, unknown>[];
  const byName = new Map(counts.map((c) => [String(c.channel), c]));
  const listed = new Set(o.channels.map((c) => c.name));
  const names = [
    ...o.channels,
    ...[...byName.keys()]
      .filter((n) => !listed.has(n))
      .sort()
      .map((name) => ({ name, configured: false })),
  ];
  const channels: ChannelStatus[] = [];
  for (const { name, configured } of names) {
    const c = byName.get(name);
    const failed = Number(c?.failed ?? 0);
    const last =
      failed > 0
        ? (
            (await ds.query(
              `SELECT last_error, updated_at FROM outbox WHERE channel = ? AND status = 'failed'
              ORDER BY updated_at DESC, id DESC LIMIT 1`,
              [name],
            )) as Record<string, unknown>[]
          )[0]
        : undefined;
    channels.push({
      name,
      configured,
      pending: Number(c?.pending ?? 0),
      sending: Number(c?.sending ?? 0),
      failed,
      sent24h: Number(c?.sent24h ?? 0),
      oldestPendingAt: num(c?.oldest_pending),
      lastError: typeof last?.last_error === 'string' ? last.last_error : null,
      lastErrorAt: last ? num(last.updated_at) : null,
    });
  }
  return { now: o.now, everyMs, transports, channels };
}

/** Why the hubs are not healthy: what `sitewatch status` exits 1 for and the portal shows. */
export type StatusProblem =
  /** A transport expected to run that no hub reports. */
  | { kind: 'unreported'; transport: string }
  /** Every hub reporting the transport is stale or in a state that cannot send. */
  | {
      kind: 'cannot-send';
      transport: string;
      hubs: { hub: string; state: string; stale: boolean }[];
    }
  /** Messages of a channel that failed for good. */
  | { kind: 'failed'; channel: string; failed: number };

/**
 * The problems of `status`: each expected transport needs one hub, not stale, in a state that can
 * send; no channel may have failed messages. `canSend` is the chat layer's rule (src/chat, above
 * this layer).
 */
export function statusProblems(
  status: HubStatus,
  o: { transports: readonly string[]; canSend: (state: string) => boolean },
): StatusProblem[] {
  const out: StatusProblem[] = [];
  for (const transport of o.transports) {
    const rows = status.transports.filter((r) => r.transport === transport);
    if (rows.length === 0) out.push({ kind: 'unreported', transport });
    else if (!rows.some((r) => !r.stale && o.canSend(r.state)))
      out.push({
        kind: 'cannot-send',
        transport,
        hubs: rows.map((r) => ({ hub: r.hub, state: r.state, stale: r.stale })),
      });
  }
  for (const c of status.channels)
    if (c.failed > 0) out.push({ kind: 'failed', channel: c.name, failed: c.failed });
  return out;
}

/** The transports the rows name, in order: what the portal expects (the transport registry is above its layer). */
export function reportedTransports(status: HubStatus): string[] {
  return [...new Set(status.transports.map((r) => r.transport))];
}
