// Leases in the database so that several hubs on one database never run the same job or site at once.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { engineOf } from '../db/data-source';
import { affectedRows, insertIgnoreSql } from '../db/dialect';
import { execute } from '../db/bulk';

export interface Lease {
  readonly name: string;
  /** Extend the lease; false when it was lost (expired and taken by another hub). */
  renew(): Promise<boolean>;
  /** Give the lease back; `doneSlot` records the scheduled slot as completed. */
  release(doneSlot?: number): Promise<void>;
}

export interface Leases {
  readonly owner: string;
  /**
   * Take the named lease if it is free or expired (and, with `slot`, if that slot was not completed yet
   * by any hub). Returns null when another hub holds it or already did this slot.
   */
  acquire(name: string, opts?: { slot?: number; ttlMs?: number }): Promise<Lease | null>;
  /**
   * Run `fn` under the lease, renewing it every third of its time; null (fn not run) when not acquired.
   * The slot is marked done only when fn succeeds.
   */
  withLease<T>(
    name: string,
    fn: () => Promise<T>,
    opts?: { slot?: number; ttlMs?: number },
  ): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Whether some hub completed `slot` (or a later one) of the named lease. */
  slotDone(name: string, slot: number): Promise<boolean>;
  /** The hub holding the named lease now, or null when it is free. */
  holder(name: string): Promise<string | null>;
}

export function defaultHubId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`;
}

export function createLeases(o: {
  ds: DataSource;
  owner: string;
  ttlMs: number;
  now?: () => number;
}): Leases {
  const { ds, owner } = o;
  const now = o.now ?? Date.now;
  const engine = engineOf(ds);
  const em = ds.manager;

  async function acquire(
    name: string,
    opts: { slot?: number; ttlMs?: number } = {},
  ): Promise<Lease | null> {
    const ttl = opts.ttlMs ?? o.ttlMs;
    const t = now();
    // The row exists once per name; taking it is one conditional UPDATE, atomic on both engines.
    await execute(
      em,
      insertIgnoreSql(
        engine,
        'job_lease',
        ['name', 'owner', 'expires_at', 'done_slot', 'updated_at'],
        1,
      ),
      [name, '', 0, 0, t],
    );
    const params: unknown[] = [owner, t + ttl, t, name, t];
    if (opts.slot !== undefined) params.push(opts.slot);
    // Not re-entrant, even for this owner: two runs in one hub (or two hubs given one hubId) must exclude each other too.
    const res = await execute(
      em,
      `UPDATE job_lease SET owner = ?, expires_at = ?, updated_at = ? WHERE name = ? AND expires_at <= ?${opts.slot !== undefined ? ' AND done_slot < ?' : ''}`,
      params,
    );
    if (affectedRows(res) !== 1) return null;
    let held = true;
    // A renewal still in flight when the lease is released must not land after the release (another
    // pooled connection could commit it later and keep the lease for a whole ttl): release waits for it,
    // and a renewal only extends a lease that is still held (expires_at > 0).
    let renewing: Promise<boolean> | null = null;
    return {
      name,
      renew() {
        if (!held) return Promise.resolve(false);
        if (renewing) return renewing;
        renewing = execute(
          em,
          'UPDATE job_lease SET expires_at = ?, updated_at = ? WHERE name = ? AND owner = ? AND expires_at > 0',
          [now() + ttl, now(), name, owner],
        )
          .then((r) => {
            held = held && affectedRows(r) === 1;
            return held;
          })
          .finally(() => {
            renewing = null;
          });
        return renewing;
      },
      async release(doneSlot?: number) {
        if (!held) return;
        held = false;
        if (renewing) await renewing.catch(() => undefined);
        await execute(
          em,
          `UPDATE job_lease SET expires_at = 0, updated_at = ?${doneSlot ? ', done_slot = ?' : ''} WHERE name = ? AND owner = ?`,
          doneSlot ? [now(), doneSlot, name, owner] : [now(), name, owner],
        );
      },
    };
  }

  return {
    owner,
    acquire,
    async slotDone(name, slot) {
      const rows = (await ds.query('SELECT done_slot FROM job_lease WHERE name = ?', [name])) as {
        done_slot: number | string;
      }[];
      return rows.length > 0 && Number(rows[0].done_slot) >= slot;
    },
    async holder(name) {
      const rows = (await ds.query(
        'SELECT owner FROM job_lease WHERE name = ? AND expires_at > ?',
        [name, now()],
      )) as { owner: string }[];
      return rows[0]?.owner ?? null;
    },
    async withLease(name, fn, opts = {}) {
      const lease = await acquire(name, opts);
      if (!lease) return { ran: false };
      const ttl = opts.ttlMs ?? o.ttlMs;
      const timer = setInterval(
        () => void lease.renew().catch(() => undefined),
        Math.max(250, ttl / 3),
      );
      timer.unref();
      let ok = false;
      try {
        const value = await fn();
        ok = true;
        return { ran: true, value };
      } finally {
        clearInterval(timer);
        await lease.release(ok ? opts.slot : undefined);
      }
    },
  };
}
