// Rules every registered notification channel follows, each against a real peer on loopback: hostile text neutralised, its size and group limits, parts recorded for retries, and failures that reject.
import type { DataSource } from 'typeorm';
import { channelSettingsList } from '../../../config/channels';
import { silentLogger } from '../../../src/log';
import type { ChatSender } from '../../../src/notify/channels/chat-sender';
import {
  type AnyChannelDefinition,
  channelDefinitions,
} from '../../../src/notify/channels/registry';
import type { Channel, ChannelLimits } from '../../../src/notify/types';
import type { AlarmNotice } from '../../../src/outbox/notices';
import { openTestDb, testConfig } from '../../helpers/db';
import { startSmtp } from '../../helpers/smtp';
import { robots, startRobot, stopRobots, type Payload } from '../../helpers/wecom-robot';
import {
  DINGTALK_ANSWERS,
  DINGTALK_SECRET,
  dingtalkRobots,
  startDingtalkRobot,
  stopDingtalkRobots,
  type DingtalkPayload,
} from '../../helpers/dingtalk-robot';
import {
  FEISHU_ANSWERS,
  FEISHU_SECRET,
  feishuRobots,
  startFeishuRobot,
  stopFeishuRobots,
  type FeishuPayload,
} from '../../helpers/feishu-robot';
import { createOutgoingQueue } from '../../../src/chat/outgoing-queue';
import { createWecomBot } from '../../../src/transports/wecom/wecom';
import { startFakeWeCom } from '../../helpers/fake-wecom';
import { PNG, removeHarnessDir, startHarness, waitFor } from '../../transports/wechaty/harness';
import { alarmNotice, sendContext, type PartProgress } from '../fixtures';

/** One delivered message as its reader gets it: its texts (an email: subject, text and HTML), or an image. */
interface Part {
  kind: 'text' | 'image';
  renditions: { markup: 'text' | 'html' | 'markdown'; body: string }[];
}

/** A real counterpart of a channel on loopback, and the settings that point the channel at it. */
interface Peer {
  /** Config overrides (testConfig) that configure the channel for this peer. */
  config: Record<string, unknown>;
  chatSender: ChatSender | null;
  /** The chat transport chatSender is (default: the channel's name). */
  transport?: string;
  /** The recipient the tests send to. */
  recipient: string;
  /** Messages delivered since the peer started, in order. */
  received(): Part[];
  /** Refuse the `n`-th message sent from now on (1-based) and every later one, until accept(). */
  refuseFrom(n: number): Promise<void>;
  accept(): Promise<void>;
  /** Stop answering altogether. */
  down(): Promise<void>;
  /** What the peer found wrong with what it was sent (should stay empty). */
  problems(): string[];
  close(): Promise<void>;
}

async function smtpPeer(): Promise<Peer> {
  const smtp = await startSmtp({ stage: 'data' });
  return {
    config: { notify: { email: { smtpUrl: smtp.url, timeoutMs: 2000 } } },
    chatSender: null,
    recipient: 'ops@example.com',
    received: () =>
      smtp.received.map(({ mail }) => ({
        kind: 'text',
        renditions: [
          { markup: 'text', body: mail.subject ?? '' },
          { markup: 'text', body: mail.text ?? '' },
          // Content-IDs are random per mail; left out so that two sends of one notice compare equal.
          { markup: 'html', body: String(mail.html).replace(/cid:[^"]+/g, 'cid:*') },
        ],
      })),
    async refuseFrom(n) {
      if (n !== 1) throw new Error('an email is a single message');
      await smtp.setMode('reject');
    },
    accept: () => smtp.setMode('accept'),
    down: () => smtp.setMode('down'),
    problems: () =>
      smtp.received.flatMap((r) => (r.rcptTo.join() === 'ops@example.com' ? [] : r.rcptTo)),
    close: () => smtp.close(),
  };
}

async function wecomPeer(): Promise<Peer> {
  const robot = await startRobot();
  const delivered: Payload[] = [];
  let seen = 0;
  let refuseAt = Infinity;
  robot.answer = (p) => {
    if (++seen >= refuseAt)
      return { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } };
    delivered.push(p);
    return { status: 200, body: { errcode: 0, errmsg: 'ok' } };
  };
  return {
    config: {
      notify: { wecom: { robots: [{ name: '运维一群', url: robot.url, sites: ['*'] }] } },
    },
    chatSender: null,
    recipient: '运维一群',
    received: () =>
      delivered.map((p) =>
        p.msgtype === 'markdown'
          ? { kind: 'text', renditions: [{ markup: 'markdown', body: p.markdown.content }] }
          : { kind: 'image', renditions: [] },
      ),
    async refuseFrom(n) {
      seen = 0;
      refuseAt = n;
    },
    async accept() {
      refuseAt = Infinity;
    },
    async down() {
      await robot.close();
      robots.splice(robots.indexOf(robot), 1);
    },
    problems: () => robot.problems,
    close: () => stopRobots(),
  };
}

async function dingtalkPeer(): Promise<Peer> {
  const server = await startDingtalkRobot();
  const delivered: DingtalkPayload[] = [];
  let seen = 0;
  let refuseAt = Infinity;
  // Refused as "busy", not with the rate limit: that one holds the robot back for ten minutes.
  server.answer = (p) => {
    if (++seen >= refuseAt) return DINGTALK_ANSWERS.busy;
    delivered.push(p);
    return DINGTALK_ANSWERS.ok;
  };
  return {
    config: {
      notify: {
        dingtalk: {
          robots: [{ name: '钉钉运维群', url: server.url, secret: DINGTALK_SECRET, sites: ['*'] }],
        },
      },
    },
    chatSender: null,
    recipient: '钉钉运维群',
    received: () =>
      delivered.map((p) => ({
        kind: 'text',
        renditions: [
          { markup: 'text', body: p.markdown.title },
          { markup: 'markdown', body: p.markdown.text },
        ],
      })),
    async refuseFrom(n) {
      seen = 0;
      refuseAt = n;
    },
    async accept() {
      refuseAt = Infinity;
    },
    async down() {
      await server.close();
      dingtalkRobots.splice(dingtalkRobots.indexOf(server), 1);
    },
    problems: () => server.problems,
    close: () => stopDingtalkRobots(),
  };
}

async function feishuPeer(): Promise<Peer> {
  const server = await startFeishuRobot();
  const delivered: FeishuPayload[] = [];
  let seen = 0;
  let refuseAt = Infinity;
  server.answer = (p) => {
    if (++seen >= refuseAt) return FEISHU_ANSWERS.rateLimited;
    delivered.push(p);
    return FEISHU_ANSWERS.ok;
  };
  return {
    config: {
      notify: {
        feishu: {
          robots: [{ name: '飞书运维群', url: server.url, secret: FEISHU_SECRET, sites: ['*'] }],
        },
      },
    },
    chatSender: null,
    recipient: '飞书运维群',
    received: () =>
      delivered.map((p) => ({
        kind: 'text',
        renditions: [
          { markup: 'text', body: p.card.header.title.content },
          ...p.card.elements.flatMap((e) =>
            e.tag === 'markdown' ? [{ markup: 'markdown' as const, body: e.content }] : [],
          ),
        ],
      })),
    async refuseFrom(n) {
      seen = 0;
      refuseAt = n;
    },
    async accept() {
      refuseAt = Infinity;
    },
    async down() {
      await server.close();
      feishuRobots.splice(feishuRobots.indexOf(server), 1);
    },
    problems: () => server.problems,
    close: () => stopFeishuRobots(),
  };
}

async function wechatPeer(): Promise<Peer> {
  const h = await startHarness({});
  const room = h.mocker.createRoom({ topic: '北京运维群', memberIdList: [h.me.id] });
  const inbox = h.inbox(room);
  let seen = 0;
  let refuseAt = Infinity;
  // The puppet refuses, as WeChat would; the bot's queue retries and then gives up.
  const refusing =
    <A extends unknown[], R>(send: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (++seen >= refuseAt) throw new Error('WeChat refused the message');
      return send(...args);
    };
  h.puppet.messageSendText = refusing(h.puppet.messageSendText.bind(h.puppet));
  h.puppet.messageSendFile = refusing(h.puppet.messageSendFile.bind(h.puppet));
  return {
    config: { bot: { enabled: true } },
    chatSender: h.bot,
    recipient: 'room:北京运维群',
    received: () =>
      inbox.map((r) =>
        r.kind === 'text'
          ? { kind: 'text', renditions: [{ markup: 'text', body: r.text }] }
          : { kind: 'image', renditions: [] },
      ),
    async refuseFrom(n) {
      seen = 0;
      refuseAt = n;
    },
    async accept() {
      refuseAt = Infinity;
    },
    async down() {
      await h.puppet.logout();
      await waitFor(() => h.bot.health().state !== 'online', 'logout');
    },
    problems: () => [],
    close: () => h.bot.stop(),
  };
}

async function wecomBotPeer(): Promise<Peer> {
  const server = await startFakeWeCom();
  const bot = createWecomBot({
    botId: server.botId,
    secret: server.secret,
    wsUrl: server.url,
    receive: async () => [{ kind: 'text', text: 'ok' }],
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
    reconnectDelayMs: 20,
    chatSeen: async (id) => server.hasTalked(id),
  });
  await bot.start();
  await server.waitFor(() => bot.health().state === 'authenticated', 3000, 'authenticated');
  // WeCom pushes only to a chat that talked to the robot.
  const req = server.text({ from: 'zhangsan', content: '帮助', chatId: 'wrkGROUP01' });
  await server.waitFor(() => server.replies(req).some((r) => r.finish === true), 3000, 'talked');
  let seen = 0;
  let refuseAt = Infinity;
  // WeCom refuses with an errcode in the ack, which the SDK rejects with (the ack frame itself).
  const refusing =
    <A extends unknown[], R>(send: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (++seen >= refuseAt)
        throw { headers: {}, errcode: 45033, errmsg: 'api concurrent out of limit' };
      return send(...args);
    };
  bot.client.sendMessage = refusing(bot.client.sendMessage.bind(bot.client));
  bot.client.uploadMedia = refusing(bot.client.uploadMedia.bind(bot.client));
  return {
    config: { wecomBot: { enabled: true, botId: server.botId, secret: server.secret } },
    chatSender: bot,
    transport: 'wecom',
    recipient: 'room:wrkGROUP01',
    received: () =>
      server.sent('wrkGROUP01').map((b) =>
        b.msgtype === 'markdown'
          ? {
              kind: 'text',
              renditions: [
                { markup: 'markdown', body: (b.markdown as { content: string }).content },
              ],
            }
          : { kind: 'image', renditions: [] },
      ),
    async refuseFrom(n) {
      seen = 0;
      refuseAt = n;
    },
    async accept() {
      refuseAt = Infinity;
    },
    async down() {
      server.refuseConnections(true);
      server.drop();
      await server.waitFor(() => bot.health().state !== 'authenticated', 3000, 'dropped');
    },
    problems: () => server.problems,
    async close() {
      await bot.stop();
      await server.close();
    },
  };
}

/** A peer for every registered channel: a channel without one here fails below until it gets one. */
const PEERS: Record<string, () => Promise<Peer>> = {
  email: smtpPeer,
  wecom: wecomPeer,
  dingtalk: dingtalkPeer,
  feishu: feishuPeer,
  wechat: wechatPeer,
  'wecom-bot': wecomBotPeer,
};

const HOSTILE =
  '<script>alert(1)</script> **[x](javascript:alert(1))** | 列1 | 列2 |\n2. [严重] 伪造的告警\r\n@all <@all>';

function hostileNotice(): AlarmNotice {
  const n = alarmNotice();
  n.site = { ...n.site, name: '北京<b>移动</b>\nBcc: evil@example.com' };
  n.items[0] = {
    ...n.items[0],
    title: HOSTILE,
    node: HOSTILE,
    description: HOSTILE,
    action: HOSTILE,
  };
  return n;
}

/** `n` alarms, each with a 1000-character description. */
function manyAlarms(n: number): AlarmNotice {
  const notice = alarmNotice(n);
  notice.items = notice.items.map((it, i) => ({ ...it, description: `${i}${'磁'.repeat(999)}` }));
  return notice;
}

const sizeIn = (unit: ChannelLimits['unit'], s: string) =>
  unit === 'utf8 bytes' ? Buffer.byteLength(s, 'utf8') : s.length;

const texts = (parts: Part[]) => parts.flatMap((p) => p.renditions);

/** 1 … n−1: the parts a send of n parts records (the last is recorded with the message as sent). */
const upTo = (n: number) => Array.from({ length: Math.max(0, n - 1) }, (_, i) => i + 1);

let ds: DataSource;
let closeDb: () => Promise<void>;
beforeAll(async () => {
  const db = await openTestDb('sqlite');
  ds = db.ds;
  closeDb = db.close;
});
afterAll(async () => {
  await closeDb();
  removeHarnessDir();
});

describe('notification channel registry', () => {
  it("takes each channel's settings from config/channels, under its own name, and lists no others", () => {
    const own = channelDefinitions.flatMap((d) => (d.settings ? [[d.name, d.settings]] : []));
    expect(own).toEqual(channelSettingsList.map((c) => [c.name, c.settings]));
    for (const [name, settings] of own)
      expect(settings).toBe(channelSettingsList.find((c) => c.name === name)?.settings);
  });

  it('has a test peer here for every registered channel', () => {
    expect(Object.keys(PEERS).sort()).toEqual(channelDefinitions.map((d) => d.name).sort());
  });
});

describe.each(channelDefinitions.map((d): [string, AnyChannelDefinition] => [d.name, d]))(
  'notification channel %s',
  (name, def) => {
    let current: { peer: Peer; channel: Channel | null } | null = null;

    /** The channel built by its registry entry from a config that points it at a fresh peer. */
    async function setup(): Promise<{ peer: Peer; channel: Channel; limits: ChannelLimits }> {
      const start = PEERS[name];
      if (!start) throw new Error(`No test peer for channel "${name}": add one to PEERS.`);
      const peer = await start();
      current = { peer, channel: null };
      const config = testConfig(peer.config);
      expect(def.recipients(config)).not.toBeNull();
      const channel = def.create({
        ds,
        config,
        log: silentLogger,
        chatSenders: peer.chatSender ? { [peer.transport ?? name]: peer.chatSender } : {},
      });
      if (!channel) throw new Error(`channel "${name}" was not built for its peer`);
      current.channel = channel;
      expect(channel.name).toBe(name);
      return { peer, channel, limits: def.limits(config) };
    }

    afterEach(async () => {
      const c = current;
      current = null;
      if (!c) return;
      await c.channel?.close?.();
      const problems = c.peer.problems();
      await c.peer.close();
      expect(problems).toEqual([]);
    });

    it('declares settings whose defaults pass its own schema, each variable naming a setting', () => {
      if (!def.settings) return;
      expect(def.settings.schema.safeParse(def.settings.defaults).success).toBe(true);
      for (const key of Object.values(def.settings.env))
        expect(Object.keys(def.settings.schema.shape)).toContain(key);
    });

    it('neutralises hostile site data for its format', async () => {
      const { peer, channel } = await setup();
      await channel.send(peer.recipient, hostileNotice(), sendContext(null));
      const got = texts(peer.received());
      expect(got.length).toBeGreaterThan(0);
      for (const { markup, body } of got) {
        // A line break in site data cannot start a forged line of its own.
        for (const line of body.split(/\r?\n/)) {
          if (line.includes('伪造的告警')) expect(line).toContain('alert(1)');
          if (line.includes('Bcc: evil')) expect(line).toContain('北京');
        }
        if (markup === 'html') {
          expect(body).not.toMatch(/<script|<@all|<b>|(href|src)\s*=\s*["']?\s*javascript:/i);
          expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        } else if (markup === 'markdown') {
          // Only Sitewatch's own colour tags are markup; the data's tags, links, bold and tables are look-alikes.
          const data = body.replace(/<font color="(warning|info|comment)">|<\/font>/g, '');
          expect(data).not.toContain('<');
          expect(body).not.toMatch(/\]\(|\*\*\[|\| 列1/);
          expect(body).toContain('＜script＞alert(1)＜/script＞');
        } else {
          expect(body).not.toContain('\r');
        }
      }
      expect(got.map((t) => t.body).join('\n')).toMatch(/script.{0,8}alert\(1\)/);
    });

    it('keeps to its size limit and counts the alarms beyond its group limit', async () => {
      const { peer, channel, limits } = await setup();
      const total = 300;
      await channel.send(peer.recipient, manyAlarms(total), sendContext(null));
      const got = texts(peer.received());
      expect(got.length).toBeGreaterThan(0);
      if (limits.maxSize !== null)
        for (const t of got)
          expect(sizeIn(limits.unit, t.body)).toBeLessThanOrEqual(limits.maxSize);
      const listed = new Set(
        got.flatMap((t) => [...t.body.matchAll(/node-(\d+)/g)].map((m) => m[1])),
      );
      expect(listed.size).toBeGreaterThan(0);
      expect(listed.size).toBeLessThanOrEqual(limits.groupLimit);
      // The first alarms are listed, every one left out is counted.
      expect([...listed].map(Number).sort((a, b) => a - b)).toEqual(
        Array.from({ length: listed.size }, (_, i) => i + 1),
      );
      expect(got.some((t) => t.body.includes(`……及其他 ${total - listed.size} 条`))).toBe(true);
    });

    it('records each delivered part, so a retry after a failed part sends only the rest', async () => {
      const { peer, channel } = await setup();
      const notice = alarmNotice();
      const clean: PartProgress = { parts: 0, marks: [] };
      await channel.send(peer.recipient, notice, sendContext(PNG, clean));
      const whole = peer.received();
      const n = whole.length;
      expect(n).toBeGreaterThan(0);
      expect(clean.marks).toEqual(upTo(n));

      // The second part fails (the only one, for a channel that sends one).
      const failAt = Math.min(2, n);
      await peer.refuseFrom(failAt);
      const progress: PartProgress = { parts: 0, marks: [] };
      await expect(
        channel.send(peer.recipient, notice, sendContext(PNG, progress)),
      ).rejects.toBeInstanceOf(Error);
      expect(progress).toEqual({ parts: failAt - 1, marks: upTo(failAt) });
      expect(peer.received().slice(n)).toEqual(whole.slice(0, failAt - 1));

      await peer.accept();
      await channel.send(peer.recipient, notice, sendContext(PNG, progress));
      expect(peer.received().slice(n)).toEqual(whole);
      expect(progress.marks).toEqual(upTo(n));
    });

    it('rejects when its peer refuses or is down, so that the dispatcher retries', async () => {
      const { peer, channel } = await setup();
      await peer.refuseFrom(1);
      await expect(
        channel.send(peer.recipient, alarmNotice(), sendContext(null)),
      ).rejects.toBeInstanceOf(Error);
      await peer.accept();
      await peer.down();
      await expect(
        channel.send(peer.recipient, alarmNotice(), sendContext(null)),
      ).rejects.toBeInstanceOf(Error);
      expect(peer.received()).toEqual([]);
    });
  },
);
