// The login limit store on both engines: fixed windows, counts shared by every hub, no attempt lost in a race.
import { createLoginLimitStore, type RateLimitStore } from '../../src/web/login-limit-store';
import { describeEachEngine, resetDb } from '../helpers/db';

const T0 = Date.UTC(2026, 10, 26, 1, 0, 0);
const WINDOW = 60_000;

const incr = (s: RateLimitStore, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    s.incr(key, (err, r) => (err ? reject(err) : resolve(r!)), WINDOW, 5),
  );
const read = (s: RateLimitStore, key: string) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) =>
    s.read(key, (err, r) => (err ? reject(err) : resolve(r!)), WINDOW),
  );

describeEachEngine('login limit store', (db) => {
  let t: number;
  beforeEach(async () => {
    await resetDb(db());
    t = T0;
  });

  it('counts attempts in a window that starts at the first one, then starts a new one', async () => {
    const s = createLoginLimitStore(db().ds, () => t);
    expect(await read(s, 'acct:li')).toEqual({ current: 0, ttl: WINDOW });
    expect(await incr(s, 'acct:li')).toEqual({ current: 1, ttl: WINDOW });
    t += 10_000;
    expect(await incr(s, 'acct:li')).toEqual({ current: 2, ttl: 50_000 });
    expect(await incr(s, 'addr:10.0.0.1')).toEqual({ current: 1, ttl: WINDOW });
    t += 49_999;
    expect(await read(s, 'acct:li')).toEqual({ current: 2, ttl: 1 });
    expect(await incr(s, 'acct:li')).toEqual({ current: 3, ttl: 1 });
    t += 1;
    expect(await read(s, 'acct:li')).toEqual({ current: 0, ttl: WINDOW });
    expect(await incr(s, 'acct:li')).toEqual({ current: 1, ttl: WINDOW });
    // Keys are stored hashed: no login name in the table.
    const rows = (await db().ds.query('SELECT key_hash FROM login_attempt ORDER BY key_hash')) as {
      key_hash: string;
    }[];
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.key_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('two hubs share the count, and 40 attempts at once are all counted', async () => {
    const a = createLoginLimitStore(db().ds, () => t);
    const b = createLoginLimitStore(db().ds, () => t);
    expect(await incr(a, 'acct:li')).toMatchObject({ current: 1 });
    expect(await incr(b, 'acct:li')).toMatchObject({ current: 2 });
    await Promise.all(Array.from({ length: 40 }, (_, i) => incr(i % 2 ? a : b, 'acct:wang')));
    expect(await read(a, 'acct:wang')).toEqual({ current: 40, ttl: WINDOW });
  });

  it('hands every limiter the same store: the keys carry their own prefixes', () => {
    const s = createLoginLimitStore(db().ds, () => t);
    expect(s.child({} as never)).toBe(s);
  });
});
