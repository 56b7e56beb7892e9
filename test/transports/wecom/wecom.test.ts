// The WeCom transport through the real @wecom/aibot-node-sdk against the fake long-connection server: streams, images, order, the busy rule, splitting, pushes, reconnects, kicks and the lease.
import { createHash } from 'node:crypto';
import type { Reply } from '../../../commands/types';
import { createOutgoingQueue } from '../../../src/chat/outgoing-queue';
import type { IncomingMessage, TransportStateEvent } from '../../../src/chat/transport';
import { createLeases } from '../../../src/cluster/leases';
import { silentLogger } from '../../../src/log';
import {
  BUSY_TEXT,
  IMAGES_REFUSED_TEXT,
  THINKING_TEXT,
  UNSUPPORTED_TEXT,
  WECOM_LEASE,
  type WecomBot,
  type WecomBotOptions,
  createWecomBot,
  messageText,
} from '../../../src/transports/wecom/wecom';
import { describeEachEngine, resetDb } from '../../helpers/db';
import { captureLog } from '../../helpers/log';
import { ERR, type FakeWeCom, startFakeWeCom } from '../../helpers/fake-wecom';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('not really a chart, but a PNG signature'),
]);
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

let server: FakeWeCom;
const bots: WecomBot[] = [];

beforeEach(async () => {
  server = await startFakeWeCom();
});
afterEach(async () => {
  for (const b of bots.splice(0)) await b.stop();
  await server.close();
});

interface Made {
  bot: WecomBot;
  received: IncomingMessage[];
  states: TransportStateEvent[];
}

/** A transport on the fake server; `answer` stands in for the shared message path. */
function make(
  answer: (m: IncomingMessage) => Promise<Reply[]> = async (m) => [
    { kind: 'text', text: `echo ${m.text}` },
  ],
  o: Partial<WecomBotOptions> = {},
): Made {
  const received: IncomingMessage[] = [];
  const states: TransportStateEvent[] = [];
  const bot = createWecomBot({
    botId: server.botId,
    secret: server.secret,
    wsUrl: server.url,
    receive: async (m) => {
      received.push(m);
      // As the shared handler does for a bound person's chart command.
      if (m.text.startsWith('状态')) m.working?.();
      return answer(m);
    },
    queue: createOutgoingQueue({
      transport: 'wecom',
      perChatIntervalMs: 0,
      globalIntervalMs: 0,
      maxTextLength: 20_000,
      retries: 0,
      log: silentLogger,
    }),
    log: silentLogger,
    leases: null,
    leaseMs: 1000,
    maxInProgress: 3,
    heartbeatMs: 60_000,
    reconnectDelayMs: 20,
    onState: (e) => states.push(e),
    stopDrainMs: 2000,
    ...o,
  });
  bots.push(bot);
  return { bot, received, states };
}

async function online(bot: WecomBot): Promise<void> {
  await bot.start();
  await server.waitFor(() => bot.health().state === 'authenticated', 3000, 'authenticated');
}

const finished = (reqId: string) => () => server.replies(reqId).some((r) => r.finish === true);

describe('WeCom transport: messages in', () => {
  it('authenticates with the bot id and secret (aibot_subscribe) and reports its state', async () => {
    const { bot, states } = make();
    expect(bot.health().state).toBe('offline');
    await online(bot);
    const auth = server.framesOf('aibot_subscribe');
    expect(auth).toHaveLength(1);
    expect(auth[0].frame?.body).toEqual({ bot_id: server.botId, secret: server.secret });
    expect(states.map((s) => [s.transport, s.state])).toEqual([['wecom', 'online']]);
    expect(bot.health()).toMatchObject({ state: 'authenticated', queueLength: 0, restarts: 0 });
    expect(server.problems).toEqual([]);
  });

  it('answers a 1:1 text with one finished stream frame', async () => {
    const { bot, received } = make();
    await online(bot);
    const req = server.text({ from: 'zhangsan', content: '告警' });
    await server.waitFor(finished(req), 3000, 'answer');
    expect(server.replies(req)).toEqual([
      { id: expect.stringMatching(/^stream_/), finish: true, content: 'echo 告警' },
    ]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      text: '告警',
      from: { id: 'zhangsan', name: 'zhangsan', alias: null },
      room: null,
    });
    expect(bot.health().lastMessageAt).not.toBeNull();
  });

  it('answers a group @-mention in the room keyed by its chatid, the mention removed', async () => {
    const { bot, received } = make();
    await online(bot);
    const req = server.text({ from: 'lisi', content: '昨日 BJ01', chatId: 'wrkGROUP01' });
    await server.waitFor(finished(req), 3000, 'answer');
    expect(server.replies(req).at(-1)?.content).toBe('echo 昨日 BJ01');
    expect(received[0].room).toEqual({ id: 'wrkGROUP01', topic: 'wrkGROUP01' });
  });

  it('reads the text items of a mixed message and a voice transcript; other kinds get a short hint', async () => {
    const { bot, received } = make();
    await online(bot);
    const mixed = server.mixed({
      from: 'lisi',
      chatId: 'wrkGROUP01',
      items: [
        { msgtype: 'text', text: { content: '状态' } },
        { msgtype: 'image', image: { url: 'https://example.invalid/i.png', aeskey: 'k' } },
        { msgtype: 'text', text: { content: 'BJ01' } },
      ],
    });
    await server.waitFor(finished(mixed), 3000, 'mixed answer');
    expect(received.map((m) => m.text)).toEqual(['状态 BJ01']);
    expect(messageText({ msgtype: 'voice', voice: { content: '告警' } })).toBe('告警');
    expect(messageText({ msgtype: 'image' })).toBeNull();
    expect(messageText({ msgtype: 'text', text: { content: '@Sitewatch @王五  帮助' } })).toBe(
      '帮助',
    );
  });

  it('says "查询中…" at once when the answer may carry a chart, then the text and the PNG with its md5', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { bot } = make(async () => {
      await gate;
      return [
        { kind: 'text', text: '北京一号（BJ01）运行正常' },
        { kind: 'image', png: PNG, name: 'bj01.png', alt: '图' },
      ];
    });
    await online(bot);
    const req = server.text({ from: 'zhangsan', content: '状态 BJ01' });
    await server.waitFor(() => server.replies(req).length === 1, 3000, 'first frame');
    expect(server.replies(req)).toEqual([
      { id: expect.stringMatching(/^stream_/), finish: false, content: THINKING_TEXT },
    ]);
    release();
    await server.waitFor(finished(req), 3000, 'final frame');
    const [first, last] = server.replies(req);
    expect(last).toEqual({
      id: first.id,
      finish: true,
      content: '北京一号（BJ01）运行正常',
      msg_item: [{ msgtype: 'image', image: { base64: PNG.toString('base64'), md5: md5(PNG) } }],
    });
    expect(server.problems).toEqual([]);
  });

  it('still sends the text when WeCom refuses the images', async () => {
    const { bot } = make(async () => [
      { kind: 'text', text: '图表如下' },
      // Not a PNG: the fake refuses the msg_item as WeCom does.
      { kind: 'image', png: Buffer.from('GIF89a...'), name: 'x.png', alt: '图' },
    ]);
    await online(bot);
    const req = server.text({ from: 'zhangsan', content: '帮助' });
    await server.waitFor(finished(req), 3000, 'answer');
    expect(server.replies(req)).toEqual([
      { id: expect.any(String), finish: true, content: `图表如下\n${IMAGES_REFUSED_TEXT}` },
    ]);
  });

  it('answers a person in order, one message at a time, and tells a fourth in progress to wait', async () => {
    const gates: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const { bot, received } = make(async (m) => {
      running++;
      most = Math.max(most, running);
      await new Promise<void>((r) => gates.push(r));
      running--;
      return [{ kind: 'text', text: `answer ${m.text}` }];
    });
    await online(bot);
    const reqs = ['1', '2', '3', '4'].map((n) => server.text({ from: 'wangwu', content: `q${n}` }));
    // The fourth is refused at once, while the first three are still in progress.
    await server.waitFor(finished(reqs[3]), 3000, 'busy reply');
    expect(server.replies(reqs[3])).toEqual([
      { id: expect.any(String), finish: true, content: BUSY_TEXT },
    ]);
    expect(bot.health().queueLength).toBe(3);
    // Another person is not held up by wangwu's queue.
    const other = server.text({ from: 'zhaoliu', content: 'hello' });
    await server.waitFor(() => gates.length === 2, 3000, 'zhaoliu in progress');
    for (let i = 0; i < 4; i++) {
      await server.waitFor(() => gates.length > 0, 3000, `gate ${i}`);
      gates.shift()!();
    }
    await server.waitFor(finished(reqs[2]), 3000, 'third answer');
    await server.waitFor(finished(other), 3000, 'other answer');
    expect(received.filter((m) => m.from.id === 'wangwu').map((m) => m.text)).toEqual([
      'q1',
      'q2',
      'q3',
    ]);
    const finishes = server
      .framesOf('aibot_respond_msg')
      .map((f) => f.frame?.headers as { req_id: string })
      .map((h) => reqs.indexOf(h.req_id))
      .filter((i) => i >= 0 && i < 3);
    expect(finishes).toEqual([0, 1, 2]);
    // wangwu's three ran one after another; only zhaoliu's ran beside one of them.
    expect(most).toBe(2);
  });

  it('splits an answer over 20,480 bytes on line ends: the stream, then pushes in order', async () => {
    const line = '北京一号（BJ01）磁盘 /data 使用率 95%，请尽快清理。'; // 72 bytes
    const text = Array.from({ length: 600 }, (_, i) => `${i + 1}. ${line}`).join('\n');
    const { bot } = make(async () => [{ kind: 'text', text }]);
    await online(bot);
    const req = server.text({ from: 'zhangsan', content: '告警' });
    await server.waitFor(finished(req), 3000, 'stream');
    await server.waitFor(() => server.sent('zhangsan').length === 2, 5000, 'pushed rest');
    const stream = server.replies(req).at(-1)!.content!;
    const pushed = server
      .sent('zhangsan')
      .map((b) => (b as { markdown: { content: string } }).markdown.content);
    for (const part of [stream, ...pushed])
      expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(20_480);
    expect([stream, ...pushed].join('\n')).toBe(text);
    expect(stream.endsWith(line)).toBe(true);
    expect(server.problems).toEqual([]);
  });

  it('ignores a callback delivered twice (same msgid) and survives malformed and unknown frames', async () => {
    const { bot, received } = make();
    await online(bot);
    server.sendRaw('{not json');
    server.sendRaw(JSON.stringify({ cmd: 'aibot_unknown_cmd', headers: { req_id: 'x' } }));
    server.sendRaw(JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: 'y' } }));
    const req = server.text({ from: 'zhangsan', content: '帮助' });
    await server.waitFor(finished(req), 3000, 'answer');
    const cb = server.callback(req)!;
    server.sendRaw(
      JSON.stringify({ cmd: 'aibot_msg_callback', headers: { req_id: req }, body: cb.body }),
    );
    const again = server.text({ from: 'zhangsan', content: '告警' });
    await server.waitFor(finished(again), 3000, 'second answer');
    expect(received.map((m) => m.text)).toEqual(['帮助', '告警']);
    expect(bot.health().state).toBe('authenticated');
  });
});

describe('WeCom transport: pushes', () => {
  it('pushes markdown and an image (uploaded media) to a chat that talked to the robot', async () => {
    const { bot } = make(async () => [{ kind: 'text', text: 'ok' }], {
      chatSeen: async (id) => server.hasTalked(id),
    });
    await online(bot);
    const req = server.text({ from: 'lisi', content: '帮助', chatId: 'wrkGROUP01' });
    await server.waitFor(finished(req), 3000, 'answer');
    await bot.sendToRoom('wrkGROUP01', null, [
      { kind: 'text', text: '【告警】北京一号（BJ01）：新告警 1 条' },
      { kind: 'image', png: PNG, name: 'BJ01-alarms.png', alt: '告警图表' },
    ]);
    const sent = server.sent('wrkGROUP01');
    expect(sent).toHaveLength(2);
    expect(sent[0]).toEqual({
      chatid: 'wrkGROUP01',
      msgtype: 'markdown',
      markdown: { content: '【告警】北京一号（BJ01）：新告警 1 条' },
    });
    const mediaId = (sent[1] as { image: { media_id: string } }).image.media_id;
    expect(server.uploads.find((u) => u.mediaId === mediaId)?.bytes).toEqual(PNG);
    expect(server.problems).toEqual([]);
  });

  it('refuses a push to a chat that never talked, and to a user bound elsewhere, in words', async () => {
    const { bot } = make(undefined, {
      chatSeen: async (id) => server.hasTalked(id),
      contactOf: async (login) => (login === 'li.lei' ? 'lilei' : null),
    });
    await online(bot);
    await expect(bot.sendToRoom('wrkNEVER', null, [{ kind: 'text', text: 'x' }])).rejects.toThrow(
      'WeCom chat wrkNEVER has never talked to the WeCom robot, and WeCom lets a robot push only to chats that did: @-mention the robot there once.',
    );
    await expect(bot.sendToUser('han.meimei', [{ kind: 'text', text: 'x' }])).rejects.toThrow(
      'User han.meimei has not bound WeCom (绑定 in a chat with the robot).',
    );
    expect(server.framesOf('aibot_send_msg')).toHaveLength(0);
  });

  it('says which errcode WeCom answered when it refuses a push', async () => {
    const { bot } = make();
    await online(bot);
    await expect(bot.sendToRoom('wrkNEVER', null, [{ kind: 'text', text: 'x' }])).rejects.toThrow(
      `WeCom message to WeCom chat wrkNEVER not delivered: WeCom refused the text: errcode ${ERR.NOT_TALKED}`,
    );
  });

  it('fails fast with BOT_OFFLINE while not connected', async () => {
    const { bot } = make();
    await expect(
      bot.sendToRoom('wrkGROUP01', null, [{ kind: 'text', text: 'x' }]),
    ).rejects.toMatchObject({ code: 'BOT_OFFLINE' });
  });
});

describe('WeCom transport: connection', () => {
  it('reconnects after the server drops the connection, and answers again', async () => {
    const { bot, states } = make();
    await online(bot);
    expect(server.drop()).toBe(1);
    await server.waitFor(() => bot.health().state !== 'authenticated', 3000, 'noticed the drop');
    await server.waitFor(() => bot.health().state === 'authenticated', 5000, 'reconnected');
    expect(bot.health().restarts).toBeGreaterThanOrEqual(1);
    expect(states.map((s) => s.state)).toEqual(['online', 'offline', 'online']);
    const req = server.text({ from: 'zhangsan', content: '帮助' });
    await server.waitFor(finished(req), 3000, 'answer after reconnect');
    expect(server.framesOf('aibot_subscribe')).toHaveLength(2);
  });

  it('stays offline with a plain-words error when WeCom refuses the secret, never logging it', async () => {
    const { log, lines } = captureLog();
    const { bot } = make(undefined, { secret: 'wrong-secret-xyz', log });
    await bot.start();
    await server.waitFor(
      () => lines.some((l) => String(l.msg).startsWith('WeCom refused')),
      15_000,
      'auth given up',
    );
    expect(bot.health().state).toBe('offline');
    expect(JSON.stringify(lines)).not.toContain('wrong-secret-xyz');
    expect(server.authenticatedConnections()).toEqual([]);
  }, 20_000);

  it('goes offline when a newer connection of the robot kicks it, and does not fight back at once', async () => {
    const first = make();
    await online(first.bot);
    const second = make(undefined, { leaseMs: 60_000 });
    await online(second.bot);
    await server.waitFor(() => first.bot.health().state === 'offline', 3000, 'first kicked');
    expect(server.authenticatedConnections()).toHaveLength(1);
    const req = server.text({ from: 'zhangsan', content: '帮助' });
    await server.waitFor(finished(req), 3000, 'answered by the second');
    expect(first.received).toHaveLength(0);
    expect(second.received).toHaveLength(1);
  });
});

describeEachEngine('WeCom transport: one hub holds the connection', (db) => {
  beforeEach(() => resetDb(db()));

  it('connects only under the lease; the other hub stands by and takes over after a clean stop', async () => {
    const leasesA = createLeases({ ds: db().ds, owner: 'hub-a', ttlMs: 1000 });
    const leasesB = createLeases({ ds: db().ds, owner: 'hub-b', ttlMs: 1000 });
    const a = make(undefined, { leases: leasesA, leaseMs: 1000 });
    await online(a.bot);
    const b = make(undefined, { leases: leasesB, leaseMs: 1000 });
    await b.bot.start();
    expect(b.bot.health()).toMatchObject({ state: 'standby', holder: 'hub-a' });
    expect(server.openConnections()).toHaveLength(1);
    expect(await leasesA.holder(WECOM_LEASE)).toBe('hub-a');
    await a.bot.stop();
    await server.waitFor(() => b.bot.health().state === 'authenticated', 3000, 'takeover');
    expect(await leasesB.holder(WECOM_LEASE)).toBe('hub-b');
    expect(server.framesOf('aibot_subscribe').map((f) => f.conn)).toEqual([1, 2]);
  });
});

test('an unsupported message kind gets the short hint', async () => {
  const { bot, received } = make();
  await online(bot);
  const req = server.event({ from: 'zhangsan', eventtype: 'enter_chat' });
  const img = server.mixed({ from: 'zhangsan', items: [] });
  await server.waitFor(finished(img), 3000, 'hint');
  expect(server.replies(img).at(-1)?.content).toBe(UNSUPPORTED_TEXT);
  expect(server.replies(req)).toEqual([]);
  expect(received).toHaveLength(0);
});
