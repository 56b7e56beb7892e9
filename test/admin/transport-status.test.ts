// transport_status's write path on both engines: one row per (hub, transport) overwritten in place, hubs apart, a clean stop removing its hub's rows.
import type { DataSource } from 'typeorm';
import { TransportStatus } from '../../entities';
import {
  forgetHub,
  forgetSilentHubs,
  recordTransportHealth,
} from '../../src/admin/transport-status';
import { describeEachEngine } from '../helpers/db';

const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const S = 1000;

async function rows(ds: DataSource) {
  return ds.getRepository(TransportStatus).find({ order: { hub: 'ASC', transport: 'ASC' } });
}

describeEachEngine('transport status write path', (db) => {
  beforeEach(async () => {
    await db().ds.query('DELETE FROM transport_status');
  });

  it('inserts a row, then overwrites every column of the same (hub, transport)', async () => {
    const ds = db().ds;
    await recordTransportHealth(
      ds,
      'hub-a',
      'wechat',
      { state: 'scanning', since: NOW - 60 * S, lastMessageAt: null, queueLength: 0, restarts: 0 },
      NOW,
    );
    expect(await rows(ds)).toEqual([
      {
        hub: 'hub-a',
        transport: 'wechat',
        state: 'scanning',
        since: NOW - 60 * S,
        holder: null,
        lastMessageAt: null,
        queueLength: 0,
        restarts: 0,
        updatedAt: NOW,
      },
    ]);
    await recordTransportHealth(
      ds,
      'hub-a',
      'wechat',
      {
        state: 'online',
        since: NOW + 5 * S,
        holder: null,
        lastMessageAt: NOW + 10 * S,
        queueLength: 3,
        restarts: 2,
      },
      NOW + 15 * S,
    );
    expect(await rows(ds)).toEqual([
      {
        hub: 'hub-a',
        transport: 'wechat',
        state: 'online',
        since: NOW + 5 * S,
        holder: null,
        lastMessageAt: NOW + 10 * S,
        queueLength: 3,
        restarts: 2,
        updatedAt: NOW + 15 * S,
      },
    ]);
    // A health without `since` or `holder` stores null for them, not the old values.
    await recordTransportHealth(
      ds,
      'hub-a',
      'wechat',
      { state: 'offline', lastMessageAt: NOW + 10 * S, queueLength: 0, restarts: 2 },
      NOW + 30 * S,
    );
    expect(await rows(ds)).toMatchObject([
      { state: 'offline', since: null, holder: null, updatedAt: NOW + 30 * S },
    ]);
  });

  it('keeps two hubs and two transports apart, and forgets only the hub that stopped', async () => {
    const ds = db().ds;
    const h = (state: string, holder: string | null = null) => ({
      state,
      since: NOW - 600 * S,
      holder,
      lastMessageAt: null,
      queueLength: 0,
      restarts: 0,
    });
    await recordTransportHealth(ds, 'hub-a', 'wecom', h('authenticated'), NOW);
    await recordTransportHealth(ds, 'hub-b', 'wecom', h('standby', 'hub-a'), NOW + S);
    await recordTransportHealth(ds, 'hub-a', 'wechat', h('online'), NOW);
    await recordTransportHealth(ds, 'hub-b', 'wechat', h('scanning'), NOW + S);
    expect((await rows(ds)).map((r) => [r.hub, r.transport, r.state, r.holder])).toEqual([
      ['hub-a', 'wechat', 'online', null],
      ['hub-a', 'wecom', 'authenticated', null],
      ['hub-b', 'wechat', 'scanning', null],
      ['hub-b', 'wecom', 'standby', 'hub-a'],
    ]);

    expect(await forgetHub(ds, 'hub-a')).toBe(2);
    expect((await rows(ds)).map((r) => [r.hub, r.transport])).toEqual([
      ['hub-b', 'wechat'],
      ['hub-b', 'wecom'],
    ]);
    expect(await forgetHub(ds, 'hub-a')).toBe(0);
    // The hub comes back (same id): its rows are written again.
    await recordTransportHealth(ds, 'hub-a', 'wecom', h('connecting'), NOW + 20 * S);
    expect((await rows(ds)).map((r) => [r.hub, r.transport, r.state])).toEqual([
      ['hub-a', 'wecom', 'connecting'],
      ['hub-b', 'wechat', 'scanning'],
      ['hub-b', 'wecom', 'standby'],
    ]);
  });

  it('removes the rows of hubs silent since before a given time', async () => {
    const ds = db().ds;
    const h = { state: 'online', lastMessageAt: null, queueLength: 0, restarts: 0 };
    await recordTransportHealth(ds, 'dead', 'wechat', h, NOW - 2 * 86_400 * S);
    await recordTransportHealth(ds, 'alive', 'wechat', h, NOW);
    expect(await forgetSilentHubs(ds, NOW - 86_400 * S)).toBe(1);
    expect((await rows(ds)).map((r) => r.hub)).toEqual(['alive']);
  });
});
