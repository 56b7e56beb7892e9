// End to end on real Wechaty (puppet-mock): binding by code, then real commands with text and PNG replies, rooms.
import { createCommandRegistry } from '../../../commands/registry';
import { createCommandRouter } from '../../../commands/router';
import { RoomSubscription } from '../../../entities';
import { createBindCode } from '../../../src/admin/bind-codes';
import { dbResolvers } from '../../../src/chat/directory';
import { BIND_FAILED, UNBOUND_HINT, createMessageHandler } from '../../../src/chat/handler';
import { describeEachEngine, resetDb } from '../../helpers/db';
import { NOW, seed, testDeps } from '../../commands/seed';
import { type Harness, removeHarnessDir, startHarness, waitFor } from './harness';

afterAll(() => removeHarnessDir());

describeEachEngine('wechat end to end', (db) => {
  let h: Harness | undefined;
  beforeEach(() => resetDb(db()));
  afterEach(async () => {
    await h?.bot.stop();
    h = undefined;
  });

  async function start() {
    const s = await seed(db().ds);
    const { deps, logs } = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), deps);
    const handle = createMessageHandler({ ds: db().ds, router, log: deps.log, now: () => NOW });
    h = await startHarness({ handle, ...dbResolvers(db().ds, 'wechat') });
    return { s, logs, h };
  }

  it('gives a stranger the binding hint and no data; binds with a code; then answers with text and a chart', async () => {
    const { s, logs, h } = await start();
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say('局点').to(h.me);
    await waitFor(() => got.length === 1, 'hint');
    expect(got[0].text).toBe(UNBOUND_HINT);
    expect(logs.some((l) => l.msg === 'refused: contact not bound' && l.text === '局点')).toBe(
      true,
    );

    alice.say('绑定 WRONG123').to(h.me);
    await waitFor(() => got.length === 2, 'bad code');
    expect(got[1].text).toBe(BIND_FAILED);

    const { code } = await createBindCode(db().ds, s.li.login, NOW - 60_000);
    alice.say(`绑定 ${code.toLowerCase()}`).to(h.me);
    await waitFor(() => got.length === 3, 'bound');
    expect(got[2].text).toBe(
      `绑定成功：${s.li.displayName}（${s.li.login}）。发送“帮助”查看可用命令。`,
    );

    alice.say(`状态 ${s.sites.bj01.code}`).to(h.me);
    await waitFor(() => got.length === 5, 'status text and chart', 5000);
    expect(got[3].kind).toBe('text');
    expect(got[3].text.startsWith(`${s.sites.bj01.name}（${s.sites.bj01.code}）状态`)).toBe(true);
    expect(got[4].kind).toBe('image');
    expect(Buffer.from(got[4].base64 ?? '', 'base64').subarray(0, 4)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47]),
    );
  });

  it('in a room ignores chatter, and answers a mention only about the sites subscribed there', async () => {
    const { s, h } = await start();
    const alice = h.mocker.createContact({ name: 'Alice' });
    const { code } = await createBindCode(db().ds, s.admin.login, NOW - 60_000);
    const dm = h.inbox(alice);
    alice.say(`绑定 ${code}`).to(h.me);
    await waitFor(() => dm.length === 1, 'bound');
    const roomMock = h.mocker.createRoom({
      topic: '北京运维群',
      memberIdList: [h.me.id, alice.id],
    });
    await db().ds.getRepository(RoomSubscription).insert({
      roomTopic: '北京运维群',
      roomId: null,
      siteId: s.sites.bj01.id,
      createdBy: s.admin.userId,
      createdAt: NOW,
    });
    const got = h.inbox(roomMock);
    alice.say('今天谁值班？').to(roomMock);
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual([]);
    alice.say(`@Sitewatch 昨日 ${s.sites.sh01.code}`, [h.me]).to(roomMock);
    await waitFor(() => got.length === 1, 'refusal');
    alice.say('@Sitewatch 昨日 NOPE', [h.me]).to(roomMock);
    await waitFor(() => got.length === 2, 'unknown');
    // A site not subscribed here is answered exactly like a site that does not exist.
    expect(got[0].text).toBe(got[1].text);
    alice.say(`@Sitewatch 昨日 ${s.sites.bj01.code}`, [h.me]).to(roomMock);
    await waitFor(() => got.length === 3, 'answer');
    expect(got[2].text.startsWith(`${s.sites.bj01.name}（${s.sites.bj01.code}）`)).toBe(true);
  });
});
