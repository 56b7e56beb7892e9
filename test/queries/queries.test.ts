// Tests of the read models (src/queries) on both engines against the seeded database.
import {
  activeAlarms,
  dailyFigures,
  findServers,
  serverSeries,
  siteHealth,
  siteStatus,
  visibleSites,
  visibleSitesWithHealth,
  yesterdayFigures,
} from '../../src/queries';
import { describeEachEngine, resetDb } from '../helpers/db';
import { GIB, HOUR, MIN, NOW, seed, type Seeded } from '../commands/seed';

describeEachEngine('queries', (db) => {
  let s: Seeded;
  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });

  it('lists the enabled sites an admin or an operator may see', async () => {
    const ds = db().ds;
    expect((await visibleSites(ds, s.admin)).map((x) => x.code)).toEqual(['BJ01', 'BJ02', 'SH01']);
    expect((await visibleSites(ds, s.li)).map((x) => x.code)).toEqual(['BJ01', 'SH01']);
    expect((await visibleSites(ds, s.wang)).map((x) => x.code)).toEqual(['BJ02']);
  });

  it('reports health: servers reporting vs stale, active alarms, last ingest and error', async () => {
    const h = await visibleSitesWithHealth(db().ds, s.li, NOW);
    expect(
      h.map((x) => [
        x.site.code,
        x.servers,
        x.reporting,
        x.stale,
        x.activeAlarms,
        x.lastSampleAt,
        x.lastSuccessAt,
        x.lastError,
      ]),
    ).toEqual([
      ['BJ01', 3, 2, 1, 2, NOW - 4 * MIN, NOW - 5 * MIN, null],
      ['SH01', 1, 1, 0, 1, NOW - 10 * MIN, NOW - HOUR, 'connect ECONNREFUSED 10.2.0.1:8088'],
    ]);
    // a tighter stale limit: only servers seen in the last 4 minutes report
    const tight = await siteHealth(db().ds, [s.sites.bj01], NOW, 4 * MIN);
    expect([tight[0].reporting, tight[0].stale]).toEqual([1, 2]);
  });

  it("gives each server's latest cpu, memory, worst disk and last seen", async () => {
    const st = await siteStatus(db().ds, s.sites.bj01, NOW);
    expect(st.activeAlarms).toBe(2);
    expect(
      st.servers.map((x) => [
        x.name,
        x.cpuPct,
        x.memPct,
        x.diskPct,
        x.diskMount,
        x.lastSeenAt,
        x.stale,
      ]),
    ).toEqual([
      ['app01', 15, 50, 80, '/data', NOW - 5 * MIN, false],
      ['app02', 6, 12.5, 25, '/', NOW - 4 * MIN, false],
      ['db01', 45, 75, 90, '/', NOW - 3 * HOUR, true],
    ]);
  });

  it("gives yesterday's figures with the day before, and a run of days", async () => {
    const y = await yesterdayFigures(db().ds, s.sites.bj01.id, NOW, 'Asia/Shanghai');
    expect(y.date).toBe('2026-11-24');
    expect(y.current).toEqual({
      date: '2026-11-24',
      sub: 140,
      unsub: 24,
      total: 10_400,
      calls: 54_000,
      shows: 42_000,
      mo: 3_040,
      mt: 6_080,
    });
    expect(y.previous?.date).toBe('2026-11-23');
    // at 21:00 Shanghai it is still 13:00 on the 25th in UTC: the same yesterday
    const r = await dailyFigures(db().ds, s.sites.bj01.id, 3, NOW, 'UTC');
    expect([r.from, r.to, r.days.map((d) => d.date)]).toEqual([
      '2026-11-22',
      '2026-11-24',
      ['2026-11-22', '2026-11-23', '2026-11-24'],
    ]);
    const none = await yesterdayFigures(db().ds, s.sites.sh01.id, NOW, 'UTC');
    expect([none.current, none.previous]).toEqual([null, null]);
  });

  it('lists active alarms newest first, capped, with the total', async () => {
    const ids = [s.sites.bj01.id, s.sites.sh01.id];
    const all = await activeAlarms(db().ds, ids, NOW);
    expect(all.total).toBe(3);
    expect(all.alarms.map((a) => [a.name, a.node, a.raisedAt, a.openMs])).toEqual([
      ['MEM_HIGH', 'app01', NOW - 30 * MIN, 30 * MIN],
      ['CPU_HIGH', 'app01', NOW - 90 * MIN, 90 * MIN],
      ['DISK_FULL', 'db01', NOW - 51 * HOUR, 51 * HOUR],
    ]);
    const capped = await activeAlarms(db().ds, ids, NOW, 1);
    expect([capped.total, capped.alarms.length]).toEqual([3, 1]);
    expect(await activeAlarms(db().ds, [], NOW)).toEqual({ total: 0, alarms: [] });
  });

  it('finds servers by name or IP among the given sites only', async () => {
    const ds = db().ds;
    const li = [s.sites.bj01.id, s.sites.sh01.id];
    expect((await findServers(ds, li, 'APP01')).map((x) => x.ip)).toEqual(['10.0.0.1', '10.2.0.1']);
    expect((await findServers(ds, li, '10.0.0.3')).map((x) => x.name)).toEqual(['db01']);
    expect((await findServers(ds, li, 'app')).map((x) => x.ip)).toEqual([
      '10.0.0.1',
      '10.2.0.1',
      '10.0.0.2',
    ]);
    expect(await findServers(ds, li, 'web01')).toEqual([]);
    expect(await findServers(ds, li, '%')).toEqual([]);
  });

  it("gives a server's points over the last N hours", async () => {
    const r = await serverSeries(db().ds, s.servers.app01.id, NOW, 1);
    expect(r.cpu.map((p) => [p.at, p.user, p.sys, p.io])).toEqual([
      [NOW - 60 * MIN, 10, 2, 0.5],
      [NOW - 30 * MIN, 20, 5, 1],
      [NOW - 5 * MIN, 12, 2.5, 0.5],
    ]);
    expect(r.mem.map((p) => p.usedBytes)).toEqual([3 * GIB, 5 * GIB, 4 * GIB]);
    expect(r.disk.map((m) => [m.mount, m.points.length])).toEqual([
      ['/', 3],
      ['/data', 3],
    ]);
    const short = await serverSeries(db().ds, s.servers.app01.id, NOW, 0.5);
    expect(short.cpu.length).toBe(2);
  });
});
