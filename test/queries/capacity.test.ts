// Tests of the capacity read model on both engines: hourly maxima per server and mount, empty totals skipped, sites and one server.
import { DiskSample, MemSample, Server } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { hourlyDiskUse, hourlyMemUse } from '../../src/queries/capacity';
import { describeEachEngine, resetDb } from '../helpers/db';

const HOUR = 3_600_000;
const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 1, 0);

describeEachEngine('capacity read model', (db) => {
  const ds = () => db().ds;
  let ids: { a: number; b: number; app01: number; db01: number; other: number };

  beforeAll(async () => {
    await resetDb(db());
    const a = await addSite(ds(), { code: 'A1', name: 'A', baseUrl: 'http://a' }, T0);
    const b = await addSite(ds(), { code: 'B1', name: 'B', baseUrl: 'http://b' }, T0);
    const repo = ds().getRepository(Server);
    const add = (siteId: number, name: string) =>
      repo.save(repo.create({ siteId, name, ip: '10.0.0.1', firstSeenAt: T0, lastSeenAt: T0 }));
    const app01 = await add(a.id, 'app01');
    const db01 = await add(a.id, 'db01');
    const other = await add(b.id, 'web01');
    ids = { a: a.id, b: b.id, app01: app01.id, db01: db01.id, other: other.id };
    const d = (serverId: number, at: number, mount: string, used: number, total = 1000) =>
      ds()
        .getRepository(DiskSample)
        .insert({ serverId, sampledAt: at, mount, usedBytes: used, totalBytes: total });
    const m = (serverId: number, at: number, used: number, total = 1000) =>
      ds()
        .getRepository(MemSample)
        .insert({
          serverId,
          sampledAt: at,
          usedBytes: used,
          freeBytes: total - used,
          bufferBytes: 0,
          totalBytes: total,
        });
    // app01 /data: three samples in the first hour (max 82.5 %), one in the next, one with no total.
    await d(app01.id, T0 + 5 * MIN, '/data', 800);
    await d(app01.id, T0 + 30 * MIN, '/data', 825);
    await d(app01.id, T0 + 55 * MIN, '/data', 810);
    await d(app01.id, T0 + HOUR, '/data', 830);
    await d(app01.id, T0 + 2 * HOUR, '/data', 0, 0);
    await d(app01.id, T0 + 10 * MIN, '/', 333, 999);
    await d(db01.id, T0 + 10 * MIN, '/', 100);
    await d(other.id, T0 + 10 * MIN, '/', 900);
    // Outside the range.
    await d(app01.id, T0 + 5 * HOUR, '/data', 999);
    await m(app01.id, T0 + MIN, 600);
    await m(app01.id, T0 + 59 * MIN, 650);
    await m(app01.id, T0 + 61 * MIN, 640);
    await m(other.id, T0 + MIN, 100);
  });

  it('gives the hourly maximum disk use of every mount of the sites, by server and mount', async () => {
    expect(await hourlyDiskUse(ds(), { siteIds: [ids.a] }, T0, T0 + 3 * HOUR)).toEqual([
      {
        siteId: ids.a,
        serverId: ids.app01,
        server: 'app01',
        mount: '/',
        points: [{ at: T0, pct: (100 * 333) / 999 }],
      },
      {
        siteId: ids.a,
        serverId: ids.app01,
        server: 'app01',
        mount: '/data',
        points: [
          { at: T0, pct: 82.5 },
          { at: T0 + HOUR, pct: 83 },
        ],
      },
      {
        siteId: ids.a,
        serverId: ids.db01,
        server: 'db01',
        mount: '/',
        points: [{ at: T0, pct: 10 }],
      },
    ]);
    expect(
      (
        await hourlyDiskUse(
          ds(),
          { siteIds: [ids.a, ids.b], serverId: ids.other },
          T0,
          T0 + 3 * HOUR,
        )
      ).map((s) => [s.server, s.mount, s.points]),
    ).toEqual([['web01', '/', [{ at: T0, pct: 90 }]]]);
    expect(await hourlyDiskUse(ds(), { siteIds: [] }, T0, T0 + 3 * HOUR)).toEqual([]);
  });

  it('gives the hourly maximum memory use of every server of the sites', async () => {
    expect(await hourlyMemUse(ds(), { siteIds: [ids.a] }, T0, T0 + 3 * HOUR)).toEqual([
      {
        siteId: ids.a,
        serverId: ids.app01,
        server: 'app01',
        mount: null,
        points: [
          { at: T0, pct: 65 },
          { at: T0 + HOUR, pct: 64 },
        ],
      },
    ]);
  });
});
