// The chat transports' own notices: WeChat logged out (with the login QR code as a PNG) once per code, WeCom down past its limit, each to admins by email and to every robot.
import { loadImage } from '@napi-rs/canvas';
import { addUser } from '../../src/admin/users';
import { silentLogger } from '../../src/log';
import { createBotNotices, QR_RESEND_MS } from '../../src/notify/bot-notices';
import type { BotNotice } from '../../src/outbox/notices';
import { describeEachEngine, resetDb } from '../helpers/db';
import { channelsFor } from '../alarms/seed';

const T0 = Date.UTC(2026, 10, 25, 2, 0, 0);
const QR = 'https://login.weixin.qq.com/l/Abc123==';
const recipients = channelsFor({
  email: true,
  wechat: true,
  wecomRobots: [
    { name: 'ops-room', sites: ['*'] },
    { name: 'bj-room', sites: ['BJ01'] },
  ],
});

describeEachEngine('bot notices', (db) => {
  beforeEach(async () => {
    await resetDb(db());
    await addUser(db().ds, {
      login: 'root',
      password: 'pw-1234567890',
      role: 'admin',
      email: 'root@example.com',
    });
    await addUser(db().ds, { login: 'op', password: 'pw-1234567890', email: 'op@example.com' });
    await addUser(db().ds, { login: 'root2', password: 'pw-1234567890', role: 'admin' });
  });

  const rows = async () =>
    (await db().ds.query(
      'SELECT channel, recipient, kind, site_id, payload FROM outbox ORDER BY id',
    )) as {
      channel: string;
      recipient: string;
      kind: string;
      site_id: number | null;
      payload: string;
    }[];

  it('queues the logged-out notice with the QR code for admins by email and every robot, never WeChat', async () => {
    const n = createBotNotices({ ds: db().ds, recipients, log: silentLogger });
    await n.handle({ state: 'scanning', qrUrl: QR, at: T0 });
    const r = await rows();
    expect(r.map((x) => [x.channel, x.recipient, x.kind, x.site_id])).toEqual([
      ['email', 'root@example.com', 'bot', null],
      ['wecom', 'ops-room', 'bot', null],
      ['wecom', 'bj-room', 'bot', null],
    ]);
    const notice = JSON.parse(r[0].payload) as BotNotice;
    expect(notice).toMatchObject({ kind: 'bot', state: 'logged-out', at: T0, qrUrl: QR });
    const png = Buffer.from(notice.qrPng!, 'base64');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const img = await loadImage(png);
    expect(img.width).toBe(320);
  });

  it('sends a new code at most every 30 minutes, and "back online" once after a logout', async () => {
    const n = createBotNotices({ ds: db().ds, recipients, log: silentLogger });
    await n.handle({ state: 'offline', qrUrl: null, at: T0 });
    expect(await rows()).toHaveLength(0);
    await n.handle({ state: 'scanning', qrUrl: QR, at: T0 + 1000 });
    await n.handle({ state: 'scanning', qrUrl: `${QR}x`, at: T0 + 60_000 });
    expect(await rows()).toHaveLength(3);
    await n.handle({ state: 'scanning', qrUrl: `${QR}y`, at: T0 + 1000 + QR_RESEND_MS });
    expect(await rows()).toHaveLength(6);
    await n.handle({ state: 'online', qrUrl: null, at: T0 + 2 * QR_RESEND_MS });
    await n.handle({ state: 'online', qrUrl: null, at: T0 + 2 * QR_RESEND_MS + 5 });
    const r = await rows();
    expect(r).toHaveLength(9);
    expect(r.slice(6).map((x) => (JSON.parse(x.payload) as BotNotice).state)).toEqual([
      'logged-in',
      'logged-in',
      'logged-in',
    ]);
  });

  it('queues the same code once even when two hubs see it (dedupe key)', async () => {
    const a = createBotNotices({ ds: db().ds, recipients, log: silentLogger });
    const b = createBotNotices({ ds: db().ds, recipients, log: silentLogger });
    await a.handle({ state: 'scanning', qrUrl: QR, at: T0 });
    await b.handle({ state: 'scanning', qrUrl: QR, at: T0 + 10 });
    expect(await rows()).toHaveLength(3);
  });

  it('WeCom: a short drop says nothing; down past the limit is told once, and so is its return', async () => {
    // A hand-run clock for the alert timer: each pending timer and when it fires.
    const timers: { fn: () => void; at: number; cancelled: boolean }[] = [];
    let clock = T0;
    const advance = (ms: number) => {
      clock += ms;
      for (const t of timers.splice(0))
        if (t.cancelled) continue;
        else if (t.at <= clock) t.fn();
        else timers.push(t);
    };
    const n = createBotNotices({
      ds: db().ds,
      recipients,
      log: silentLogger,
      wecomOfflineMs: 5 * 60_000,
      after: (fn, ms) => {
        const t = { fn, at: clock + ms, cancelled: false };
        timers.push(t);
        return { cancel: () => void (t.cancelled = true) };
      },
    });
    const wecom = (state: 'offline' | 'online') =>
      n.handle({ transport: 'wecom', state, qrUrl: null, at: clock });
    await wecom('offline');
    advance(4 * 60_000);
    await wecom('online');
    advance(10 * 60_000);
    expect(await rows()).toEqual([]);

    const downAt = clock;
    await wecom('offline');
    // A second "offline" (a further failed reconnect) does not restart the count.
    advance(2 * 60_000);
    await wecom('offline');
    advance(3 * 60_000);
    const down = async () => {
      for (let i = 0; i < 200 && (await rows()).length < 3; i++)
        await new Promise((r) => setTimeout(r, 10));
      return rows();
    };
    const told = await down();
    expect(told.map((x) => [x.channel, x.recipient, x.kind])).toEqual([
      ['email', 'root@example.com', 'bot'],
      ['wecom', 'ops-room', 'bot'],
      ['wecom', 'bj-room', 'bot'],
    ]);
    expect(JSON.parse(told[0].payload)).toEqual({
      kind: 'bot',
      transport: 'wecom',
      state: 'logged-out',
      at: downAt + 5 * 60_000,
      since: downAt,
      qrUrl: null,
      qrPng: null,
    });
    advance(60_000);
    await wecom('online');
    await wecom('online');
    const back = (await rows()).slice(3);
    expect(back.map((x) => (JSON.parse(x.payload) as BotNotice).state)).toEqual([
      'logged-in',
      'logged-in',
      'logged-in',
    ]);
    expect((JSON.parse(back[0].payload) as BotNotice).transport).toBe('wecom');
    n.close();
  });
});
