// A chart-option reply (kind 'chart', made for the portal) reaching a chat transport anyway: every transport and the outgoing queue send its alt text, never drop it or fail.
import { sendable } from '../../commands/reply';
import type { Reply } from '../../commands/types';
import { createOutgoingQueue } from '../../src/chat/outgoing-queue';
import { silentLogger } from '../../src/log';
import { createConsoleTransport } from '../../src/transports/console/console';
import { type WecomBot, createWecomBot } from '../../src/transports/wecom/wecom';
import { type FakeWeCom, startFakeWeCom } from '../helpers/fake-wecom';
import { removeHarnessDir, startHarness, waitFor } from '../transports/wechaty/harness';

const CHART: Reply = {
  kind: 'chart',
  option: { title: { text: 'BJ01 · 服务器概览' }, series: [] },
  name: 'status-BJ01',
  alt: '北京一号 服务器概览（CPU/内存/磁盘）',
};
const TEXT: Reply = { kind: 'text', text: '北京一号（BJ01）状态' };

afterAll(() => removeHarnessDir());

describe('sendable', () => {
  it('turns a chart option into its alt text and leaves text and images alone', () => {
    expect(sendable(CHART)).toEqual({ kind: 'text', text: '北京一号 服务器概览（CPU/内存/磁盘）' });
    expect(sendable(TEXT)).toBe(TEXT);
    const image: Reply = { kind: 'image', png: Buffer.from([1]), name: 'a.png', alt: 'a' };
    expect(sendable(image)).toBe(image);
  });
});

describe('a chart-option reply in the chat transports', () => {
  it('the outgoing queue delivers it as its alt text', async () => {
    const q = createOutgoingQueue({ perChatIntervalMs: 0, globalIntervalMs: 0, log: silentLogger });
    const got: Reply[] = [];
    await q.send('c1', async (part) => void got.push(part), CHART);
    expect(got).toEqual([{ kind: 'text', text: '北京一号 服务器概览（CPU/内存/磁盘）' }]);
  });

  it('the console prints its alt text', async () => {
    const out: string[] = [];
    const c = createConsoleTransport({
      login: 'li',
      receive: async () => [TEXT, CHART],
      write: (s) => out.push(s),
    });
    await c.start();
    await c.say('状态 BJ01');
    await c.sendToUser('li', [CHART]);
    expect(out).toEqual([
      '北京一号（BJ01）状态\n',
      '北京一号 服务器概览（CPU/内存/磁盘）\n',
      '北京一号 服务器概览（CPU/内存/磁盘）\n',
    ]);
  });

  it('WeChat sends its alt text as a message', async () => {
    const h = await startHarness({ handle: async () => [TEXT, CHART] });
    try {
      const alice = h.mocker.createContact({ name: 'Alice' });
      const got = h.inbox(alice);
      alice.say('状态 BJ01').to(h.me);
      await waitFor(() => got.length === 2, 'two replies');
      expect(got.map((g) => [g.kind, g.text])).toEqual([
        ['text', '北京一号（BJ01）状态'],
        ['text', '北京一号 服务器概览（CPU/内存/磁盘）'],
      ]);
    } finally {
      await h.bot.stop();
    }
  });

  describe('WeCom', () => {
    let server: FakeWeCom;
    let bot: WecomBot | undefined;
    beforeEach(async () => {
      server = await startFakeWeCom();
    });
    afterEach(async () => {
      await bot?.stop();
      await server.close();
    });

    it('puts its alt text in the stream reply and in a push', async () => {
      bot = createWecomBot({
        botId: server.botId,
        secret: server.secret,
        wsUrl: server.url,
        receive: async () => [TEXT, CHART],
        queue: createOutgoingQueue({
          transport: 'wecom',
          perChatIntervalMs: 0,
          globalIntervalMs: 0,
          retries: 0,
          log: silentLogger,
        }),
        log: silentLogger,
        leases: null,
        leaseMs: 1000,
        maxInProgress: 3,
        heartbeatMs: 60_000,
        reconnectDelayMs: 20,
        stopDrainMs: 2000,
        chatSeen: async (id) => server.hasTalked(id),
      });
      await bot.start();
      await server.waitFor(() => bot!.health().state === 'authenticated', 3000, 'authenticated');
      const req = server.text({ from: 'lisi', content: '状态 BJ01', chatId: 'wrkGROUP01' });
      await server.waitFor(
        () => server.replies(req).some((r) => r.finish === true),
        3000,
        'answer',
      );
      expect(server.replies(req).at(-1)).toEqual({
        id: expect.stringMatching(/^stream_/),
        finish: true,
        content: '北京一号（BJ01）状态\n\n北京一号 服务器概览（CPU/内存/磁盘）',
      });
      await bot.sendToRoom('wrkGROUP01', null, [CHART]);
      expect(server.sent('wrkGROUP01')).toEqual([
        {
          chatid: 'wrkGROUP01',
          msgtype: 'markdown',
          markdown: { content: '北京一号 服务器概览（CPU/内存/磁盘）' },
        },
      ]);
      expect(server.problems).toEqual([]);
    });
  });
});
