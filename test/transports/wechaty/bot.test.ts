// The WeChat bot on a real Wechaty with wechaty-puppet-mock: replies, rooms, rate limit, errors, re-login, stop.
import { join } from 'node:path';
import { FileBox } from 'file-box';
import { log as wechatyLog } from 'wechaty';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { Reply, RoomContext } from '../../../commands/types';
import { WechatBinding } from '../../../entities';
import { addUser } from '../../../src/admin/users';
import { SitewatchError } from '../../../src/errors';
import { createLogger, silentLogger } from '../../../src/log';
import type { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { bindContact } from '../../../src/admin/chat-bindings';
import { dbResolvers } from '../../../src/chat/directory';
import { createChatInbox } from '../../../src/chat/inbox';
import { createOutgoingQueue } from '../../../src/chat/outgoing-queue';
import {
  createWechatBot,
  DEFAULT_PUPPET,
  loadPuppet,
  type BotStateEvent,
} from '../../../src/transports/wechaty/bot';
import { describeEachEngine, resetDb } from '../../helpers/db';

import {
  AliasKeepingPuppetMock,
  PER_CHAT_MS,
  PNG,
  TOL,
  echo,
  harnessDir,
  removeHarnessDir,
  startHarness,
  waitFor,
  type Harness,
} from './harness';

afterAll(() => removeHarnessDir());

const echoInbox = createChatInbox({
  transport: 'wechat',
  handle: echo,
  resolveCaller: async () => null,
  resolveRoom: async () => null,
});

describe('wechat bot (wechaty-puppet-mock)', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.bot.stop();
    h = undefined;
  });

  it('answers a contact with text and with an image whose bytes are the PNG', async () => {
    h = await startHarness({});
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say('你好').to(h.me);
    await waitFor(() => got.length === 1, 'text reply');
    expect(got[0]).toMatchObject({ kind: 'text', text: 'echo 你好' });
    alice.say('图').to(h.me);
    await waitFor(() => got.length === 2, 'image reply');
    expect(got[1].kind).toBe('image');
    expect(Buffer.from(got[1].base64 ?? '', 'base64').equals(PNG)).toBe(true);
    const health = h.bot.health();
    expect(health).toMatchObject({ state: 'online', restarts: 0, queueLength: 0 });
    expect(health.lastMessageAt).toEqual(expect.any(Number));
  });

  it('ignores non-text messages and its own messages', async () => {
    const seen: string[] = [];
    h = await startHarness({
      handle: async (t) => {
        seen.push(t);
        return [{ kind: 'text', text: `echo ${t}` }];
      },
    });
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say(FileBox.fromBase64(PNG.toString('base64'), 'photo.png')).to(h.me);
    alice.say('one').to(h.me);
    await waitFor(() => got.length === 1, 'reply');
    await new Promise((r) => setTimeout(r, PER_CHAT_MS + 50));
    // the bot's own "echo one" came back as a message event and was not answered
    expect(seen).toEqual(['one']);
    expect(got.map((g) => g.text)).toEqual(['echo one']);
  });

  it('logs a repeated puppet error once, with a count when it changes', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger(
      'error',
      new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }),
    );
    h = await startHarness({ log });
    const emitter = h.bot.wechaty as unknown as EventEmitter;
    for (let i = 0; i < 5; i++)
      emitter.emit('error', new Error('getaddrinfo ENOTFOUND login.wx.qq.com'));
    emitter.emit('error', new Error('other failure'));
    const errors = lines.filter((l) => String(l.msg).startsWith('wechat error'));
    expect(errors.map((l) => [l.msg, l.err, l.repeated])).toEqual([
      ['wechat error', 'getaddrinfo ENOTFOUND login.wx.qq.com', undefined],
      ['wechat error repeated', 'getaddrinfo ENOTFOUND login.wx.qq.com', 4],
      ['wechat error', 'other failure', undefined],
    ]);
  });

  it('in a room answers only when mentioned or prefixed', async () => {
    h = await startHarness({ prefix: '/' });
    const alice = h.mocker.createContact({ name: 'Alice' });
    const room = h.mocker.createRoom({ topic: '运维群', memberIdList: [h.me.id, alice.id] });
    const got = h.inbox(room);
    alice.say('just chatting').to(room);
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual([]);
    alice.say('@Sitewatch 状态', [h.me]).to(room);
    await waitFor(() => got.length === 1, 'mention reply');
    expect(got[0].text).toBe('echo 状态');
    alice.say('/ping').to(room);
    await waitFor(() => got.length === 2, 'prefix reply');
    expect(got[1].text).toBe('echo ping');
  });

  it('passes the room and its topic to the handler', async () => {
    const calls: { room: RoomContext | null; topic: string | null }[] = [];
    h = await startHarness({
      handle: async (_t, _c, room, meta) => {
        calls.push({ room, topic: meta.roomTopic });
        return [];
      },
      resolveRoom: async (r) => ({ ...r, transport: 'wechat', siteIds: [7] }),
    });
    const alice = h.mocker.createContact({ name: 'Alice' });
    const room = h.mocker.createRoom({ topic: 'ops', memberIdList: [h.me.id, alice.id] });
    alice.say('@Sitewatch hi', [h.me]).to(room);
    await waitFor(() => calls.length === 1, 'handler call');
    expect(calls[0]).toEqual({
      room: { transport: 'wechat', id: room.id, topic: 'ops', siteIds: [7] },
      topic: 'ops',
    });
  });

  it('spaces the replies to a burst of 3 messages by the per-chat rate limit, in order', async () => {
    h = await startHarness({});
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    for (const t of ['a', 'b', 'c']) alice.say(t).to(h.me);
    await waitFor(() => got.length === 3, 'three replies');
    expect(got.map((g) => g.text)).toEqual(['echo a', 'echo b', 'echo c']);
    for (const i of [1, 2]) {
      const gap = got[i].at - got[i - 1].at;
      expect(gap).toBeGreaterThanOrEqual(PER_CHAT_MS - 5);
      expect(gap).toBeLessThan(PER_CHAT_MS + TOL);
    }
  });

  it('replies politely when the handler throws, and keeps working', async () => {
    h = await startHarness({});
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say('boom').to(h.me);
    await waitFor(() => got.length === 1, 'error reply');
    expect(got[0].text).toMatch(/抱歉/);
    expect(got[0].text).not.toMatch(/exploded|Error/);
    alice.say('still there?').to(h.me);
    await waitFor(() => got.length === 2, 'next reply');
    expect(got[1].text).toBe('echo still there?');
  });

  it('shows the QR code while scanning', async () => {
    h = await startHarness({ login: false });
    expect(h.bot.health().state).toBe('starting');
    h.mocker.scan('https://login.weixin.qq.com/l/abc');
    await waitFor(() => h?.bot.health().state === 'scanning', 'scanning');
    expect(h.bot.health().qrUrl).toMatch(/^https?:\/\/.+abc/);
    await waitFor(() => (h?.qr.join('') ?? '').length > 100, 'QR drawing');
    h.mocker.login(h.me);
    await waitFor(() => h?.bot.health().state === 'online', 'login');
    expect(h.bot.health().qrUrl).toBeUndefined();
  });

  it('constructs the default wechat4u puppet without connecting', () => {
    expect(DEFAULT_PUPPET).toBe('wechaty-puppet-wechat4u');
    const puppet = loadPuppet(DEFAULT_PUPPET);
    expect(puppet.name()).toMatch(/wechat4u/);
    const bot = createWechatBot({
      name: join(harnessDir(), 'never-started'),
      receive: echoInbox,
      queue: createOutgoingQueue({ log: silentLogger }),
      log: silentLogger,
    });
    expect(bot.health()).toEqual({
      state: 'starting',
      lastMessageAt: null,
      queueLength: 0,
      restarts: 0,
    });
    expect(() => loadPuppet('node:path')).toThrow(/not a Wechaty puppet/);
  });

  it('backs off exponentially while the session stays lost', async () => {
    h = await startHarness({});
    const t0 = Date.now();
    const at: number[] = [];
    void h.puppet.logout();
    for (const k of [1, 2, 3]) {
      await waitFor(() => h?.bot.health().restarts === k, `restart ${k}`);
      at.push(Date.now() - t0);
      await waitFor(() => h?.puppet.state.active() === true, 'puppet running');
      // still not logged in: a puppet error means the session is gone
      if (k < 3) h.puppet.emit('error', { data: 'connection lost' });
    }
    // delays 20, 40, 80 ms (restartDelayMs 20), doubling until a login
    expect(at[0]).toBeGreaterThanOrEqual(20 - 5);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(40 - 5);
    expect(at[1] - at[0]).toBeLessThan(40 + TOL);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(80 - 5);
    expect(at[2] - at[1]).toBeLessThan(80 + TOL);
    h.mocker.login(h.me);
    await waitFor(() => h?.bot.health().state === 'online', 'login after restarts');
  });

  it('restarts when the puppet fails to start (Wechaty itself waits 5 s first)', async () => {
    let failStarts = 0;
    class FlakyPuppetMock extends AliasKeepingPuppetMock {
      override async onStart(): Promise<void> {
        if (failStarts > 0) {
          failStarts--;
          throw new Error('cannot reach WeChat');
        }
        return super.onStart();
      }
    }
    const mocker = new mock.Mocker();
    const puppet = new FlakyPuppetMock({ mocker });
    failStarts = 1;
    const bot = createWechatBot({
      name: join(harnessDir(), 'flaky'),
      puppet,
      receive: echoInbox,
      queue: createOutgoingQueue({ log: silentLogger }),
      log: silentLogger,
      qrOut: null,
      restartDelayMs: 20,
    });
    // Wechaty's own logger warns at length about the failed start; that is expected here.
    const level = wechatyLog.level();
    wechatyLog.level('silent');
    try {
      await bot.start();
      expect(bot.health()).toMatchObject({ state: 'offline', restarts: 0 });
      await waitFor(() => bot.health().restarts === 1, 'restart');
      await waitFor(() => puppet.state.active() === true, 'puppet running');
      mocker.login(mocker.createContact({ name: 'Sitewatch' }));
      await waitFor(() => bot.health().state === 'online', 'login after restart');
    } finally {
      await bot.stop();
      wechatyLog.level(level);
    }
  }, 20_000);

  it('stop() on a bot that never started returns cleanly', async () => {
    const bot = createWechatBot({
      name: join(harnessDir(), 'never-started-2'),
      puppet: new PuppetMock(),
      receive: echoInbox,
      queue: createOutgoingQueue({ log: silentLogger }),
      log: silentLogger,
    });
    await bot.stop();
    expect(bot.health().state).toBe('offline');
  });

  it('says once per outage, in words, that the login server is unreachable, when it tries next, and when it is back', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger(
      'debug',
      new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }),
    );
    h = await startHarness({ log, login: false });
    const loginFails = async (k: number) => {
      await waitFor(() => h?.puppet.state.active() === true, 'puppet running');
      h!.puppet.emit('error', { data: 'getaddrinfo ENOTFOUND login.wx.qq.com' });
      await waitFor(() => h?.bot.health().restarts === k, `restart ${k}`);
    };
    for (const k of [1, 2, 3]) await loginFails(k);
    await waitFor(() => h?.puppet.state.active() === true, 'puppet running');
    h.mocker.scan('qr-once-reachable');
    await waitFor(() => h?.bot.health().state === 'scanning', 'scanning');
    // A new outage is said again (the backoff goes on until a login).
    await loginFails(4);
    const said = lines.filter(
      (l) => Number(l.level) >= 30 && String(l.msg).includes('login server'),
    );
    expect(said.map((l) => l.msg)).toEqual([
      expect.stringMatching(
        /^WeChat login server unreachable \(login\.wx\.qq\.com: ENOTFOUND\); next attempt at \d\d:\d\d:\d\d \(in 20 ms\)$/,
      ),
      expect.stringMatching(
        /^WeChat login server reachable again \(login\.wx\.qq\.com, after \d+ ms\)$/,
      ),
      expect.stringMatching(/^WeChat login server unreachable .* \(in 160 ms\)$/),
    ]);
    expect(said.map((l) => l.level)).toEqual([40, 30, 40]);
    expect(said[0]).toMatchObject({ host: 'login.wx.qq.com', code: 'ENOTFOUND', delayMs: 20 });
    // Nor is the error itself, or each restart, said once the outage is.
    expect(lines.filter((l) => /^wechat (error|bot restarting)/.test(String(l.msg)))).toEqual([]);
    expect(lines.filter((l) => l.msg === 'wechat login server still unreachable')).toHaveLength(2);
  });

  it('restarts after a puppet error without a session, not after one while online', async () => {
    h = await startHarness({});
    h.puppet.emit('error', { data: 'a single call failed' });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.bot.health()).toMatchObject({ state: 'online', restarts: 0 });
    await h.puppet.logout();
    await waitFor(() => h?.bot.health().restarts === 1, 'restart after logout');
    await waitFor(() => h?.puppet.state.active() === true, 'puppet started again');
    h.mocker.scan('qr-after-restart');
    await waitFor(() => h?.bot.health().state === 'scanning', 'scanning');
    h.puppet.emit('error', { data: 'connection lost' });
    await waitFor(() => h?.bot.health().restarts === 2, 'restart after error');
    await waitFor(() => h?.puppet.state.active() === true, 'puppet started again');
    h.mocker.login(h.me);
    await waitFor(() => h?.bot.health().state === 'online', 'online again');
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say('back?').to(h.me);
    await waitFor(() => got.length === 1, 'reply after restarts');
    expect(got[0].text).toBe('echo back?');
  });
});

describeEachEngine('wechat bot bindings across logins', (db) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.bot.stop();
    h = undefined;
  });
  beforeEach(async () => {
    await resetDb(db());
  });

  it('binds a contact, and after logout and a new login with new ids finds it by alias', async () => {
    const li = await addUser(db().ds, { login: 'li.lei', password: 'correct horse' });
    const resolvers = dbResolvers(db().ds, 'wechat');
    const bound: string[] = [];
    h = await startHarness({
      ...resolvers,
      handle: async (text, caller, _room, meta) => {
        if (text === 'bind') {
          const { alias } = await bindContact(db().ds, li.id, {
            transport: meta.transport,
            id: meta.contactId,
            name: meta.contactName,
          });
          await meta.setAlias(alias);
          bound.push(alias);
          return [{ kind: 'text', text: `bound ${alias}` }];
        }
        return [{ kind: 'text', text: `hello ${caller?.login ?? 'stranger'}` }];
      },
    });
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say('who').to(h.me);
    await waitFor(() => got.length === 1, 'first reply');
    expect(got[0].text).toBe('hello stranger');
    alice.say('bind').to(h.me);
    await waitFor(() => got.length === 2, 'bind reply');
    expect(got[1].text).toBe('bound sw-li.lei');
    expect(h.mocker.contactPayload(alice.id).alias).toBe('sw-li.lei');

    await h.puppet.logout();
    await waitFor(() => (h?.bot.health().restarts ?? 0) >= 1, 'restart');
    await waitFor(
      () => h?.bot.health().state === 'starting' && h.puppet.state.active(),
      'restarted',
    );

    // A new session: every contact has a new id; WeChat kept the alias.
    const me2 = h.mocker.createContact({ name: 'Sitewatch' });
    const alice2 = h.mocker.createContact({ name: 'Alice', alias: 'sw-li.lei' });
    const got2 = h.inbox(alice2);
    h.mocker.login(me2);
    await waitFor(() => h?.bot.health().state === 'online', 'login again');
    alice2.say('who').to(me2);
    await waitFor(() => got2.length === 1, 'reply after re-login');
    expect(got2[0].text).toBe('hello li.lei');
    const row = await db().ds.getRepository(WechatBinding).findOneByOrFail({ userId: li.id });
    expect(row.contactId).toBe(alice2.id);
    expect(bound).toEqual(['sw-li.lei']);
  });
});

describe('wechat bot pushes and login state events', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.bot.stop();
    h = undefined;
  });

  it('reports scan (with the QR URL), login and logout to onState, not the stop', async () => {
    const events: BotStateEvent[] = [];
    h = await startHarness({ login: false, onState: (e) => events.push(e) });
    const t0 = Date.now();
    h.mocker.scan('https://login.weixin.qq.com/l/abc');
    await waitFor(() => events.length === 1, 'scan event');
    expect(events[0]).toEqual({
      state: 'scanning',
      qrUrl: h.bot.health().qrUrl,
      at: expect.any(Number),
    });
    expect(events[0].qrUrl).toMatch(/^https?:\/\/.+abc/);
    expect(events[0].at).toBeGreaterThanOrEqual(t0);
    h.mocker.login(h.me);
    await waitFor(() => events.length === 2, 'login event');
    expect(events[1]).toMatchObject({ state: 'online', qrUrl: null });
    await h.puppet.logout();
    await waitFor(() => events.length === 3, 'logout event');
    expect(events[2]).toMatchObject({ state: 'offline', qrUrl: null });
    // the restart's own stop does not report a second logout
    await waitFor(() => h?.bot.health().restarts === 1 && h.puppet.state.active(), 'restarted');
    h.mocker.login(h.me);
    await waitFor(() => events.length === 4, 'login again');
    await h.bot.stop();
    h = undefined;
    expect(events.map((e) => e.state)).toEqual(['scanning', 'online', 'offline', 'online']);
  });

  it('keeps working when the state listener throws, and logs it', async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger(
      'error',
      new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }),
    );
    h = await startHarness({
      log,
      onState: () => {
        throw new Error('listener broke');
      },
    });
    expect(h.bot.health().state).toBe('online');
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'wechat state listener failed',
        err: 'listener broke',
        state: 'online',
      }),
    );
    const alice = h.mocker.createContact({ name: 'Alice' });
    const got = h.inbox(alice);
    alice.say('hi').to(h.me);
    await waitFor(() => got.length === 1, 'reply');
    expect(got[0].text).toBe('echo hi');
  });

  it('pushes to a room by id (after a rename) and by topic, text and image in order', async () => {
    h = await startHarness({});
    const room = h.mocker.createRoom({ topic: '运维群', memberIdList: [h.me.id] });
    const other = h.mocker.createRoom({ topic: '闲聊群', memberIdList: [h.me.id] });
    const got = h.inbox(room);
    const gotOther = h.inbox(other);
    const image: Reply = { kind: 'image', png: PNG, name: 'c.png', alt: 'chart' };
    await h.bot.sendToRoom('运维群', null, [{ kind: 'text', text: 'one' }, image]);
    expect(got.map((g) => g.kind)).toEqual(['text', 'image']);
    expect(got[0].text).toBe('one');
    expect(Buffer.from(got[1].base64 ?? '', 'base64').equals(PNG)).toBe(true);
    // a stored topic that is no longer the room's, with the room's id: found by id
    await h.bot.sendToRoom('旧群名', room.id, [{ kind: 'text', text: 'two' }]);
    // a stale id from an earlier session: found by topic
    await h.bot.sendToRoom('运维群', '@@stale-id', [{ kind: 'text', text: 'three' }]);
    expect(got.map((g) => g.text)).toEqual(['one', '', 'two', 'three']);
    expect(gotOther).toEqual([]);
  });

  it('throws NOTIFY_BAD_RECIPIENT for an unknown room or user, BOT_OFFLINE when logged out', async () => {
    h = await startHarness({});
    await expect(
      h.bot.sendToRoom('没有这个群', null, [{ kind: 'text', text: 'x' }]),
    ).rejects.toThrow(
      expect.objectContaining({
        code: 'NOTIFY_BAD_RECIPIENT',
        message: 'Room "没有这个群" is not in the bot\'s contact list.',
      }),
    );
    await expect(h.bot.sendToUser('nobody', [{ kind: 'text', text: 'x' }])).rejects.toThrow(
      expect.objectContaining({
        code: 'NOTIFY_BAD_RECIPIENT',
        message:
          'User nobody\'s WeChat contact (alias "sw-nobody") is not in the bot\'s contact list.',
      }),
    );
    const room = h.mocker.createRoom({ topic: 'ops', memberIdList: [h.me.id] });
    const got = h.inbox(room);
    await h.puppet.logout();
    await waitFor(() => h?.bot.health().state !== 'online', 'offline');
    await expect(h.bot.sendToRoom('ops', room.id, [{ kind: 'text', text: 'x' }])).rejects.toThrow(
      expect.objectContaining({ code: 'BOT_OFFLINE' }),
    );
    await expect(h.bot.sendToUser('li.lei', [{ kind: 'text', text: 'x' }])).rejects.toThrow(
      expect.objectContaining({ code: 'BOT_OFFLINE' }),
    );
    expect(got).toEqual([]);
  });

  it('throws NOTIFY_SEND_FAILED once the queue gives up, after its retries', async () => {
    h = await startHarness({});
    const room = h.mocker.createRoom({ topic: 'ops', memberIdList: [h.me.id] });
    let attempts = 0;
    h.puppet.messageSendText = async () => {
      attempts++;
      throw new Error('WeChat refused the message');
    };
    const err = await h.bot.sendToRoom('ops', room.id, [{ kind: 'text', text: 'x' }]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SitewatchError);
    expect(err).toMatchObject({
      code: 'NOTIFY_SEND_FAILED',
      message: 'WeChat message to room "ops" not delivered: WeChat refused the message',
    });
    // the first try and the queue's 3 retries
    expect(attempts).toBe(4);
  });
});
