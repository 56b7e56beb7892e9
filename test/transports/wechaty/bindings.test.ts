// WeChat bindings in the database: callers found by contact id or alias, room subscriptions by topic.
import { RoomSubscription, WechatBinding } from '../../../entities';
import { addSite } from '../../../src/admin/sites';
import { addUser } from '../../../src/admin/users';
import { aliasForLogin, bindContact, findCallerByContact } from '../../../src/admin/chat-bindings';
import { roomSiteIds } from '../../../src/admin/rooms';
import { dbResolvers } from '../../../src/chat/directory';
import { describeEachEngine, resetDb } from '../../helpers/db';

describeEachEngine('wechat bindings', (db) => {
  let liId: number;
  let hanId: number;

  beforeEach(async () => {
    await resetDb(db());
    liId = (
      await addUser(db().ds, { login: 'li.lei', password: 'correct horse', displayName: '李雷' })
    ).id;
    hanId = (await addUser(db().ds, { login: 'han', password: 'correct horse', role: 'admin' })).id;
  });

  it('binds a contact under the alias sw-<login> and finds it by contact id', async () => {
    expect(
      await bindContact(db().ds, liId, { transport: 'wechat', id: 'c1', name: 'Li' }, 1000),
    ).toEqual({
      alias: 'sw-li.lei',
    });
    const caller = await findCallerByContact(
      db().ds,
      { transport: 'wechat', contactId: 'c1', alias: null },
      2000,
    );
    expect(caller).toEqual({
      userId: liId,
      login: 'li.lei',
      displayName: '李雷',
      role: 'operator',
    });
    const row = await db().ds.getRepository(WechatBinding).findOneByOrFail({ userId: liId });
    expect(row).toMatchObject({
      alias: 'sw-li.lei',
      contactId: 'c1',
      contactName: 'Li',
      boundAt: 1000,
      lastSeenAt: 2000,
    });
  });

  it('after a re-login finds the binding by alias and stores the new contact id', async () => {
    await bindContact(db().ds, liId, { transport: 'wechat', id: 'old', name: 'Li' });
    expect(
      await findCallerByContact(db().ds, { transport: 'wechat', contactId: 'new', alias: null }),
    ).toBeNull();
    const caller = await findCallerByContact(db().ds, {
      transport: 'wechat',
      contactId: 'new',
      alias: 'sw-li.lei',
      name: 'Li 2',
    });
    expect(caller?.login).toBe('li.lei');
    const row = await db().ds.getRepository(WechatBinding).findOneByOrFail({ userId: liId });
    expect(row).toMatchObject({ contactId: 'new', contactName: 'Li 2' });
    // and now by id alone
    expect(
      (
        await findCallerByContact(db().ds, {
          transport: 'wechat',
          contactId: 'new',
          alias: undefined,
        })
      )?.login,
    ).toBe('li.lei');
  });

  it('prefers the alias when a stale contact id now belongs to someone else', async () => {
    await bindContact(db().ds, liId, { transport: 'wechat', id: 'x', name: 'Li' });
    await bindContact(db().ds, hanId, { transport: 'wechat', id: 'y', name: 'Han' });
    // new session: Han got the id Li had before
    const caller = await findCallerByContact(db().ds, {
      transport: 'wechat',
      contactId: 'x',
      alias: 'sw-han',
    });
    expect(caller?.login).toBe('han');
    const rows = await db()
      .ds.getRepository(WechatBinding)
      .find({ order: { userId: 'ASC' } });
    expect(rows.map((r) => [r.alias, r.contactId])).toEqual([
      ['sw-li.lei', null],
      ['sw-han', 'x'],
    ]);
  });

  it('rebinding replaces the earlier binding of the user and of the contact', async () => {
    await bindContact(db().ds, liId, { transport: 'wechat', id: 'c1', name: 'Li' });
    await bindContact(db().ds, liId, { transport: 'wechat', id: 'c2', name: 'Li new phone' });
    await bindContact(db().ds, hanId, { transport: 'wechat', id: 'c2', name: 'shared' });
    const rows = await db().ds.getRepository(WechatBinding).find();
    expect(rows.map((r) => [r.userId, r.contactId])).toEqual([[hanId, 'c2']]);
    await expect(
      bindContact(db().ds, 9999, { transport: 'wechat', id: 'c3', name: 'x' }),
    ).rejects.toThrow('No user');
  });

  it('keeps long logins within the alias column', () => {
    const alias = aliasForLogin('a'.repeat(64));
    expect(alias.length).toBeLessThanOrEqual(64);
    expect(alias).toMatch(/^sw-a+-[0-9a-f]{8}$/);
  });

  it('finds a room’s sites by topic, records the room id, and follows a renamed topic', async () => {
    const s1 = await addSite(db().ds, { code: 'S1', name: 'One', baseUrl: 'http://127.0.0.1:1' });
    const s2 = await addSite(db().ds, { code: 'S2', name: 'Two', baseUrl: 'http://127.0.0.1:1' });
    const subs = db().ds.getRepository(RoomSubscription);
    for (const site of [s2, s1])
      await subs.insert({
        roomTopic: '运维群',
        roomId: null,
        siteId: site.id,
        createdBy: hanId,
        createdAt: 1,
      });
    expect(await roomSiteIds(db().ds, 'wechat', '运维群', 'r1@chatroom')).toEqual(
      [s1.id, s2.id].sort((a, b) => a - b),
    );
    expect((await subs.find()).map((s) => s.roomId)).toEqual(['r1@chatroom', 'r1@chatroom']);
    expect(await roomSiteIds(db().ds, 'wechat', '运维一群', 'r1@chatroom')).toHaveLength(2);
    expect((await subs.find()).map((s) => s.roomTopic)).toEqual(['运维一群', '运维一群']);
    expect(await roomSiteIds(db().ds, 'wechat', 'other', 'r9@chatroom')).toEqual([]);
    const { resolveRoom, resolveCaller } = dbResolvers(db().ds, 'wechat');
    expect(await resolveRoom({ id: 'r1@chatroom', topic: '运维一群' })).toEqual({
      transport: 'wechat',
      id: 'r1@chatroom',
      topic: '运维一群',
      siteIds: [s1.id, s2.id].sort((a, b) => a - b),
    });
    expect(await resolveCaller({ id: 'nobody', name: 'n', alias: null })).toBeNull();
  });
});
