// End to end on real Wechaty (puppet-mock): binding by code, then real commands with text and PNG replies, rooms.
import { createAnswerRegistry } from '../../../commands/answers/registry';
import { createAssistant } from '../../../commands/assistant';
import { RoomSubscription } from '../../../entities';
import { createBindCode } from '../../../src/admin/bind-codes';
import { dbResolvers } from '../../../src/chat/directory';
import { BIND_FAILED, UNBOUND_HINT, createMessageHandler } from '../../../src/chat/handler';
import type { Intent } from '../../../src/nlu/types';
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
    const router = createAssistant(deps);
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

  it('answers questions as staff write them, with follow-ups per person and per room', async () => {
    const { s } = await start();
    const bot = h!;
    const bound = async (name: string, login: string) => {
      const c = bot.mocker.createContact({ name });
      const { code } = await createBindCode(db().ds, login, NOW - 60_000);
      const dm = bot.inbox(c);
      c.say(`绑定 ${code}`).to(bot.me);
      await waitFor(() => dm.length === 1, `${name} bound`);
      return { c, dm };
    };
    const li = await bound('Li', s.li.login);
    const answers = createAnswerRegistry();
    const { deps } = testDeps(db().ds);
    const expected = async (intent: Intent) =>
      (await answers.answer(intent, { caller: s.li, args: '', room: null, deps })).map((r) =>
        r.kind === 'text' ? r.text : r.kind,
      );
    const day = (d: string) => ({ kind: 'day' as const, day: d });
    const said = (dm: typeof li.dm, from: number) =>
      dm.slice(from).map((m) => (m.kind === 'text' ? m.text : m.kind));

    li.c.say('北京一号昨天开户多少').to(bot.me);
    await waitFor(() => li.dm.length === 2, 'the answer');
    expect(said(li.dm, 1)).toEqual(
      await expected({
        kind: 'figures',
        sites: ['BJ01'],
        figures: ['opens'],
        time: day('2026-11-24'),
      }),
    );
    li.c.say('前天呢').to(bot.me);
    await waitFor(() => li.dm.length === 3, 'the follow-up');
    expect(said(li.dm, 2)).toEqual(
      await expected({
        kind: 'figures',
        sites: ['BJ01'],
        figures: ['opens'],
        time: day('2026-11-23'),
      }),
    );
    li.c.say('那上海移动呢').to(bot.me);
    await waitFor(() => li.dm.length === 4, 'another site');
    expect(said(li.dm, 3)).toEqual(
      await expected({
        kind: 'figures',
        sites: ['SH01'],
        figures: ['opens'],
        time: day('2026-11-23'),
      }),
    );

    // In a room, the same person's conversation is another one: 前天呢 there has nothing to change.
    const roomMock = bot.mocker.createRoom({ topic: '运维群', memberIdList: [bot.me.id, li.c.id] });
    await db().ds.getRepository(RoomSubscription).insert({
      roomTopic: '运维群',
      roomId: null,
      siteId: s.sites.bj01.id,
      createdBy: s.admin.userId,
      createdAt: NOW,
    });
    const inRoom = bot.inbox(roomMock);
    li.c.say('@Sitewatch 前天呢', [bot.me]).to(roomMock);
    await waitFor(() => inRoom.length === 1, 'room answer');
    expect(inRoom[0].text).not.toBe(li.dm[3].text);
    li.c.say('@Sitewatch 上海移动昨天开户多少', [bot.me]).to(roomMock);
    await waitFor(() => inRoom.length === 2, 'room refusal');
    li.c.say('@Sitewatch 火星移动昨天开户多少', [bot.me]).to(roomMock);
    await waitFor(() => inRoom.length === 3, 'made-up site');
    // SH01 is not the room's: answered like a made-up name.
    expect(inRoom[1].text).toBe(inRoom[2].text);
  });
});
