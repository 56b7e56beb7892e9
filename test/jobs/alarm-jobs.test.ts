// The daily report's zone jobs: one per zone in use, added while the hub runs, a refused zone logged once, a missed report caught up once.
import { createDailyReportZones, createReportZonesJob } from '../../src/jobs/alarm-jobs';
import { createLeases } from '../../src/cluster/leases';
import { createScheduler } from '../../src/scheduler/scheduler';
import { describeEachEngine, resetDb } from '../helpers/db';
import { captureLog } from '../helpers/log';

describe('daily report zones', () => {
  it('adds the default zone, then each zone the sites start to use, once; a zone node-cron refuses is logged once', async () => {
    const { log, lines } = captureLog();
    const scheduler = createScheduler([], log);
    let inUse = ['Asia/Shanghai'];
    const runs: [number, string][] = [];
    const zones = createDailyReportZones({
      schedule: '0 9 * * *',
      defaultTz: 'Asia/Shanghai',
      run: async (now, tz) => (runs.push([now, tz]), { sites: 1, messages: 2 }),
      log,
      now: () => 1_795_000_000_000,
      zonesInUse: async () => inUse,
      scheduler,
    });
    expect(await zones.sync()).toEqual(['Asia/Shanghai']);
    expect(await zones.sync()).toEqual([]);
    inUse = ['America/New_York', 'Asia/Shanghai', 'Europe/Berlin'];
    expect(await zones.sync()).toEqual(['America/New_York', 'Europe/Berlin']);
    expect(scheduler.jobs().map((j) => [j.name, j.schedule, j.timezone])).toEqual([
      ['daily-report', '0 9 * * *', 'Asia/Shanghai'],
      ['daily-report@America/New_York', '0 9 * * *', 'America/New_York'],
      ['daily-report@Europe/Berlin', '0 9 * * *', 'Europe/Berlin'],
    ]);
    // Each job reports its own zone's sites.
    expect(await scheduler.runNow('daily-report@Europe/Berlin')).toBe(true);
    expect(runs).toEqual([[1_795_000_000_000, 'Europe/Berlin']]);
    expect(lines.find((l) => l.msg === 'daily report queued')).toMatchObject({
      tz: 'Europe/Berlin',
      sites: 1,
      messages: 2,
    });

    // Once started, a bad zone (written to the database by hand) is refused by node-cron: logged once.
    scheduler.start();
    try {
      inUse = ['Mars/Olympus', 'Asia/Tokyo'];
      expect(await zones.sync()).toEqual(['Asia/Tokyo']);
      expect(await zones.sync()).toEqual([]);
      const refused = lines.filter((l) => l.msg === 'daily report not scheduled for this zone');
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ level: 50, tz: 'Mars/Olympus' });
      expect(scheduler.jobs().map((j) => j.name)).toContain('daily-report@Asia/Tokyo');
      expect(scheduler.jobs().map((j) => j.name)).not.toContain('daily-report@Mars/Olympus');
    } finally {
      await scheduler.stop();
    }
  });

  it('a schedule node-cron reads but cron-parser cannot ("monday") still schedules; catch-up says once that it cannot look back', async () => {
    const { log, lines } = captureLog();
    const scheduler = createScheduler([], log);
    const zones = createDailyReportZones({
      schedule: '0 9 * * monday',
      defaultTz: 'Asia/Shanghai',
      run: async () => ({ sites: 0, messages: 0 }),
      log,
      zonesInUse: async () => [],
      scheduler,
    });
    expect(await zones.sync()).toEqual(['Asia/Shanghai']);
    expect(await zones.catchUp(T_MORNING)).toEqual([]);
    expect(await zones.catchUp(T_MORNING)).toEqual([]);
    expect(lines.map((l) => [l.level, l.msg, l.schedule])).toEqual([
      [
        50,
        'missed daily reports cannot be caught up: cron-parser cannot read the schedule',
        '0 9 * * monday',
      ],
    ]);
  });

  it('the report-zones job syncs and catches up on every hub, and logs what it did', async () => {
    const { log, lines } = captureLog();
    const added = [['Europe/Berlin'], []];
    const caught = [[], ['Asia/Shanghai']];
    const at: number[] = [];
    const job = createReportZonesJob({
      schedule: '*/5 * * * *',
      timezone: 'Asia/Shanghai',
      zones: {
        sync: async () => added.shift() ?? [],
        catchUp: async (now) => (at.push(now), caught.shift() ?? []),
      },
      log,
      now: () => T_MORNING,
    });
    expect(job).toMatchObject({ name: 'report-zones', cluster: 'shared' });
    await job.run({ firedAt: new Date(), scheduled: true });
    await job.run({ firedAt: new Date(), scheduled: true });
    expect(at).toEqual([T_MORNING, T_MORNING]);
    expect(lines.map((l) => [l.msg, l.zones])).toEqual([
      ['daily report scheduled for new zones', ['Europe/Berlin']],
      ['missed daily report sent', ['Asia/Shanghai']],
    ]);
  });
});

/** 2026-11-26 10:30 in Shanghai, 03:30 in Berlin. */
const T_MORNING = Date.UTC(2026, 10, 26, 2, 30);

describeEachEngine('daily report catch-up', (db) => {
  beforeEach(() => resetDb(db()));

  function hub(owner: string, t: () => number) {
    const { log, lines } = captureLog();
    const leases = createLeases({ ds: db().ds, owner, ttlMs: 60_000, now: t });
    const scheduler = createScheduler([], log, leases);
    const runs: [string, number][] = [];
    const zones = createDailyReportZones({
      schedule: '0 9 * * *',
      defaultTz: 'Asia/Shanghai',
      run: async (now, tz) => (runs.push([tz, now]), { sites: 1, messages: 1 }),
      log,
      now: t,
      zonesInUse: async () => ['Europe/Berlin'],
      scheduler,
    });
    return { zones, runs, lines };
  }

  it('sends the report whose time passed today while no hub ran, once across hubs', async () => {
    let t = T_MORNING;
    const a = hub('hub-a', () => t);
    const b = hub('hub-b', () => t);
    await a.zones.sync();
    await b.zones.sync();
    // Shanghai's 09:00 passed an hour and a half ago; Berlin's last 09:00 was yesterday.
    expect(await a.zones.catchUp(t)).toEqual(['Asia/Shanghai']);
    expect(a.runs).toEqual([['Asia/Shanghai', T_MORNING]]);
    expect(await b.zones.catchUp(t)).toEqual([]);
    expect(await a.zones.catchUp(t + 300_000)).toEqual([]);
    expect(b.runs).toEqual([]);
    // Logged once, not at every check.
    expect(a.lines.filter((l) => l.msg === 'catching up a missed run')).toEqual([
      expect.objectContaining({ job: 'daily-report', slot: '2026-11-26T01:00:00.000Z' }),
    ]);
    expect(b.lines.filter((l) => l.msg === 'job skipped: another hub runs it')).toEqual([]);
    const [lease] = (await db().ds.query(
      "SELECT done_slot FROM job_lease WHERE name = 'job:daily-report'",
    )) as { done_slot: number | string }[];
    expect(Number(lease.done_slot)).toBe(Date.UTC(2026, 10, 26, 1, 0));

    // Berlin's 09:00 (08:00 UTC) comes and goes with both hubs down; at 09:30 there it is caught up.
    t = Date.UTC(2026, 10, 26, 8, 30);
    expect(await b.zones.catchUp(t)).toEqual(['Europe/Berlin']);
    expect(await a.zones.catchUp(t)).toEqual([]);
    expect(b.runs).toEqual([['Europe/Berlin', t]]);
  });
});
