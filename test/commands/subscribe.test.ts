// Tests of 订阅 / 退订: a bound admin attaches and detaches sites to a room; operators and direct chats are refused.
import { RoomSubscription } from '../../entities';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import { describeEachEngine, resetDb } from '../helpers/db';
import { NOW, room, seed, testDeps, type Seeded } from './seed';

describeEachEngine('订阅 / 退订', (db) => {
  let s: Seeded;
  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });
  beforeEach(async () => {
    await db().ds.getRepository(RoomSubscription).clear();
  });

  const rows = async () =>
    (
      await db()
        .ds.getRepository(RoomSubscription)
        .find({ order: { siteId: 'ASC' } })
    ).map((r) => [r.roomTopic, r.roomId, r.siteId, r.createdBy, r.createdAt]);

  it('an admin subscribes and unsubscribes a room', async () => {
    const t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    const r = room('运维群');
    expect(await router.handle('订阅 bj01', s.admin, r)).toEqual([
      { kind: 'text', text: '已为本群订阅北京一号（BJ01）。\n本群订阅的局点：BJ01 北京一号' },
    ]);
    expect(await router.handle('subscribe 上海', s.admin, r)).toEqual([
      {
        kind: 'text',
        text: '已为本群订阅上海移动（SH01）。\n本群订阅的局点：BJ01 北京一号、SH01 上海移动',
      },
    ]);
    expect(await router.handle('订阅 BJ01', s.admin, r)).toEqual([
      {
        kind: 'text',
        text: '本群已订阅北京一号（BJ01）。\n本群订阅的局点：BJ01 北京一号、SH01 上海移动',
      },
    ]);
    expect(await rows()).toEqual([
      ['运维群', 'room-运维群', s.sites.bj01.id, s.admin.userId, NOW],
      ['运维群', 'room-运维群', s.sites.sh01.id, s.admin.userId, NOW],
    ]);
    expect(await router.handle('订阅 北京', s.admin, r)).toEqual([
      { kind: 'text', text: '“北京”对应多个局点：BJ01 北京一号、BJ02 北京二号，请说得更具体些。' },
    ]);
    expect(await router.handle('退订 BJ02', s.admin, r)).toEqual([
      {
        kind: 'text',
        text: '没有找到该局点。本群可查询的局点：BJ01 北京一号、SH01 上海移动',
      },
    ]);
    expect(await router.handle('unsubscribe bj01', s.admin, r)).toEqual([
      { kind: 'text', text: '已为本群退订北京一号（BJ01）。\n本群订阅的局点：SH01 上海移动' },
    ]);
    // the only subscribed site needs no argument
    expect(await router.handle('退订', s.admin, r)).toEqual([
      { kind: 'text', text: '已为本群退订上海移动（SH01）。\n本群订阅的局点：（无）' },
    ]);
    expect(await rows()).toEqual([]);
  });

  it('refuses operators and direct chats, and logs the refusals', async () => {
    const t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    expect(await router.handle('订阅 BJ01', s.li, room('运维群'))).toEqual([
      { kind: 'text', text: '只有管理员可以使用“订阅”。' },
    ]);
    expect(await router.handle('退订 BJ01', s.wang, room('运维群'))).toEqual([
      { kind: 'text', text: '只有管理员可以使用“退订”。' },
    ]);
    expect(await router.handle('订阅 BJ01', s.admin, null)).toEqual([
      { kind: 'text', text: '“订阅”只能在群里使用。' },
    ]);
    expect(await router.handle('退订 BJ01', s.admin, null)).toEqual([
      { kind: 'text', text: '“退订”只能在群里使用。' },
    ]);
    expect(await rows()).toEqual([]);
    expect(t.logs.map((l) => [l.login, l.room, l.text, l.reason])).toEqual([
      ['li', '运维群', '订阅 BJ01', 'admin only'],
      ['wang', '运维群', '退订 BJ01', 'admin only'],
      ['admin', null, '订阅 BJ01', 'room only'],
      ['admin', null, '退订 BJ01', 'room only'],
    ]);
  });
});
