// The dispatcher against a real SMTP server on loopback: refusals, deferrals, hangs and outages retried with exact backoff until delivered once.
import { Writable } from 'node:stream';
import { withTransaction } from '../../src/db/tx';
import { createLogger } from '../../src/log';
import { createEmailChannel } from '../../src/notify/channels/email';
import { backoffMs, createDispatcher } from '../../src/notify/dispatcher';
import type { Channel } from '../../src/notify/types';
import type { AlarmItem, AlarmNotice, Notice } from '../../src/outbox/notices';
import { enqueue, listOutbox, retryMessage } from '../../src/outbox/store';
import { createRegistry } from '../../src/registry';
import type { ChartOption } from '../../src/types/chart-option';
import { describeEachEngine, resetDb } from '../helpers/db';
import { startSmtp, type SmtpMode, type TestSmtp } from '../helpers/smtp';
import { TINY_PNG_BASE64, alarmNotice, bj } from './fixtures';

/** 2026-11-24 10:00 in Beijing. */
const T0 = bj(10, 0);
const BASE_MS = 1000;
const MAX_MS = 8000;
const SUBJECT = '[Sitewatch] 北京移动（BJ-CMCC） 新告警 3 条 恢复 1 条 提醒 1 条 升级 1 条';
const RAISE_SUBJECT = '[Sitewatch] 北京移动（BJ-CMCC） 新告警 1 条';
const RESOLVE_SUBJECT = '[Sitewatch] 北京移动（BJ-CMCC） 恢复 1 条';
const THREE = ['a@example.com', 'b@example.com', 'c@example.com'];
const PNG = Buffer.from(TINY_PNG_BASE64, 'base64');

describe('backoffMs', () => {
  it('doubles from the base, caps at the maximum and spreads by ±20 %', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, BASE_MS, MAX_MS, mid))).toEqual([
      1000, 2000, 4000, 8000, 8000,
    ]);
    expect(backoffMs(0, BASE_MS, MAX_MS, mid)).toBe(1000);
    expect(backoffMs(1, BASE_MS, MAX_MS, () => 0)).toBe(800);
    expect(backoffMs(3, BASE_MS, MAX_MS, () => 0.75)).toBe(4400);
    expect(backoffMs(9, BASE_MS, MAX_MS, () => 0)).toBe(6400);
    expect(backoffMs(2, 30_000, 3_600_000, () => 0.25)).toBe(54_000);
  });
});

describeEachEngine('dispatcher over real SMTP', (db) => {
  let smtp: TestSmtp | undefined;
  let t = T0;
  let logs: Record<string, unknown>[] = [];
  const channels: Channel[] = [];
  const ds = () => db().ds;

  beforeEach(async () => {
    await resetDb(db());
    t = T0;
    logs = [];
  });
  afterEach(async () => {
    for (const c of channels.splice(0)) await c.close?.();
    await smtp?.close();
    smtp = undefined;
  });

  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const log = createLogger('info', sink);

  interface Setup {
    timeoutMs?: number;
    maxAttempts?: number;
    batch?: number;
    chartFor?: (n: Notice) => Promise<ChartOption | null>;
    renderChart?: (o: ChartOption) => Promise<Buffer>;
  }

  function dispatcher(s: TestSmtp, o: Setup = {}) {
    const email = createEmailChannel({
      smtpUrl: s.url,
      from: 'Sitewatch <sitewatch@example.com>',
      timeoutMs: o.timeoutMs ?? 5000,
      log,
      groupLimit: 20,
    });
    channels.push(email);
    return createDispatcher({
      ds: ds(),
      channels: createRegistry('notification channel', [email]),
      log,
      owner: 'hub-test',
      maxAttempts: o.maxAttempts ?? 8,
      retryBaseMs: BASE_MS,
      retryMaxMs: MAX_MS,
      claimMs: 60_000,
      batch: o.batch ?? 50,
      concurrency: 4,
      chartFor: o.chartFor ?? (async () => null),
      renderChart: o.renderChart ?? null,
      now: () => t,
      random: () => 0.5,
    });
  }

  async function queue(entries: { recipient: string; event: string; notice: Notice }[]) {
    return withTransaction(ds(), (em) =>
      enqueue(
        em,
        entries.map((e) => ({ channel: 'email', siteId: null, ...e })),
        t,
      ),
    );
  }

  interface Row {
    id: number;
    recipient: string;
    status: string;
    attempts: number;
    nextTryAt: number;
    lastError: string | null;
    sentAt: number | null;
  }
  async function rows(): Promise<Row[]> {
    const r = (await ds().query(
      'SELECT id, recipient, status, attempts, next_try_at, last_error, sent_at FROM outbox ORDER BY id',
    )) as Record<string, unknown>[];
    return r.map((x) => ({
      id: Number(x.id),
      recipient: String(x.recipient),
      status: String(x.status),
      attempts: Number(x.attempts),
      nextTryAt: Number(x.next_try_at),
      lastError: (x.last_error as string | null) ?? null,
      sentAt: x.sent_at === null ? null : Number(x.sent_at),
    }));
  }

  const nothing = { sent: 0, retrying: 0, failed: 0 };

  const failures: [string, SmtpMode, number, (to: string, port: number) => string][] = [
    [
      'refuses (550)',
      'reject',
      5000,
      (to) => `email to ${to} failed: SMTP 550 5.1.1 mailbox unavailable`,
    ],
    [
      'defers (451)',
      'defer',
      5000,
      (to) => `email to ${to} failed: SMTP 451 4.3.0 try again later`,
    ],
    [
      'never greets',
      'hang-greeting',
      400,
      (to) => `email to ${to} failed: timed out after 400 ms (greeting timeout)`,
    ],
    [
      'stalls after DATA',
      'hang-data',
      400,
      (to) => `email to ${to} failed: timed out after 800 ms (socket timeout)`,
    ],
    [
      'is down',
      'down',
      5000,
      (to, port) => `email to ${to} failed: connect ECONNREFUSED 127.0.0.1:${port} (ESOCKET)`,
    ],
  ];

  it.each(failures)(
    'retries with backoff while the server %s, then delivers each mail exactly once',
    async (_what, mode, timeoutMs, error) => {
      const s = (smtp = await startSmtp({ mode }));
      const d = dispatcher(s, { timeoutMs });
      const notice = alarmNotice();
      expect(
        await queue(THREE.map((recipient) => ({ recipient, event: 'alarms:1:101', notice }))),
      ).toBe(3);

      expect(await d.runOnce()).toEqual({ sent: 0, retrying: 3, failed: 0 });
      expect(await rows()).toEqual(
        THREE.map((to) => ({
          id: expect.any(Number) as number,
          recipient: to,
          status: 'pending',
          attempts: 1,
          nextTryAt: T0 + 1000,
          lastError: error(to, s.port),
          sentAt: null,
        })),
      );
      expect(s.received).toEqual([]);
      expect(s.connections).toBe(mode === 'down' ? 0 : 3);
      if (mode === 'reject' || mode === 'defer')
        expect([...s.refusals].sort()).toEqual(
          THREE.map((to) => `${mode === 'reject' ? 550 : 451} to ${to}`),
        );

      // Not due yet: nothing is tried before its backoff has passed.
      t += 999;
      expect(await d.runOnce()).toEqual(nothing);
      expect(s.connections).toBe(mode === 'down' ? 0 : 3);

      t += 1;
      expect(await d.runOnce()).toEqual({ sent: 0, retrying: 3, failed: 0 });
      expect((await rows()).map((r) => [r.status, r.attempts, r.nextTryAt])).toEqual(
        THREE.map(() => ['pending', 2, T0 + 1000 + 2000]),
      );
      expect(s.received).toEqual([]);

      await s.setMode('accept');
      t += 2000;
      expect(await d.runOnce()).toEqual({ sent: 3, retrying: 0, failed: 0 });
      for (const to of THREE) expect(s.to(to).map((m) => m.subject)).toEqual([SUBJECT]);
      expect(s.received).toHaveLength(3);
      expect(await rows()).toEqual(
        THREE.map((to) => ({
          id: expect.any(Number) as number,
          recipient: to,
          status: 'sent',
          attempts: 3,
          nextTryAt: T0 + 3000,
          lastError: null,
          sentAt: T0 + 3000,
        })),
      );

      // Later sweeps and a second queueing of the same event send nothing more.
      t += 3600_000;
      expect(await queue([{ recipient: THREE[0], event: 'alarms:1:101', notice }])).toBe(0);
      expect(await d.runOnce()).toEqual(nothing);
      expect(s.received).toHaveLength(3);
    },
  );

  it('marks a message failed after maxAttempts, logs it, lists it, and delivers it once when retried', async () => {
    const s = (smtp = await startSmtp({ mode: 'reject', stage: 'data' }));
    const d = dispatcher(s, { maxAttempts: 3 });
    await queue([{ recipient: 'ops@example.com', event: 'alarms:1:7', notice: alarmNotice() }]);
    const err = 'email to ops@example.com failed: SMTP 550 5.1.1 mailbox unavailable';

    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    t += 1000;
    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    t += 2000;
    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 1 });
    expect(s.refusals).toEqual([
      '550 to ops@example.com',
      '550 to ops@example.com',
      '550 to ops@example.com',
    ]);

    const [id] = (await rows()).map((r) => r.id);
    expect(logs.filter((l) => l.level === 40).map((l) => [l.attempts, l.retryAt])).toEqual([
      [1, T0 + 1000],
      [2, T0 + 3000],
    ]);
    expect(logs.filter((l) => l.level === 50)).toEqual([
      expect.objectContaining({
        msg: 'notification failed for good; see `sitewatch outbox`',
        id,
        channel: 'email',
        recipient: 'ops@example.com',
        attempts: 3,
        err,
      }),
    ]);
    const failed = await listOutbox(ds(), { status: 'failed' });
    expect(failed.map((r) => [r.id, r.recipient, r.attempts, r.lastError, r.sentAt])).toEqual([
      [id, 'ops@example.com', 3, err, null],
    ]);

    // Failed for good: no later sweep tries it again on its own.
    t += 86_400_000;
    expect(await d.runOnce()).toEqual(nothing);
    expect(s.refusals).toHaveLength(3);

    await s.setMode('accept');
    expect(await retryMessage(ds(), id, t)).toBe(true);
    expect(await d.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(await d.runOnce()).toEqual(nothing);
    expect(s.to('ops@example.com').map((m) => m.subject)).toEqual([SUBJECT]);
    expect(s.received).toHaveLength(1);
    expect(await listOutbox(ds(), { status: 'failed' })).toEqual([]);
    expect((await rows()).map((r) => [r.status, r.attempts, r.sentAt, r.lastError])).toEqual([
      ['sent', 1, t, null],
    ]);
  });

  function raiseAndRecovery(): { raise: AlarmNotice; resolve: AlarmNotice } {
    const raise = alarmNotice(1);
    const item: AlarmItem = { ...raise.items[0], event: 'resolved', resumedAt: bj(9, 40) };
    return { raise, resolve: { ...raise, at: bj(9, 45), items: [item] } };
  }

  it("keeps one recipient's messages in order: the raise before its recovery", async () => {
    const s = (smtp = await startSmtp());
    // The raise is slow to accept: sent side by side, the recovery would arrive first.
    s.acceptDelay = (m) => (m.subject === RAISE_SUBJECT ? 200 : 0);
    const d = dispatcher(s);
    const { raise, resolve } = raiseAndRecovery();
    for (const to of ['ops@example.com', 'boss@example.com']) {
      await queue([{ recipient: to, event: 'alarms:1:1000:raised', notice: raise }]);
      await queue([{ recipient: to, event: 'alarms:1:1000:resolved', notice: resolve }]);
    }
    expect(await d.runOnce()).toEqual({ sent: 4, retrying: 0, failed: 0 });
    for (const to of ['ops@example.com', 'boss@example.com'])
      expect(s.to(to).map((m) => m.subject)).toEqual([RAISE_SUBJECT, RESOLVE_SUBJECT]);
  });

  it('holds a recovery back while the raise before it waits for a retry', async () => {
    const s = (smtp = await startSmtp({ mode: 'defer' }));
    const d = dispatcher(s);
    const { raise, resolve } = raiseAndRecovery();
    await queue([{ recipient: 'ops@example.com', event: 'alarms:1:1000:raised', notice: raise }]);
    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });

    // The recovery arrives while the raise is in backoff, and the server is fine again.
    await s.setMode('accept');
    t += 500;
    await queue([
      { recipient: 'ops@example.com', event: 'alarms:1:1000:resolved', notice: resolve },
    ]);
    expect(await d.runOnce()).toEqual(nothing);
    expect(s.received).toEqual([]);

    t += 500;
    expect(await d.runOnce()).toEqual({ sent: 2, retrying: 0, failed: 0 });
    expect(s.to('ops@example.com').map((m) => m.subject)).toEqual([RAISE_SUBJECT, RESOLVE_SUBJECT]);
  });

  it('renders the chart of a notice sent to ten recipients once', async () => {
    const s = (smtp = await startSmtp());
    const option: ChartOption = { title: { text: 'alarms' } };
    const chartFor = jest.fn(async () => option);
    const renderChart = jest.fn(async () => PNG);
    // A small batch: the ten messages are claimed in three rounds of one sweep.
    const d = dispatcher(s, { batch: 4, chartFor, renderChart });
    const ten = Array.from({ length: 10 }, (_, i) => `u${i + 1}@example.com`);
    const notice = alarmNotice();
    await queue(ten.map((recipient) => ({ recipient, event: 'alarms:1:101', notice })));

    expect(await d.runOnce()).toEqual({ sent: 10, retrying: 0, failed: 0 });
    expect(chartFor).toHaveBeenCalledTimes(1);
    expect(chartFor).toHaveBeenCalledWith(notice);
    expect(renderChart).toHaveBeenCalledTimes(1);
    expect(renderChart).toHaveBeenCalledWith(option);
    expect(s.received.map((r) => r.rcptTo[0]).sort()).toEqual([...ten].sort());
    for (const { mail } of s.received) {
      expect(mail.attachments.map((a) => [a.contentType, a.contentDisposition])).toEqual([
        ['image/png', 'inline'],
      ]);
      expect(mail.attachments[0].content.equals(PNG)).toBe(true);
      expect(String(mail.html)).toContain(`src="cid:${mail.attachments[0].cid}"`);
    }
  });
});

describeEachEngine('dispatcher: messages sent in parts', (db) => {
  const ds = () => db().ds;
  let t = T0;
  beforeEach(async () => {
    await resetDb(db());
    t = T0;
  });

  /** A channel that delivers every notice as two parts, recording them; `fail` refuses a part once. */
  function twoParts() {
    const delivered: string[] = [];
    const seen: number[] = [];
    const fail = new Set<string>();
    let beforeMark: (() => Promise<void>) | null = null;
    const channel: Channel = {
      name: 'parts',
      async send(recipient, _notice, ctx) {
        seen.push(ctx.partsSent);
        for (let i = ctx.partsSent; i < 2; i++) {
          const part = `${recipient}#${i + 1}`;
          if (fail.delete(part)) throw new Error(`part ${i + 1} refused`);
          delivered.push(part);
          if (i === 0) {
            await beforeMark?.();
            await ctx.partSent(1);
          }
        }
      },
    };
    return {
      channel,
      delivered,
      seen,
      fail,
      setBeforeMark: (f: () => Promise<void>) => (beforeMark = f),
    };
  }

  function dispatcherOf(channel: Channel, owner: string) {
    return createDispatcher({
      ds: ds(),
      channels: createRegistry('notification channel', [channel]),
      log: createLogger('silent'),
      owner,
      maxAttempts: 5,
      retryBaseMs: BASE_MS,
      retryMaxMs: MAX_MS,
      claimMs: 60_000,
      batch: 10,
      concurrency: 2,
      chartFor: async () => null,
      renderChart: null,
      now: () => t,
      random: () => 0.5,
    });
  }

  const queueOne = () =>
    withTransaction(ds(), (em) =>
      enqueue(
        em,
        [
          {
            channel: 'parts',
            recipient: 'room:ops',
            event: 'e1',
            siteId: null,
            notice: alarmNotice(1),
          },
        ],
        t,
      ),
    );
  const state = async () =>
    (
      (await ds().query(
        'SELECT status, attempts, parts_sent, claimed_by FROM outbox ORDER BY id',
      )) as Record<string, unknown>[]
    ).map((r) => ({
      status: r.status,
      attempts: Number(r.attempts),
      partsSent: Number(r.parts_sent),
      claimedBy: r.claimed_by ?? null,
    }));

  it('keeps the delivered part in the outbox, so the retry on another hub sends only the rest', async () => {
    const c = twoParts();
    await queueOne();
    c.fail.add('room:ops#2');
    expect(await dispatcherOf(c.channel, 'hub-a').runOnce()).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    expect(await state()).toEqual([
      { status: 'pending', attempts: 1, partsSent: 1, claimedBy: null },
    ]);
    t += BASE_MS * 2;
    expect(await dispatcherOf(c.channel, 'hub-b').runOnce()).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    expect(c.seen).toEqual([0, 1]);
    expect(c.delivered).toEqual(['room:ops#1', 'room:ops#2']);
    expect(await state()).toEqual([{ status: 'sent', attempts: 2, partsSent: 1, claimedBy: null }]);
  });

  it('a call made while a sweep runs gets one more sweep after it, shared by such calls', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const sent: string[] = [];
    const slow: Channel = {
      name: 'parts',
      async send(recipient) {
        if (recipient === 'room:ops') await blocked;
        sent.push(recipient);
      },
    };
    const d = dispatcherOf(slow, 'hub-a');
    await queueOne();
    const first = d.runOnce();
    await new Promise((r) => setTimeout(r, 50)); // the first sweep is now waiting in send
    const second = d.runOnce();
    expect(d.runOnce()).toBe(second);
    expect(second).not.toBe(first);
    // Queued while the first sweep is busy; the second sweep would find it even if the first did not.
    await withTransaction(ds(), (em) =>
      enqueue(
        em,
        [
          {
            channel: 'parts',
            recipient: 'room:dev',
            event: 'e2',
            siteId: null,
            notice: alarmNotice(1),
          },
        ],
        t,
      ),
    );
    const order: string[] = [];
    void first.then(() => order.push('first'));
    void second.then(() => order.push('second'));
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(order).toEqual(['first', 'second']);
    expect(a.sent + b.sent).toBe(2);
    expect(sent.sort()).toEqual(['room:dev', 'room:ops']);
    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });

  it('stops sending when its claim was taken over between two parts', async () => {
    const c = twoParts();
    await queueOne();
    // Another hub takes the message over (this hub's claim ran out) while part 1 is on its way.
    c.setBeforeMark(async () => {
      await ds().query("UPDATE outbox SET claimed_by = 'hub-b'");
    });
    expect(await dispatcherOf(c.channel, 'hub-a').runOnce()).toEqual({
      sent: 0,
      retrying: 1,
      failed: 0,
    });
    // Part 2 is left to hub-b; hub-a could record neither the part nor the failed attempt.
    expect(c.delivered).toEqual(['room:ops#1']);
    expect(await state()).toEqual([
      { status: 'sending', attempts: 0, partsSent: 0, claimedBy: 'hub-b' },
    ]);
  });
});
