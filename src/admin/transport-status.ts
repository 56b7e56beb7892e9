// The one write path of transport_status: a hub records each chat transport's health, and removes its rows when it stops cleanly.
import type { DataSource } from 'typeorm';
import { execute, upsert } from '../db/bulk';
import { engineOf } from '../db/data-source';
import { affectedRows } from '../db/dialect';

/** What is kept of a transport's health (TransportHealth of src/chat fits it; that layer is above this one). */
export interface TransportHealthRecord {
  state: string;
  since?: number | null;
  holder?: string | null;
  lastMessageAt: number | null;
  queueLength: number;
  restarts: number;
}

const COLUMNS = [
  'hub',
  'transport',
  'state',
  'since',
  'holder',
  'last_message_at',
  'queue_length',
  'restarts',
  'updated_at',
];
const KEY = ['hub', 'transport'];
const UPDATE = COLUMNS.filter((c) => !KEY.includes(c));

/** Write (insert or overwrite) the health of `transport` on `hub`, as of `now`. */
export async function recordTransportHealth(
  ds: DataSource,
  hub: string,
  transport: string,
  health: TransportHealthRecord,
  now: number,
): Promise<void> {
  await upsert(ds.manager, engineOf(ds), 'transport_status', COLUMNS, KEY, UPDATE, [
    [
      hub,
      transport,
      health.state,
      health.since ?? null,
      health.holder ?? null,
      health.lastMessageAt,
      health.queueLength,
      health.restarts,
      now,
    ],
  ]);
}

/**
 * A hub stopped cleanly: its rows are deleted rather than marked offline. Hub ids default to
 * host-pid-random, new at every start, so offline rows would pile up for ever; after this the rows
 * are those of running hubs and of hubs that died without stopping, which the status calls stale.
 * Returns how many rows were removed.
 */
export async function forgetHub(ds: DataSource, hub: string): Promise<number> {
  return affectedRows(
    await execute(ds.manager, 'DELETE FROM transport_status WHERE hub = ?', [hub]),
  );
}

/** Rows not written since `before` (hubs that died long ago), deleted; returns how many. */
export async function forgetSilentHubs(ds: DataSource, before: number): Promise<number> {
  return affectedRows(
    await execute(ds.manager, 'DELETE FROM transport_status WHERE updated_at < ?', [before]),
  );
}
