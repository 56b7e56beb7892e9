// The status reporter on fake interval timers: every transport's health written at start and at each interval, nothing after the teardown, and the hub's rows removed; wired into createApp.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { TransportStatus } from '../../entities';
import { recordTransportHealth } from '../../src/admin/transport-status';
import type { ChatTransport, TransportHealth } from '../../src/chat/transport';
import { openDataSource } from '../../src/db/data-source';
import { createStatusReporter } from '../../src/jobs/status-job';
import { createLogger, silentLogger } from '../../src/log';
import { createApp } from '../../src/main';
import { createTeardown } from '../../src/teardown';
import { describeEachEngine, testConfig } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const S = 1000;

/** A transport whose health the test sets (the reporter only reads health()). */
function transport(name: string, initial: TransportHealth | Error) {
  let health: TransportHealth | Error = initial;
  const t: ChatTransport & { set(h: TransportHealth | Error): void } = {
    name,
    start: async () => undefined,
    stop: async () => undefined,
    health: () => {
      if (health instanceof Error) throw health;
      return health;
    },
    sendToUser: async () => undefined,
    sendToRoom: async () => undefined,
    set: (h) => void (health = h),
  };
  return t;
}

const rows = (ds: DataSource) =>
  ds.getRepository(TransportStatus).find({ order: { hub: 'ASC', transport: 'ASC' } });

describeEachEngine('status reporter', (db) => {
  let clock: number;
  beforeEach(async () => {
    await db().ds.query('DELETE FROM transport_status');
    clock = NOW;
    // Only the interval is faked: the database drivers keep their real timers.
    jest.useFakeTimers({
      doNotFake: [
        'Date',
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  it('writes at start and every interval, then stops with the teardown and removes its rows', async () => {
    const ds = db().ds;
    const wechat = transport('wechat', {
      state: 'scanning',
      qrUrl: 'https://login.weixin.qq.com/l/abc',
      lastMessageAt: null,
      queueLength: 0,
      restarts: 0,
    });
    const wecom = transport('wecom', {
      state: 'standby',
      since: NOW - 600 * S,
      holder: 'hub-b',
      lastMessageAt: null,
      queueLength: 0,
      restarts: 1,
    });
    // Another hub's row is left alone.
    await recordTransportHealth(
      ds,
      'hub-b',
      'wecom',
      { state: 'authenticated', lastMessageAt: null, queueLength: 0, restarts: 0 },
      NOW,
    );
    const reporter = createStatusReporter({
      ds,
      hub: 'hub-a',
      transports: [wechat, wecom],
      now: () => clock,
      everyMs: 15 * S,
    });
    const teardown = createTeardown(silentLogger);
    teardown.add('transport status', () => reporter.stop());

    await reporter.start();
    await reporter.start(); // again: nothing more
    expect(jest.getTimerCount()).toBe(1);
    expect(await rows(ds)).toEqual([
      {
        hub: 'hub-a',
        transport: 'wechat',
        state: 'scanning',
        // WeChat does not say since when: since the reporter first saw the state
        since: NOW,
        holder: null,
        lastMessageAt: null,
        queueLength: 0,
        restarts: 0,
        updatedAt: NOW,
      },
      {
        hub: 'hub-a',
        transport: 'wecom',
        state: 'standby',
        since: NOW - 600 * S,
        holder: 'hub-b',
        lastMessageAt: null,
        queueLength: 0,
        restarts: 1,
        updatedAt: NOW,
      },
      expect.objectContaining({ hub: 'hub-b', transport: 'wecom', updatedAt: NOW }),
    ]);

    // 14.999 s: no write yet.
    clock = NOW + 14_999;
    jest.advanceTimersByTime(14_999);
    await reporter.settled();
    expect((await rows(ds)).map((r) => r.updatedAt)).toEqual([NOW, NOW, NOW]);

    // A state change is written at once (touch), between two intervals.
    clock = NOW + 5 * S;
    const standby = wecom.health() as TransportHealth;
    wecom.set({ ...standby, state: 'authenticated', since: clock, holder: null });
    await reporter.touch();
    expect((await rows(ds))[1]).toMatchObject({
      state: 'authenticated',
      since: clock,
      holder: null,
      updatedAt: clock,
    });
    wecom.set(standby);
    await reporter.touch();
    clock = NOW + 14_999;

    // The first interval: the same state keeps its since; the numbers are the new ones.
    clock = NOW + 15 * S;
    wechat.set({ state: 'scanning', lastMessageAt: null, queueLength: 2, restarts: 0 });
    jest.advanceTimersByTime(1);
    await reporter.settled();
    expect((await rows(ds)).slice(0, 2)).toEqual([
      expect.objectContaining({ state: 'scanning', since: NOW, queueLength: 2, updatedAt: clock }),
      expect.objectContaining({ state: 'standby', updatedAt: clock }),
    ]);

    // The second: WeChat logged in, so its since moves to when the reporter saw it.
    clock = NOW + 30 * S;
    wechat.set({ state: 'online', lastMessageAt: NOW + 20 * S, queueLength: 0, restarts: 0 });
    jest.advanceTimersByTime(15 * S);
    await reporter.settled();
    expect((await rows(ds))[0]).toEqual({
      hub: 'hub-a',
      transport: 'wechat',
      state: 'online',
      since: NOW + 30 * S,
      holder: null,
      lastMessageAt: NOW + 20 * S,
      queueLength: 0,
      restarts: 0,
      updatedAt: NOW + 30 * S,
    });

    await teardown.run();
    expect(jest.getTimerCount()).toBe(0);
    expect((await rows(ds)).map((r) => [r.hub, r.transport])).toEqual([['hub-b', 'wecom']]);
    clock = NOW + 60 * S;
    jest.advanceTimersByTime(60 * S);
    await reporter.settled();
    expect((await rows(ds)).map((r) => [r.hub, r.transport])).toEqual([['hub-b', 'wecom']]);
    await reporter.stop(); // twice: nothing
  });

  it('logs a failed write and writes again at the next interval; stop before start does nothing', async () => {
    const ds = db().ds;
    const lines: string[] = [];
    const log = createLogger(
      'warn',
      new Writable({
        write(chunk: Buffer, _e, cb) {
          lines.push(chunk.toString('utf8'));
          cb();
        },
      }),
    );
    const wechat = transport('wechat', new Error('health exploded'));
    const reporter = createStatusReporter({
      ds,
      hub: 'hub-a',
      transports: [wechat],
      now: () => clock,
      log,
    });
    await reporter.stop();
    await reporter.start();
    expect(await rows(ds)).toEqual([]);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({
        level: 40,
        msg: 'could not record the transports status',
        err: 'health exploded',
        hub: 'hub-a',
      }),
    ]);
    wechat.set({ state: 'online', lastMessageAt: null, queueLength: 0, restarts: 0 });
    clock = NOW + 15 * S;
    // The default interval is 15 s.
    jest.advanceTimersByTime(15 * S);
    await reporter.settled();
    expect((await rows(ds)).map((r) => [r.state, r.updatedAt])).toEqual([['online', clock]]);
    await reporter.stop();
    expect(await rows(ds)).toEqual([]);
  });

  it('removes, at start, rows of hubs silent for a day', async () => {
    const ds = db().ds;
    const h = { state: 'online', lastMessageAt: null, queueLength: 0, restarts: 0 };
    await recordTransportHealth(ds, 'died-yesterday', 'wechat', h, NOW - 86_400 * S - 1);
    await recordTransportHealth(ds, 'died-an-hour-ago', 'wechat', h, NOW - 3600 * S);
    const reporter = createStatusReporter({ ds, hub: 'hub-a', transports: [], now: () => clock });
    await reporter.start();
    expect((await rows(ds)).map((r) => r.hub)).toEqual(['died-an-hour-ago']);
    await reporter.stop();
  });
});

describe('createApp and the status reporter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-status-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the bot's row under the hub id once started, and removes it when stopped", async () => {
    const config = testConfig({
      db: { url: `sqlite:${join(dir, 'hub.sqlite')}` },
      cluster: { hubId: 'hub-main', leaseMs: 10_000 },
      bot: {
        enabled: true,
        puppet: 'wechaty-puppet-mock',
        name: join(dir, 'bot'),
        prefix: '/',
        sendIntervalMs: 10,
      },
    });
    const app = await createApp(config, silentLogger, { now: () => NOW });
    try {
      expect(await rows(app.ds)).toEqual([]);
      await app.start();
      const written = await rows(app.ds);
      expect(written.map((r) => [r.hub, r.transport, r.updatedAt])).toEqual([
        ['hub-main', 'wechat', NOW],
      ]);
      expect(['starting', 'scanning', 'online']).toContain(written[0].state);
      // The teardown removes the rows, then closes the database: read them through a connection of its own.
      const other = await openDataSource(config.db.url);
      try {
        await app.stop();
        expect(app.ds.isInitialized).toBe(false);
        expect(await rows(other)).toEqual([]);
      } finally {
        await other.destroy();
      }
    } finally {
      await app.stop();
    }
  });
});
