// Write transactions. SQLite has one shared connection in TypeORM, so its transactions are queued one at a time.
import pLimit from 'p-limit';
import type { DataSource, EntityManager } from 'typeorm';
import { engineOf } from './data-source';

const queues = new WeakMap<DataSource, ReturnType<typeof pLimit>>();

export function withTransaction<T>(
  ds: DataSource,
  fn: (em: EntityManager) => Promise<T>,
): Promise<T> {
  if (engineOf(ds) === 'mysql') return ds.transaction(fn);
  let queue = queues.get(ds);
  if (!queue) {
    queue = pLimit(1);
    queues.set(ds, queue);
  }
  return queue(() => ds.transaction(fn));
}
