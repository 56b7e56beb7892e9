// The @fastify/rate-limit store on the database: login attempts are counted across every hub, not per process.
import { createHash } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { DataSource } from 'typeorm';
import { execute } from '../db/bulk';
import { engineOf } from '../db/data-source';
import { type CallbackThrew, settle, warnCallbackThrew } from './callback';

type Result = { current: number; ttl: number };
type Callback = (err: Error | null, res?: Result) => void;

export interface RateLimitStore extends FastifyRateLimitStore {
  /** The count without counting (the plugin's `{ increment: false }`). */
  read(key: string, cb: Callback, timeWindow: number): void;
}

const hash = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * A fixed window per key: the first attempt opens it, later ones count until it has lasted
 * `timeWindow`, then the next attempt opens a new one. One statement counts the attempt, so two hubs
 * counting at once never lose one.
 */
export function createLoginLimitStore(
  ds: DataSource,
  now: () => number = Date.now,
  threw: CallbackThrew = warnCallbackThrew,
): RateLimitStore {
  // In one UPDATE both engines read the old window_start in both expressions.
  const count =
    engineOf(ds) === 'mysql'
      ? `INSERT INTO login_attempt (key_hash, hits, window_start) VALUES (?, 1, ?)
         ON DUPLICATE KEY UPDATE hits = IF(window_start <= ?, 1, hits + 1), window_start = IF(window_start <= ?, ?, window_start)`
      : `INSERT INTO login_attempt (key_hash, hits, window_start) VALUES (?, 1, ?)
         ON CONFLICT (key_hash) DO UPDATE SET hits = CASE WHEN window_start <= ? THEN 1 ELSE hits + 1 END,
           window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END`;

  async function current(keyHash: string, t: number, timeWindow: number): Promise<Result> {
    const rows = (await ds.query(
      'SELECT hits, window_start FROM login_attempt WHERE key_hash = ?',
      [keyHash],
    )) as { hits: number | string; window_start: number | string }[];
    const start = rows.length ? Number(rows[0].window_start) : t;
    if (!rows.length || start + timeWindow <= t) return { current: 0, ttl: timeWindow };
    return { current: Number(rows[0].hits), ttl: start + timeWindow - t };
  }

  const store: RateLimitStore = {
    incr(key, cb, timeWindow) {
      const t = now();
      const k = hash(key);
      const expired = t - timeWindow;
      const work = execute(ds.manager, count, [k, t, expired, expired, t]).then(() =>
        current(k, t, timeWindow),
      );
      settle(work, cb, threw);
    },
    read(key, cb, timeWindow) {
      settle(current(hash(key), now(), timeWindow), cb, threw);
    },
    // The limiters' keys carry their own prefix (addr:, acct:), so they share one table.
    child: () => store,
  };
  return store;
}

/** The plugin constructs its store itself (`new Store(options)`); this hands it the one above. */
export function loginLimitStoreCtor(store: RateLimitStore): FastifyRateLimitStoreCtor {
  return class {
    constructor() {
      return store;
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
