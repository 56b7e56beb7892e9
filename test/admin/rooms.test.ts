// Room subscriptions: one write path for the 订阅 command and the portal, idempotent under races, on both engines.
import type { FastifyInstance } from 'fastify';
import { RoomSubscription } from '../../entities';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import { listRoomSubscriptions, subscribeRoom, unsubscribeRoom } from '../../src/admin/rooms';
import { describeEachEngine, resetDb } from '../helpers/db';
import { NOW, room, testDeps } from '../commands/seed';
import { PASSWORD, type PortalSeed, createTestWeb, login, seedPortal } from '../web/helpers';

describeEachEngine('room subscriptions', (db) => {
  let app: FastifyInstance;
  let s: PortalSeed;

  beforeEach(async () => {
    await resetDb(db());
    s = await seedPortal(db().ds);
    app = await createTestWeb(db().ds);
  });

  afterEach(async () => {
    await app.close();
  });

  it('10 concurrent subscribes of one room and site, from the command and the portal mixed: one row, every caller answered', async () => {
    const admin = await login(app, 'admin', PASSWORD);
    const t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    const viaCommand = () => router.handle('订阅 BJ01', s.admin, room('运维群'));
    const viaPortal = () =>
      app.inject({
        method: 'POST',
        url: '/api/admin/rooms',
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        payload: { topic: '运维群', site: 'BJ01' },
      });
    const answers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        if (i % 2 === 0) {
          const replies = await viaCommand();
          return replies.map((r) => (r.kind === 'text' ? r.text : r.kind)).join('|');
        }
        const res = await viaPortal();
        if (res.statusCode === 200) return 'portal: added';
        return `portal ${res.statusCode}: ${(JSON.parse(res.body) as { error: string }).error}`;
      }),
    );
    const list = '\n本群订阅的局点：BJ01 北京一号';
    const added = [`已为本群订阅北京一号（BJ01）。${list}`, 'portal: added'];
    const already = [
      `本群已订阅北京一号（BJ01）。${list}`,
      // The portal's answer to a room it already has, as for one added earlier.
      'portal 409: 请求无效：Room "运维群" (wechat) already subscribes to site "BJ01".',
    ];
    expect(answers.filter((a) => !added.includes(a) && !already.includes(a))).toEqual([]);
    expect(answers.filter((a) => added.includes(a))).toHaveLength(1);
    expect(t.logs.filter((l) => l.msg === 'command failed')).toEqual([]);
    const rows = await db().ds.getRepository(RoomSubscription).find();
    expect(rows.map((r) => [r.roomTopic, r.siteId, r.createdBy, r.createdAt])).toEqual([
      ['运维群', s.sites.bj01.id, s.admin.userId, NOW],
    ]);
  });

  it('subscribes once, keeps a known room id for the portal, lists by topic and removes by id or by topic and site', async () => {
    const ds = db().ds;
    const { bj01, bj02, sh01 } = s.sites;
    const by = s.admin.userId;
    const first = await subscribeRoom(ds, {
      transport: 'wechat',
      topic: '运维群',
      roomId: 'room-1',
      siteId: bj01.id,
      by,
      now: NOW,
    });
    expect(first.added).toBe(true);
    expect(first.subscription).toMatchObject({
      roomTopic: '运维群',
      roomId: 'room-1',
      siteId: bj01.id,
      createdBy: by,
      createdAt: NOW,
    });
    const again = await subscribeRoom(ds, {
      transport: 'wechat',
      topic: '运维群',
      roomId: 'room-2',
      siteId: bj01.id,
      by: s.li.userId,
      now: NOW + 1,
    });
    // The existing row is reported, unchanged.
    expect(again).toEqual({ added: false, subscription: first.subscription });
    const portal = await subscribeRoom(ds, {
      transport: 'wechat',
      topic: '运维群',
      roomId: null,
      siteId: sh01.id,
      by,
      now: NOW,
    });
    expect(portal.subscription.roomId).toBe('room-1');
    const unknownRoom = await subscribeRoom(ds, {
      transport: 'wechat',
      topic: '新群',
      roomId: null,
      siteId: bj02.id,
      by,
      now: NOW,
    });
    expect(unknownRoom.subscription.roomId).toBeNull();

    expect((await listRoomSubscriptions(ds)).map((r) => [r.roomTopic, r.siteId])).toEqual([
      ['新群', bj02.id],
      ['运维群', bj01.id],
      ['运维群', sh01.id],
    ]);
    expect(
      (await listRoomSubscriptions(ds, { transport: 'wechat', topic: '运维群' })).map(
        (r) => r.siteId,
      ),
    ).toEqual([bj01.id, sh01.id]);

    expect(
      await unsubscribeRoom(ds, { transport: 'wechat', topic: '运维群', siteId: bj01.id }),
    ).toEqual(first.subscription);
    expect(
      await unsubscribeRoom(ds, { transport: 'wechat', topic: '运维群', siteId: bj01.id }),
    ).toBeNull();
    expect(await unsubscribeRoom(ds, { id: portal.subscription.id })).toEqual(portal.subscription);
    expect(await unsubscribeRoom(ds, { id: portal.subscription.id })).toBeNull();
    expect((await listRoomSubscriptions(ds)).map((r) => r.roomTopic)).toEqual(['新群']);
  });
});
