// The outbox: notifications queued inside the transaction of their event, claimed by one hub, retried with backoff.
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { OutboxStatus } from '../../entities';
import { engineOf } from '../db/data-source';
import { affectedRows } from '../db/dialect';
import { execute, insertIgnore } from '../db/bulk';
import type { Notice } from './notices';

export interface OutboxEntry {
  channel: string;
  recipient: string;
  /** What makes this message unique, e.g. 'alarms:12:raised,13:raised'; hashed with channel and recipient. */
  event: string;
  siteId: number | null;
  notice: Notice;
}

export interface OutboxRow {
  id: number;
  channel: string;
  recipient: string;
  kind: string;
  siteId: number | null;
  status: OutboxStatus;
  attempts: number;
  /** Parts of the message already delivered (see SendContext.partsSent). */
  partsSent: number;
  nextTryAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
  payload: string;
}

/** sha256 over (event, channel, recipient): one message per event and recipient, however often it is queued. */
export function dedupeKey(event: string, channel: string, recipient: string): string {
  return createHash('sha256').update(`${event}\u0000${channel}\u0000${recipient}`).digest('hex');
}

const COLUMNS = [
  'channel',
  'recipient',
  'dedupe_key',
  'kind',
  'site_id',
  'payload',
  'status',
  'attempts',
  'next_try_at',
  'created_at',
  'updated_at',
];

/** Queue messages in the caller's transaction; an entry already queued (same dedupe key) is skipped. Returns how many were new. */
export async function enqueue(
  em: EntityManager,
  entries: OutboxEntry[],
  now: number,
): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => [
    e.channel,
    e.recipient,
    dedupeKey(e.event, e.channel, e.recipient),
    e.notice.kind,
    e.siteId,
    JSON.stringify(e.notice),
    'pending',
    0,
    now,
    now,
    now,
  ]);
  return insertIgnore(em, engineOf(em.connection), 'outbox', COLUMNS, rows);
}

const SELECT = `SELECT id, channel, recipient, kind, site_id, status, attempts, parts_sent, next_try_at, last_error, created_at, sent_at, payload FROM outbox`;

function toRow(r: Record<string, unknown>): OutboxRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    id: Number(r.id),
    channel: String(r.channel),
    recipient: String(r.recipient),
    kind: String(r.kind),
    siteId: num(r.site_id),
    status: r.status as OutboxStatus,
    attempts: Number(r.attempts),
    partsSent: Number(r.parts_sent),
    nextTryAt: Number(r.next_try_at),
    lastError: (r.last_error as string | null) ?? null,
    createdAt: Number(r.created_at),
    sentAt: num(r.sent_at),
    payload: String(r.payload),
  };
}

/**
 * Take up to `limit` due messages for `owner`: pending ones whose time has come, and ones another hub
 * claimed but did not finish in time (it died). A row is claimed by one conditional UPDATE, so two hubs
 * never take the same row.
 */
export async function claimDue(
  ds: DataSource,
  owner: string,
  now: number,
  claimMs: number,
  limit: number,
  /** Only messages of these channels (a process claims only what it can send); default: all. */
  channels?: readonly string[],
): Promise<OutboxRow[]> {
  if (channels && channels.length === 0) return [];
  const onlyChannels = channels ? ` AND o.channel IN (${channels.map(() => '?').join(',')})` : '';
  // A message waits while an earlier one of the same site to the same recipient is unsent, so a recovery
  // never overtakes its raise; another site's messages (or Sitewatch's own, site NULL) do not wait for it.
  const sameSite = engineOf(ds) === 'mysql' ? 'e.site_id <=> o.site_id' : 'e.site_id IS o.site_id';
  const candidates = (await ds.query(
    `SELECT o.id FROM outbox o WHERE ((o.status = 'pending' AND o.next_try_at <= ?) OR (o.status = 'sending' AND o.claimed_until < ?))
      AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.status IN ('pending', 'sending') AND e.channel = o.channel AND e.recipient = o.recipient AND ${sameSite} AND e.id < o.id)${onlyChannels}
      ORDER BY o.next_try_at, o.id LIMIT ${Math.max(1, Math.floor(limit))}`,
    [now, now, ...(channels ?? [])],
  )) as { id: number | string }[];
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => Number(c.id));
  const marks = ids.map(() => '?').join(',');
  const em = ds.manager;
  await execute(
    em,
    `UPDATE outbox SET status = 'sending', claimed_by = ?, claimed_until = ?, updated_at = ? WHERE id IN (${marks}) AND ((status = 'pending' AND next_try_at <= ?) OR (status = 'sending' AND claimed_until < ?))`,
    [owner, now + claimMs, now, ...ids, now, now],
  );
  const rows = (await ds.query(
    `${SELECT} WHERE id IN (${marks}) AND status = 'sending' AND claimed_by = ? AND claimed_until = ? ORDER BY id`,
    [...ids, owner, now + claimMs],
  )) as Record<string, unknown>[];
  return rows.map(toRow);
}

/**
 * Record that the first `count` parts of a message were delivered; only the claiming hub may. False when
 * the claim was lost (another hub took the message over), and the sender must stop.
 */
export async function markPartsSent(
  ds: DataSource,
  id: number,
  owner: string,
  count: number,
  now: number,
): Promise<boolean> {
  const res = await execute(
    ds.manager,
    `UPDATE outbox SET parts_sent = ?, updated_at = ? WHERE id = ? AND claimed_by = ? AND status = 'sending'`,
    [count, now, id, owner],
  );
  return affectedRows(res) === 1;
}

/** Record a delivery; only the claiming hub may (a hub whose claim expired and was retaken may not). */
export async function markSent(
  ds: DataSource,
  id: number,
  owner: string,
  now: number,
): Promise<boolean> {
  const res = await execute(
    ds.manager,
    `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE id = ? AND claimed_by = ? AND status = 'sending'`,
    [now, now, id, owner],
  );
  return affectedRows(res) === 1;
}

/** Record a failed attempt: retried at `retryAt`, or failed for good when `retryAt` is null. */
export async function markAttemptFailed(
  ds: DataSource,
  id: number,
  owner: string,
  error: string,
  retryAt: number | null,
  now: number,
  /** False for a peer's "wait" (rate limited): the message was fine, so no attempt is used up. */
  counts = true,
): Promise<boolean> {
  const res = await execute(
    ds.manager,
    `UPDATE outbox SET status = ?, attempts = attempts + ${counts ? 1 : 0}, next_try_at = ?, last_error = ?, claimed_by = NULL, claimed_until = NULL, updated_at = ? WHERE id = ? AND claimed_by = ? AND status = 'sending'`,
    [retryAt === null ? 'failed' : 'pending', retryAt ?? now, error.slice(0, 2000), now, id, owner],
  );
  return affectedRows(res) === 1;
}

/** Put a failed (or pending) message back in the queue now, with its attempts reset. */
export async function retryMessage(ds: DataSource, id: number, now: number): Promise<boolean> {
  const res = await execute(
    ds.manager,
    `UPDATE outbox SET status = 'pending', attempts = 0, next_try_at = ?, updated_at = ? WHERE id = ? AND status IN ('failed', 'pending')`,
    [now, now, id],
  );
  return affectedRows(res) === 1;
}

export interface OutboxFilter {
  status?: OutboxStatus;
  channel?: string;
  siteId?: number;
  limit?: number;
}

/** Newest first. */
export async function listOutbox(ds: DataSource, f: OutboxFilter = {}): Promise<OutboxRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (cond: string, v: unknown) => {
    where.push(cond);
    params.push(v);
  };
  if (f.status) add('status = ?', f.status);
  if (f.channel) add('channel = ?', f.channel);
  if (f.siteId !== undefined) add('site_id = ?', f.siteId);
  const limit = Math.min(Math.max(1, Math.floor(f.limit ?? 50)), 10_000);
  const rows = (await ds.query(
    `${SELECT}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ${limit}`,
    params,
  )) as Record<string, unknown>[];
  return rows.map(toRow);
}

export async function getOutboxMessage(ds: DataSource, id: number): Promise<OutboxRow | null> {
  const rows = (await ds.query(`${SELECT} WHERE id = ?`, [id])) as Record<string, unknown>[];
  return rows.length ? toRow(rows[0]) : null;
}

/** Counts per status (absent statuses are 0). */
export async function outboxCounts(ds: DataSource): Promise<Record<OutboxStatus, number>> {
  const out: Record<OutboxStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
  const rows = (await ds.query('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status')) as {
    status: OutboxStatus;
    n: number | string;
  }[];
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}
