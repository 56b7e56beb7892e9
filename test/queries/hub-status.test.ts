// The hub status read model: transport rows stale after three intervals without a write (injected now), outbox counts per channel, and the problems `sitewatch status` exits 1 for.
import type { DataSource } from 'typeorm';
import { OutboxMessage } from '../../entities';
import { recordTransportHealth } from '../../src/admin/transport-status';
import { canSend } from '../../src/chat/transport';
import {
  STATUS_EVERY_MS,
  hubStatus,
  reportedTransports,
  statusProblems,
} from '../../src/queries/hub-status';
import { describeEachEngine } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const S = 1000;
const MIN = 60 * S;
const HOUR = 60 * MIN;
const CHANNELS = [
  { name: 'email', configured: true },
  { name: 'wechat', configured: true },
  { name: 'wecom', configured: false },
];

let key = 0;
async function put(ds: DataSource, m: Partial<OutboxMessage>): Promise<number> {
  const repo = ds.getRepository(OutboxMessage);
  const saved = await repo.save(
    repo.create({
      channel: 'email',
      recipient: 'ops@example.com',
      dedupeKey: `k${++key}`,
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
  );
  return saved.id;
}

const health = (state: string, extra: object = {}) => ({
  state,
  lastMessageAt: null,
  queueLength: 0,
  restarts: 0,
  ...extra,
});

describeEachEngine('hub status read model', (db) => {
  beforeEach(async () => {
    await db().ds.query('DELETE FROM transport_status');
    await db().ds.query('DELETE FROM outbox');
  });

  it('marks a row stale once it is older than three intervals, by transport then hub', async () => {
    const ds = db().ds;
    await recordTransportHealth(
      ds,
      'hub-b',
      'wecom',
      health('standby', { since: NOW - HOUR, holder: 'hub-a' }),
      NOW - 10 * S,
    );
    await recordTransportHealth(
      ds,
      'hub-a',
      'wecom',
      health('authenticated', { since: NOW - HOUR, lastMessageAt: NOW - MIN, queueLength: 2 }),
      NOW - 45 * S,
    );
    await recordTransportHealth(ds, 'hub-a', 'wechat', health('online'), NOW - 45 * S - 1);
    const s = await hubStatus(ds, { now: NOW, channels: [] });
    expect(s.everyMs).toBe(STATUS_EVERY_MS);
    expect(s.transports).toEqual([
      {
        transport: 'wechat',
        hub: 'hub-a',
        state: 'online',
        since: null,
        holder: null,
        lastMessageAt: null,
        queueLength: 0,
        restarts: 0,
        updatedAt: NOW - 45 * S - 1,
        stale: true,
      },
      {
        transport: 'wecom',
        hub: 'hub-a',
        state: 'authenticated',
        since: NOW - HOUR,
        holder: null,
        lastMessageAt: NOW - MIN,
        queueLength: 2,
        restarts: 0,
        updatedAt: NOW - 45 * S,
        // exactly three intervals old: not yet stale
        stale: false,
      },
      {
        transport: 'wecom',
        hub: 'hub-b',
        state: 'standby',
        since: NOW - HOUR,
        holder: 'hub-a',
        lastMessageAt: null,
        queueLength: 0,
        restarts: 0,
        updatedAt: NOW - 10 * S,
        stale: false,
      },
    ]);
    // A longer interval moves the limit; a minute later everything is stale.
    const slow = await hubStatus(ds, { now: NOW, channels: [], everyMs: 60 * S });
    expect(slow.transports.map((r) => r.stale)).toEqual([false, false, false]);
    const later = await hubStatus(ds, { now: NOW + MIN, channels: [] });
    expect(later.transports.map((r) => r.stale)).toEqual([true, true, true]);
    expect(reportedTransports(s)).toEqual(['wechat', 'wecom']);
  });

  it('counts the outbox per channel: pending, sending, failed, sent in 24 h, oldest pending, last error', async () => {
    const ds = db().ds;
    await put(ds, { createdAt: NOW - 2 * HOUR });
    await put(ds, { createdAt: NOW - 30 * MIN, nextTryAt: NOW + 5 * MIN, lastError: 'timeout' });
    await put(ds, { status: 'sending', createdAt: NOW - 3 * HOUR, claimedBy: 'hub-a' });
    await put(ds, {
      status: 'failed',
      lastError: '550 older failure',
      updatedAt: NOW - 20 * MIN,
    });
    await put(ds, {
      status: 'failed',
      lastError: '550 rejected\nas spam',
      updatedAt: NOW - 10 * MIN,
    });
    await put(ds, { status: 'sent', sentAt: NOW - 23 * HOUR });
    await put(ds, { status: 'sent', sentAt: NOW - 25 * HOUR });
    await put(ds, { channel: 'wechat', status: 'sent', sentAt: NOW - MIN });
    // A channel no definition names (an old one): listed after the known ones, as not configured.
    await put(ds, { channel: 'dingtalk', status: 'failed', lastError: 'HTTP 403' });
    const s = await hubStatus(ds, { now: NOW, channels: CHANNELS });
    expect(s.channels).toEqual([
      {
        name: 'email',
        configured: true,
        pending: 2,
        sending: 1,
        failed: 2,
        sent24h: 1,
        oldestPendingAt: NOW - 2 * HOUR,
        lastError: '550 rejected\nas spam',
        lastErrorAt: NOW - 10 * MIN,
      },
      {
        name: 'wechat',
        configured: true,
        pending: 0,
        sending: 0,
        failed: 0,
        sent24h: 1,
        oldestPendingAt: null,
        lastError: null,
        lastErrorAt: null,
      },
      {
        name: 'wecom',
        configured: false,
        pending: 0,
        sending: 0,
        failed: 0,
        sent24h: 0,
        oldestPendingAt: null,
        lastError: null,
        lastErrorAt: null,
      },
      {
        name: 'dingtalk',
        configured: false,
        pending: 0,
        sending: 0,
        failed: 1,
        sent24h: 0,
        oldestPendingAt: null,
        lastError: 'HTTP 403',
        lastErrorAt: NOW - HOUR,
      },
    ]);
  });

  it('finds the problems: a transport no hub reports, one no fresh hub can send on, failed messages', async () => {
    const ds = db().ds;
    const at = async (expected: string[]) =>
      statusProblems(await hubStatus(ds, { now: NOW, channels: CHANNELS }), {
        transports: expected,
        canSend,
      });
    expect(await at([])).toEqual([]);
    expect(await at(['wechat'])).toEqual([{ kind: 'unreported', transport: 'wechat' }]);

    // WeCom: the holder died (its row is stale), the other hub is still on standby.
    await recordTransportHealth(ds, 'hub-a', 'wecom', health('authenticated'), NOW - 2 * MIN);
    await recordTransportHealth(ds, 'hub-b', 'wecom', health('standby'), NOW - 5 * S);
    await recordTransportHealth(ds, 'hub-a', 'wechat', health('scanning'), NOW - 5 * S);
    expect(await at(['wechat', 'wecom'])).toEqual([
      {
        kind: 'cannot-send',
        transport: 'wechat',
        hubs: [{ hub: 'hub-a', state: 'scanning', stale: false }],
      },
      {
        kind: 'cannot-send',
        transport: 'wecom',
        hubs: [
          { hub: 'hub-a', state: 'authenticated', stale: true },
          { hub: 'hub-b', state: 'standby', stale: false },
        ],
      },
    ]);

    // hub-b took the connection over, WeChat logged in: one fresh hub that can send is enough.
    await recordTransportHealth(ds, 'hub-b', 'wecom', health('authenticated'), NOW);
    await recordTransportHealth(ds, 'hub-a', 'wechat', health('online'), NOW);
    expect(await at(['wechat', 'wecom'])).toEqual([]);

    await put(ds, { channel: 'wecom', status: 'failed', lastError: 'HTTP 500' });
    await put(ds, { channel: 'wecom', status: 'failed', lastError: 'HTTP 500' });
    await put(ds, { channel: 'email', status: 'pending' });
    expect(await at(['wechat', 'wecom'])).toEqual([
      { kind: 'failed', channel: 'wecom', failed: 2 },
    ]);
  });
});
