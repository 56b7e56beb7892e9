// The dispatcher and a channel's "wait" (RateLimitedError), over the DingTalk channel and its robot on loopback: the message stays pending, no attempt is used, and it goes out when due.
import { withTransaction } from '../../src/db/tx';
import { silentLogger } from '../../src/log';
import { createDingtalkChannel } from '../../src/notify/channels/dingtalk';
import { createDispatcher } from '../../src/notify/dispatcher';
import type { Channel } from '../../src/notify/types';
import { enqueue } from '../../src/outbox/store';
import { createRegistry } from '../../src/registry';
import { describeEachEngine, resetDb } from '../helpers/db';
import {
  DINGTALK_ANSWERS,
  DINGTALK_SECRET,
  startDingtalkRobot,
  stopDingtalkRobots,
  type DingtalkRobotServer,
} from '../helpers/dingtalk-robot';
import { bj, reportNotice } from './fixtures';

/** 2026-11-24 10:00 in Beijing. */
const T0 = bj(10, 0);

describeEachEngine('dispatcher and rate-limited channels', (db) => {
  let t = T0;
  const ds = () => db().ds;

  beforeEach(async () => {
    await resetDb(db());
    t = T0;
  });
  afterEach(() => stopDingtalkRobots());

  function dispatcher(server: DingtalkRobotServer) {
    const channel: Channel = createDingtalkChannel({
      robots: [{ name: '运维一群', url: server.url, secret: DINGTALK_SECRET, sites: ['*'] }],
      timeoutMs: 2000,
      log: silentLogger,
      groupLimit: 20,
      now: () => t,
    });
    return createDispatcher({
      ds: ds(),
      channels: createRegistry('notification channel', [channel]),
      log: silentLogger,
      owner: 'hub-test',
      maxAttempts: 3,
      retryBaseMs: 1000,
      retryMaxMs: 8000,
      claimMs: 60_000,
      batch: 50,
      concurrency: 4,
      chartFor: async () => null,
      renderChart: null,
      now: () => t,
      random: () => 0.5,
    });
  }

  async function queue(n: number) {
    await withTransaction(ds(), (em) =>
      enqueue(
        em,
        Array.from({ length: n }, (_, i) => ({
          channel: 'dingtalk',
          recipient: '运维一群',
          siteId: null,
          event: `report:${i}`,
          notice: { ...reportNotice(), date: `2026-11-${String(i + 1).padStart(2, '0')}` },
        })),
        t,
      ),
    );
  }

  async function rows() {
    const r = (await ds().query(
      'SELECT id, status, attempts, next_try_at, last_error FROM outbox ORDER BY id',
    )) as Record<string, unknown>[];
    return r.map((x) => ({
      status: String(x.status),
      attempts: Number(x.attempts),
      nextTryAt: Number(x.next_try_at),
      lastError: (x.last_error as string | null) ?? null,
    }));
  }

  it('leaves a message DingTalk rate-limits pending, attempts unchanged, due after the wait', async () => {
    const server = await startDingtalkRobot({ now: () => t });
    server.answer = () => DINGTALK_ANSWERS.tooFast;
    await queue(1);
    const d = dispatcher(server);
    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect(await rows()).toEqual([
      {
        status: 'pending',
        attempts: 0,
        nextTryAt: T0 + 600_000,
        lastError:
          'DingTalk robot "运维一群": rate limited (errcode 130101 send too fast, exceed 20 times per minute); DingTalk throttles it for 10 minutes',
      },
    ]);
    // Not due before the wait is over, and then sent with no attempt used.
    server.answer = () => DINGTALK_ANSWERS.ok;
    t = T0 + 599_999;
    expect(await d.runOnce()).toEqual({ sent: 0, retrying: 0, failed: 0 });
    t = T0 + 600_000;
    expect(await d.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    // The one attempt counted is the delivery itself (markSent counts it); the wait counted none.
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([['sent', 1]]);
    expect(server.payloads).toHaveLength(2);
  });

  it('holds the 21st message of a minute back without posting it or counting an attempt', async () => {
    const server = await startDingtalkRobot({ now: () => t });
    await queue(21);
    const d = dispatcher(server);
    expect(await d.runOnce()).toEqual({ sent: 20, retrying: 1, failed: 0 });
    expect(server.payloads).toHaveLength(20);
    const last = (await rows())[20];
    expect(last).toEqual({
      status: 'pending',
      attempts: 0,
      nextTryAt: T0 + 60_000,
      lastError: 'DingTalk robot "运维一群": 20 messages a minute reached; next in 60000 ms',
    });
    t = T0 + 60_000;
    expect(await d.runOnce()).toEqual({ sent: 1, retrying: 0, failed: 0 });
    expect(server.payloads.map((p) => p.markdown.title).at(-1)).toBe(
      '【日报】北京移动（BJ-CMCC） 2026-11-21',
    );
    expect((await rows()).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    expect(server.problems).toEqual([]);
  });

  it('still counts an attempt for a real failure (for contrast)', async () => {
    const server = await startDingtalkRobot({ now: () => t });
    server.answer = () => DINGTALK_ANSWERS.busy;
    await queue(1);
    expect(await dispatcher(server).runOnce()).toEqual({ sent: 0, retrying: 1, failed: 0 });
    expect((await rows()).map((r) => [r.status, r.attempts, r.nextTryAt])).toEqual([
      ['pending', 1, T0 + 1000],
    ]);
  });
});
