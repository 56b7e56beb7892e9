// `sitewatch status`: the transports every hub reported and the channels' outbox, in the configured zone, as text and --json; exit 0 when all can send and nothing failed, else 1 with the reason.
import type { DataSource } from 'typeorm';
import { OutboxMessage } from '../../entities';
import { recordTransportHealth } from '../../src/admin/transport-status';
import { table } from '../../src/cli/io';
import { migrate, openDataSource } from '../../src/db/data-source';
import { channelDefinitions } from '../../src/notify/channels/registry';
import { cli } from '../helpers/cli';
import { urlDatabases } from '../helpers/db';

/** 2026-11-25 21:00 in Asia/Shanghai. */
const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;

const engines = urlDatabases('sitewatch status');

const TRANSPORTS =
  'Transports (times in Asia/Shanghai):\n' +
  'TRANSPORT  HUB    STATE          SINCE             HOLDER  LAST MESSAGE      QUEUE  RESTARTS  REPORTED\n' +
  'wechat     hub-a  online         2026-11-25 19:00  -       2026-11-25 20:55  1      2         5 s ago\n' +
  'wechat     hub-c  online         2026-11-24 19:00  -       -                 0      0         50 min ago, stale\n' +
  'wecom      hub-a  authenticated  2026-11-25 20:00  -       -                 3      0         5 s ago\n' +
  'wecom      hub-b  standby        2026-11-25 20:00  hub-a   -                 0      1         10 s ago\n';

/** The channel table: the seeded channels' cells, every other registered channel empty. */
function channels(seeded: Record<string, (string | number)[]>): string {
  return (
    'Channels:\n' +
    table([
      [
        'CHANNEL',
        'CONFIGURED',
        'PENDING',
        'SENDING',
        'FAILED',
        'SENT 24H',
        'OLDEST PENDING',
        'LAST ERROR',
      ],
      ...channelDefinitions.map((d) => [
        d.name,
        ...(seeded[d.name] ?? ['no', 0, 0, 0, 0, '-', '-']),
      ]),
    ])
  );
}

describe.each(engines)('sitewatch status [$name]', ({ open }) => {
  let env: Record<string, string>;
  let ds: DataSource;
  let drop: () => Promise<void>;
  let failedId: number;

  const put = async (m: Partial<OutboxMessage>) => {
    const repo = ds.getRepository(OutboxMessage);
    return (
      await repo.save(
        repo.create({
          channel: 'email',
          recipient: 'ops@example.com',
          dedupeKey: `k${Math.random()}`,
          kind: 'alarms',
          siteId: null,
          payload: '{}',
          status: 'pending',
          attempts: 0,
          partsSent: 0,
          nextTryAt: NOW,
          claimedBy: null,
          claimedUntil: null,
          lastError: null,
          createdAt: NOW - HOUR,
          updatedAt: NOW - HOUR,
          sentAt: null,
          ...m,
        }),
      )
    ).id;
  };

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    env = {
      SITEWATCH_DB: db.url,
      SITEWATCH_LOG_LEVEL: 'silent',
      SITEWATCH_SMTP_URL: 'smtp://127.0.0.1:2525',
    };
    ds = await openDataSource(db.url);
    await migrate(ds);
    const h = (state: string, since: number, extra: object = {}) => ({
      state,
      since,
      lastMessageAt: null,
      queueLength: 0,
      restarts: 0,
      ...extra,
    });
    await recordTransportHealth(
      ds,
      'hub-a',
      'wechat',
      h('online', NOW - 2 * HOUR, { lastMessageAt: NOW - 5 * MIN, queueLength: 1, restarts: 2 }),
      NOW - 5 * S,
    );
    // hub-c died 50 minutes ago without stopping.
    await recordTransportHealth(
      ds,
      'hub-c',
      'wechat',
      h('online', NOW - 26 * HOUR),
      NOW - 50 * MIN,
    );
    await recordTransportHealth(
      ds,
      'hub-a',
      'wecom',
      h('authenticated', NOW - HOUR, { queueLength: 3 }),
      NOW - 5 * S,
    );
    await recordTransportHealth(
      ds,
      'hub-b',
      'wecom',
      h('standby', NOW - HOUR, { holder: 'hub-a', restarts: 1 }),
      NOW - 10 * S,
    );
    await put({ createdAt: NOW - 12 * MIN });
    failedId = await put({
      status: 'failed',
      attempts: 8,
      lastError: '550 5.7.1 Message rejected\n  as spam',
      updatedAt: NOW - 30 * MIN,
    });
    await put({ status: 'sent', sentAt: NOW - 23 * HOUR });
    await put({ status: 'sent', sentAt: NOW - 25 * HOUR });
    await put({ channel: 'wechat', recipient: 'room:运维', status: 'sent', sentAt: NOW - HOUR });
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  // The CLI reads Date.now(): only the date is faked, the drivers keep their timers.
  beforeEach(() => {
    jest.useFakeTimers({
      now: NOW,
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  const seededChannels = {
    email: ['yes', 1, 0, 1, 1, '12 min', '550 5.7.1 Message rejected as spam'],
    wechat: ['yes', 0, 0, 0, 1, '-', '-'],
  };

  it("prints every hub's transports and the channels, and exits 1 for a failed message", async () => {
    expect(await cli(['status'], env)).toEqual({
      code: 1,
      stdout: TRANSPORTS + '\n' + channels(seededChannels) + 'Not OK: 1 failed email message(s).\n',
      stderr: '',
    });
  });

  it('gives the same as JSON, with the problems', async () => {
    const r = await cli(['status', '--json'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toEqual({
      ok: false,
      summary: 'Not OK: 1 failed email message(s).',
      now: NOW,
      timezone: 'Asia/Shanghai',
      expectedTransports: ['wechat'],
      transports: [
        {
          transport: 'wechat',
          hub: 'hub-a',
          state: 'online',
          since: NOW - 2 * HOUR,
          holder: null,
          lastMessageAt: NOW - 5 * MIN,
          queueLength: 1,
          restarts: 2,
          updatedAt: NOW - 5 * S,
          stale: false,
        },
        {
          transport: 'wechat',
          hub: 'hub-c',
          state: 'online',
          since: NOW - 26 * HOUR,
          holder: null,
          lastMessageAt: null,
          queueLength: 0,
          restarts: 0,
          updatedAt: NOW - 50 * MIN,
          stale: true,
        },
        expect.objectContaining({ transport: 'wecom', hub: 'hub-a', stale: false }),
        expect.objectContaining({ transport: 'wecom', hub: 'hub-b', holder: 'hub-a' }),
      ],
      channels: channelDefinitions.map((d) =>
        d.name === 'email'
          ? {
              name: 'email',
              configured: true,
              pending: 1,
              sending: 0,
              failed: 1,
              sent24h: 1,
              oldestPendingAt: NOW - 12 * MIN,
              lastError: '550 5.7.1 Message rejected\n  as spam',
              lastErrorAt: NOW - 30 * MIN,
            }
          : expect.objectContaining({ name: d.name, failed: 0 }),
      ),
      problems: [{ kind: 'failed', channel: 'email', failed: 1 }],
    });
  });

  it('exits 0 once nothing failed and every configured transport has a fresh hub that can send', async () => {
    await ds.query("UPDATE outbox SET status = 'pending' WHERE id = ?", [failedId]);
    try {
      const r = await cli(['status'], env);
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').slice(-2)).toEqual([
        'OK: wechat can send; no failed messages.',
        '',
      ]);
      const both = await cli(['status'], {
        ...env,
        SITEWATCH_WECOM_BOT_ENABLED: 'true',
        SITEWATCH_WECOM_BOT_ID: 'bot-1',
        SITEWATCH_WECOM_BOT_SECRET: 'secret-1',
      });
      expect([both.code, both.stdout.split('\n').at(-2)]).toEqual([
        0,
        'OK: wechat and wecom can send; no failed messages.',
      ]);
      expect(JSON.parse((await cli(['status', '--json'], env)).stdout)).toMatchObject({
        ok: true,
        problems: [],
      });
    } finally {
      await ds.query("UPDATE outbox SET status = 'failed' WHERE id = ?", [failedId]);
    }
  });

  it('shows times in the configured zone', async () => {
    const r = await cli(['status'], { ...env, SITEWATCH_TZ: 'Europe/London' });
    expect(r.stdout.split('\n').slice(0, 3)).toEqual([
      'Transports (times in Europe/London):',
      'TRANSPORT  HUB    STATE          SINCE             HOLDER  LAST MESSAGE      QUEUE  RESTARTS  REPORTED',
      'wechat     hub-a  online         2026-11-25 11:00  -       2026-11-25 12:55  1      2         5 s ago',
    ]);
  });

  it('exits 1 when a configured transport has only stale or standby hubs, or none at all', async () => {
    await ds.query("UPDATE outbox SET status = 'pending' WHERE id = ?", [failedId]);
    const wecomOnly = {
      ...env,
      SITEWATCH_BOT_ENABLED: 'false',
      SITEWATCH_WECOM_BOT_ENABLED: 'true',
      SITEWATCH_WECOM_BOT_ID: 'bot-1',
      SITEWATCH_WECOM_BOT_SECRET: 'secret-1',
    };
    try {
      expect((await cli(['status'], wecomOnly)).code).toBe(0);
      // The holder hub-a stops reporting: hub-b is only on standby.
      await ds.query(
        "UPDATE transport_status SET updated_at = ? WHERE hub = 'hub-a' AND transport = 'wecom'",
        [NOW - 46 * S],
      );
      const stale = await cli(['status'], wecomOnly);
      expect([stale.code, stale.stderr, stale.stdout.split('\n').at(-2)]).toEqual([
        1,
        '',
        'Not OK: wecom cannot send (hub-a stale, hub-b standby).',
      ]);
      expect(stale.stdout).toContain(
        'wecom      hub-a  authenticated  2026-11-25 20:00  -       -                 3      0         46 s ago, stale\n',
      );
      await ds.query("DELETE FROM transport_status WHERE transport = 'wecom'");
      const none = await cli(['status'], wecomOnly);
      expect([none.code, none.stdout.split('\n').at(-2)]).toEqual([
        1,
        'Not OK: no hub reports wecom.',
      ]);
      // Configured and reported by no hub; WeChat, not configured here, is still listed as reported.
      expect(none.stdout.split('\n').slice(0, 5)).toEqual([
        'Transports (times in Asia/Shanghai):',
        'TRANSPORT  HUB    STATE         SINCE             HOLDER  LAST MESSAGE      QUEUE  RESTARTS  REPORTED',
        'wechat     hub-a  online        2026-11-25 19:00  -       2026-11-25 20:55  1      2         5 s ago',
        'wechat     hub-c  online        2026-11-24 19:00  -       -                 0      0         50 min ago, stale',
        'wecom      -      not reported  -                 -       -                 -      -         never',
      ]);
      await ds.query('DELETE FROM transport_status');
      const empty = await cli(['status'], { ...env, SITEWATCH_BOT_ENABLED: 'false' });
      expect([
        empty.code,
        empty.stdout.split('\n').slice(0, 2),
        empty.stdout.split('\n').at(-2),
      ]).toEqual([
        0,
        ['Transports (times in Asia/Shanghai):', 'No chat transport is configured or reported.'],
        'OK: no chat transport is configured; no failed messages.',
      ]);
    } finally {
      await ds.query("UPDATE outbox SET status = 'failed' WHERE id = ?", [failedId]);
    }
  });
});
