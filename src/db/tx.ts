// Write transactions. SQLite has one shared connection in TypeORM, so its transactions are queued one at a time.
import pLimit from 'p-limit';
import type { DataSource, EntityManager } from 'typeorm';
import { engineOf } from './data-source';

const queues = new WeakMap<DataSource, ReturnType<typeof pLimit>>();

export function withTransaction<T>(
  ds: DataSource,
  fn: (em: EntityManager) => Promise<T>,
): Promise<T> {
  // READ COMMITTED: no gap locks, and an UPDATE scanning past rows other transactions hold skips them
  // instead of waiting (REPEATABLE READ deadlocked concurrent site ingests on alarm updates in bench:alarms).
  // Each site is written by one transaction at a time (per-site leases), so nothing relies on repeatable reads.
  if (engineOf(ds) === 'mysql') return ds.transaction('READ COMMITTED', fn);
  let queue = queues.get(ds);
  if (!queue) {
    queue = pLimit(1);
    queues.set(ds, queue);
  }
  return queue(() => ds.transaction(fn));
}
