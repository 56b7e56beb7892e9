// Users' sites through the one write path (setUserSites, addUser) and ending a user's sessions by web_session.user_id; on both engines.
import { Site, User } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { addUser, endUserSessions, setUserSites } from '../../src/admin/users';
import { describeEachEngine, resetDb } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 2);

describeEachEngine('users: sites and sessions', (db) => {
  let site: Record<'bj01' | 'bj02' | 'sh01', Site>;

  beforeEach(async () => {
    await resetDb(db());
    const ds = db().ds;
    site = {
      bj01: await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: 'http://bj01.test/' }),
      bj02: await addSite(ds, { code: 'BJ02', name: '北京二号', baseUrl: 'http://bj02.test/' }),
      sh01: await addSite(ds, { code: 'SH01', name: '上海', baseUrl: 'http://sh01.test/' }),
    };
  });

  /** The site codes `login` manages, as stored in user_site. */
  const sitesOf = async (login: string) =>
    (
      await db()
        .ds.getRepository(User)
        .findOneOrFail({ where: { login }, relations: { sites: true } })
    ).sites
      .map((s) => s.code)
      .sort();

  it('addUser writes the user and its sites together', async () => {
    const u = await addUser(
      db().ds,
      { login: 'li', password: 'password-1', sites: ['SH01', 'BJ01'] },
      NOW,
    );
    expect(u.sites.map((s) => s.code).sort()).toEqual(['BJ01', 'SH01']);
    expect(await sitesOf('li')).toEqual(['BJ01', 'SH01']);
    await expect(
      addUser(db().ds, { login: 'wang', password: 'password-1', sites: ['NOPE'] }, NOW),
    ).rejects.toThrow('No site "NOPE".');
    expect(await db().ds.getRepository(User).countBy({ login: 'wang' })).toBe(0);
  });

  it('setUserSites makes the sites exactly the given ones, and concurrent calls do not fail', async () => {
    const ds = db().ds;
    const u = await addUser(ds, { login: 'li', password: 'password-1', sites: ['BJ01'] }, NOW);
    await setUserSites(ds, u.id, [site.bj02.id, site.sh01.id, site.sh01.id]);
    expect(await sitesOf('li')).toEqual(['BJ02', 'SH01']);
    await setUserSites(ds, u.id, []);
    expect(await sitesOf('li')).toEqual([]);
    await Promise.all(
      Array.from({ length: 6 }, () => setUserSites(ds, u.id, [site.bj01.id, site.sh01.id])),
    );
    expect(await sitesOf('li')).toEqual(['BJ01', 'SH01']);
    await expect(setUserSites(ds, u.id + 1000, [])).rejects.toThrow(`No user #${u.id + 1000}.`);
    await expect(setUserSites(ds, u.id, [site.bj01.id, 999_999])).rejects.toThrow(
      'No site #999999.',
    );
    expect(await sitesOf('li')).toEqual(['BJ01', 'SH01']);
  });

  it('endUserSessions deletes the rows of that user_id only, except the given session', async () => {
    const ds = db().ds;
    const put = (sid: string, userId: number | null) =>
      ds.query('INSERT INTO web_session (sid, data, user_id, expires_at) VALUES (?,?,?,?)', [
        sid,
        '{}',
        userId,
        NOW,
      ]);
    for (const [sid, userId] of [
      ['a1', 1],
      ['a2', 1],
      ['a3', 1],
      ['b1', 12],
      ['c1', 21],
      ['n1', null],
    ] as const)
      await put(sid, userId);
    const left = async () =>
      ((await ds.query('SELECT sid FROM web_session')) as { sid: string }[])
        .map((r) => r.sid)
        .sort();
    expect(await endUserSessions(ds, 1, 'a2')).toBe(2);
    expect(await left()).toEqual(['a2', 'b1', 'c1', 'n1']);
    expect(await endUserSessions(ds, 1)).toBe(1);
    expect(await endUserSessions(ds, 12)).toBe(1);
    expect(await endUserSessions(ds, 12)).toBe(0);
    expect(await left()).toEqual(['c1', 'n1']);
  });
});
