// The daily report's zone jobs: one per zone in use, added while the hub runs, a refused zone logged once.
import { Writable } from 'node:stream';
import pino from 'pino';
import { createDailyReportZones, createReportZonesJob } from '../../src/jobs/alarm-jobs';
import { createScheduler } from '../../src/scheduler/scheduler';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino(
    { level: 'info' },
    new Writable({ write: (c, _e, cb) => (lines.push(JSON.parse(String(c))), cb()) }),
  );
  return { log, lines };
}

describe('daily report zones', () => {
  it('adds the default zone, then each zone the sites start to use, once; a zone node-cron refuses is logged once', async () => {
    const { log, lines } = capture();
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

  it('the report-zones job runs the sync on every hub and logs the zones it added', async () => {
    const { log, lines } = capture();
    const added = [['Europe/Berlin'], []];
    const job = createReportZonesJob({
      schedule: '*/5 * * * *',
      timezone: 'Asia/Shanghai',
      sync: async () => added.shift() ?? [],
      log,
    });
    expect(job).toMatchObject({ name: 'report-zones', cluster: 'shared' });
    await job.run({ firedAt: new Date(), scheduled: true });
    await job.run({ firedAt: new Date(), scheduled: true });
    expect(lines.map((l) => [l.msg, l.zones])).toEqual([
      ['daily report scheduled for new zones', ['Europe/Berlin']],
    ]);
  });
});
