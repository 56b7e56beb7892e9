// Bindings keyed by (transport, contact): each transport's apart, one per user and transport; rows from before transports are WeChat's.
import { WechatBinding } from '../../entities';
import { bindContact, findCallerByContact } from '../../src/admin/chat-bindings';
import { addUser } from '../../src/admin/users';
import { dbResolvers } from '../../src/chat/directory';
import { migrate } from '../../src/db/data-source';
import { describeEachEngine, resetDb, undoMigrationsThrough } from '../helpers/db';

describeEachEngine('bindings by transport', (db) => {
  let li: number;
  let han: number;
  beforeEach(async () => {
    await resetDb(db());
    li = (await addUser(db().ds, { login: 'li.lei', password: 'correct horse' })).id;
    han = (await addUser(db().ds, { login: 'han', password: 'correct horse' })).id;
  });

  it('keeps each transport’s bindings apart, even for the same contact id', async () => {
    const ds = db().ds;
    await bindContact(ds, li, { transport: 'wechat', id: 'c1', name: 'Li' });
    // A WeCom userid is stable: its contact id finds the user with no alias at all.
    await bindContact(ds, li, { transport: 'wecom', id: 'LiLei', name: 'Li' });
    await bindContact(ds, han, { transport: 'wecom', id: 'c1', name: 'Han' });
    const who = async (transport: string, contactId: string) =>
      (await findCallerByContact(ds, { transport, contactId, alias: null }))?.login ?? null;
    expect(await who('wechat', 'c1')).toBe('li.lei');
    expect(await who('wecom', 'c1')).toBe('han');
    expect(await who('wecom', 'LiLei')).toBe('li.lei');
    expect(await who('wechat', 'LiLei')).toBeNull();
    expect(
      (await dbResolvers(ds, 'wecom').resolveCaller({ id: 'c1', name: 'Han', alias: null }))?.login,
    ).toBe('han');

    // Rebinding on one transport leaves the other's binding alone.
    await bindContact(ds, li, { transport: 'wecom', id: 'LiLei2', name: 'Li' });
    const rows = await ds.getRepository(WechatBinding).find({ order: { id: 'ASC' } });
    expect(rows.map((r) => [r.transport, r.userId, r.contactId])).toEqual([
      ['wechat', li, 'c1'],
      ['wecom', li, 'LiLei2'],
      ['wecom', han, 'c1'],
    ]);
    // The alias of one transport's binding does not find another's.
    expect(
      (await findCallerByContact(ds, { transport: 'wecom', contactId: 'x', alias: 'sw-li.lei' }))
        ?.login,
    ).toBe('li.lei');
    expect(
      await findCallerByContact(ds, { transport: 'other', contactId: 'x', alias: 'sw-li.lei' }),
    ).toBeNull();
  });

  it('migrates bindings made before transports as WeChat’s, and back', async () => {
    const ds = db().ds;
    const undone = await undoMigrationsThrough(ds, 'ChatTransport1764720000000');
    await ds.query(
      'INSERT INTO wechat_binding (user_id, alias, contact_id, contact_name, bound_at) VALUES (?, ?, ?, ?, ?)',
      [li, 'sw-li.lei', 'old-id', 'Li', 1],
    );
    expect(await migrate(ds)).toEqual(undone);
    const [row] = await ds.getRepository(WechatBinding).find();
    expect(row).toMatchObject({ transport: 'wechat', userId: li, contactId: 'old-id' });
    expect(
      (
        await findCallerByContact(ds, {
          transport: 'wechat',
          contactId: 'new-id',
          alias: 'sw-li.lei',
        })
      )?.login,
    ).toBe('li.lei');
    // One binding per user and transport.
    await expect(
      ds.query(
        "INSERT INTO wechat_binding (transport, user_id, alias, contact_id, contact_name, bound_at) VALUES ('wechat', ?, 'sw-x', 'y', 'Li', 1)",
        [li],
      ),
    ).rejects.toThrow();
    await bindContact(ds, li, { transport: 'wecom', id: 'LiLei', name: 'Li' });
    // Back: only WeChat's bindings fit the old keys; and up again.
    expect(await undoMigrationsThrough(ds, 'ChatTransport1764720000000')).toEqual(undone);
    expect(await ds.query('SELECT user_id, contact_id FROM wechat_binding')).toEqual([
      { user_id: li, contact_id: 'new-id' },
    ]);
    expect(await migrate(ds)).toEqual(undone);
  });
});
