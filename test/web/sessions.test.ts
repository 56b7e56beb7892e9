// Sessions by user: the store records the signed-in user in web_session.user_id, and a password reset ends that user's sessions by it.
import type { FastifyInstance } from 'fastify';
import { User } from '../../entities';
import { addUser } from '../../src/admin/users';
import { migrate } from '../../src/db/data-source';
import { SESSION_COOKIE } from '../../src/web/server';
import { describeEachEngine, resetDb, undoMigrationsThrough } from '../helpers/db';
import {
  NOW,
  PASSWORD,
  type WebSession,
  createTestWeb,
  login,
  seedPortal,
  sessionCookie,
} from './helpers';

/** The session id inside a signed session cookie ("sw_sid=<id>.<signature>"). */
const sidOf = (cookie: string) =>
  decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)).split('.')[0];

describeEachEngine('sessions by user', (db) => {
  let app: FastifyInstance;

  beforeEach(async () => {
    await resetDb(db());
  });

  afterEach(async () => {
    await app?.close();
  });

  const userIdOf = async (sid: string) => {
    const rows = (await db().ds.query('SELECT user_id FROM web_session WHERE sid = ?', [sid])) as {
      user_id: number | string | null;
    }[];
    if (rows.length !== 1) return 'no row';
    return rows[0].user_id === null ? null : Number(rows[0].user_id);
  };

  const signedIn = async (s: WebSession) =>
    (await app.inject({ url: '/api/sites', headers: { cookie: s.cookie } })).statusCode === 200;

  it("writes the signed-in user's id in user_id, null before sign-in", async () => {
    const s = await seedPortal(db().ds);
    app = await createTestWeb(db().ds);
    const form = await app.inject({ url: '/login' });
    expect(await userIdOf(sidOf(sessionCookie(form)!))).toBeNull();
    const li = await login(app, 'li', PASSWORD);
    expect(await userIdOf(sidOf(li.cookie))).toBe(s.li.userId);
    const zhou = await login(app, 'zhou', PASSWORD);
    expect(await userIdOf(sidOf(zhou.cookie))).toBe(s.zhou.userId);
  });

  it("a password reset ends exactly that user's other sessions, not those of user 12 for user 1 or back", async () => {
    await seedPortal(db().ds);
    const users = db().ds.getRepository(User);
    const one = await users.findOneByOrFail({ login: 'admin' });
    // A user whose id starts with the admin's digits (1 and 12): an id must match whole.
    const prefixed = Number(`${one.id}2`);
    const u = await addUser(db().ds, { login: 'twelve', password: PASSWORD, sites: [] }, NOW);
    await users.update({ id: u.id }, { id: prefixed });
    app = await createTestWeb(db().ds);
    const acting = await login(app, 'admin', PASSWORD);
    const adminOther = await login(app, 'admin', PASSWORD);
    const twelveA = await login(app, 'twelve', PASSWORD);
    const twelveB = await login(app, 'twelve', PASSWORD);
    expect(await userIdOf(sidOf(twelveA.cookie))).toBe(prefixed);
    const reset = (loginName: string, password: string) =>
      app.inject({
        method: 'POST',
        url: `/api/admin/users/${loginName}/password`,
        headers: { cookie: acting.cookie, 'x-csrf-token': acting.csrf },
        payload: { password },
      });

    expect((await reset('admin', 'admin-secret-99')).statusCode).toBe(200);
    expect(await signedIn(acting)).toBe(true);
    expect(await signedIn(adminOther)).toBe(false);
    expect(await signedIn(twelveA)).toBe(true);
    expect(await signedIn(twelveB)).toBe(true);

    const adminLater = await login(app, 'admin', 'admin-secret-99');
    expect((await reset('twelve', 'twelve-secret-9')).statusCode).toBe(200);
    expect(await signedIn(twelveA)).toBe(false);
    expect(await signedIn(twelveB)).toBe(false);
    expect(await signedIn(acting)).toBe(true);
    expect(await signedIn(adminLater)).toBe(true);
    expect(await userIdOf(sidOf(twelveA.cookie))).toBe('no row');
  });
});

describeEachEngine('web_session.user_id migration', (db) => {
  it('fills user_id of existing sessions from their JSON in batches, null where there is no user id', async () => {
    const ds = db().ds;
    // Back to the schema before the column (undoing the later migration first), with sessions as
    // the store wrote them then.
    const undone = await undoMigrationsThrough(ds, 'WebSessionUser1764633600000');
    const cookie = { originalMaxAge: null, expires: null, httpOnly: true, path: '/' };
    const rows: [string, string][] = [];
    for (let i = 0; i < 1100; i++) {
      const user = { id: (i % 13) + 1, login: `u${i}`, displayName: 'U', role: 'operator' };
      rows.push([`s-${String(i).padStart(4, '0')}`, JSON.stringify({ cookie, user })]);
    }
    rows.push(['x-no-user', JSON.stringify({ cookie })]);
    rows.push(['x-not-json', 'not json {']);
    rows.push(['x-text-id', JSON.stringify({ cookie, user: { id: '7' } })]);
    rows.push(['x-fraction', JSON.stringify({ cookie, user: { id: 1.5 } })]);
    for (let i = 0; i < rows.length; i += 100) {
      const batch = rows.slice(i, i + 100);
      await ds.query(
        `INSERT INTO web_session (sid, data, expires_at) VALUES ${batch.map(() => '(?,?,?)').join(',')}`,
        batch.flatMap(([sid, data]) => [sid, data, NOW]),
      );
    }
    expect(await migrate(ds)).toEqual(undone);
    expect(undone.slice(0, 2)).toEqual([
      'WebSessionUser1764633600000',
      'ChatTransport1764720000000',
    ]);
    const got = (await ds.query('SELECT sid, user_id FROM web_session')) as {
      sid: string;
      user_id: number | string | null;
    }[];
    got.sort((a, b) => (a.sid < b.sid ? -1 : 1));
    expect(got.map((r) => [r.sid, r.user_id === null ? null : Number(r.user_id)])).toEqual([
      ...rows.slice(0, 1100).map(([sid], i) => [sid, (i % 13) + 1]),
      ['x-fraction', null],
      ['x-no-user', null],
      ['x-not-json', null],
      ['x-text-id', null],
    ]);
  });
});
