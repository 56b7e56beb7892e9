// The @fastify/session store on the database: sessions survive a restart, are shared by hubs, and end at logout.
import type { DataSource } from 'typeorm';
import { engineOf } from '../db/data-source';
import { upsertSql } from '../db/dialect';
import { execute } from '../db/bulk';
import { type CallbackThrew, settle, warnCallbackThrew } from './callback';

import type { Session } from 'fastify';
import type {} from '@fastify/session';

type Callback = (err?: unknown) => void;
type GetCallback = (err: unknown, session?: Session | null) => void;

export interface SessionStore {
  set(sid: string, session: Session, cb: Callback): void;
  get(sid: string, cb: GetCallback): void;
  destroy(sid: string, cb: Callback): void;
}

/** A session's expiry is pushed forward in the database at most this often (idle timeouts are in minutes). */
export const REWRITE_AFTER_MS = 60_000;

/** The signed-in user's id, written beside the JSON so that a user's sessions are found by it. */
function userIdOf(session: Session): number | null {
  const id = session.user?.id;
  return Number.isSafeInteger(id) ? (id as number) : null;
}

export function createSessionStore(o: {
  ds: DataSource;
  /** Sessions last this long after their last request. */
  idleMs: number;
  now?: () => number;
  /** A throw out of the plugin's callback (it continues the request): logged, the hub goes on. */
  onCallbackThrew?: CallbackThrew;
}): SessionStore {
  const { ds } = o;
  const now = o.now ?? Date.now;
  const threw = o.onCallbackThrew ?? warnCallbackThrew;
  const upsert = upsertSql(
    engineOf(ds),
    'web_session',
    ['sid', 'data', 'user_id', 'expires_at'],
    ['sid'],
    ['data', 'user_id', 'expires_at'],
    1,
  );
  // What this hub last wrote per session: with rolling sessions every request saves, but the row only
  // needs writing when the data changed or the expiry moved by more than a minute.
  const written = new Map<string, { content: string; expiresAt: number }>();
  const MAX_REMEMBERED = 10_000;
  const contentOf = (session: Session) => {
    const { cookie: _cookie, ...rest } = session as Session & { cookie?: unknown };
    return JSON.stringify(rest);
  };
  return {
    set(sid, session, cb) {
      const expiresAt = now() + o.idleMs;
      const content = contentOf(session);
      const last = written.get(sid);
      if (last && last.content === content && expiresAt - last.expiresAt < REWRITE_AFTER_MS) {
        cb();
        return;
      }
      const work = execute(ds.manager, upsert, [
        sid,
        JSON.stringify(session),
        userIdOf(session),
        expiresAt,
      ]).then(() => {
        if (written.size >= MAX_REMEMBERED) written.clear();
        written.set(sid, { content, expiresAt });
      });
      settle(work, (err) => cb(err), threw);
    },
    get(sid, cb) {
      const work = ds
        .query('SELECT data, expires_at FROM web_session WHERE sid = ?', [sid])
        .then((rows: { data: string; expires_at: number | string }[]) => {
          const row = rows[0];
          if (!row || Number(row.expires_at) <= now()) return null;
          // A row that does not parse is an error for this request, not a throw in the promise.
          return JSON.parse(row.data) as Session;
        });
      settle(work, (err, session) => (err ? cb(err) : cb(null, session ?? null)), threw);
    },
    destroy(sid, cb) {
      written.delete(sid);
      const work = ds.query('DELETE FROM web_session WHERE sid = ?', [sid]).then(() => undefined);
      settle(work, (err) => cb(err), threw);
    },
  };
}
