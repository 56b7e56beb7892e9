// createJobs: the hub's scheduled work as data (ingest, sending, reminders, retention, the daily report per zone in use) on one scheduler.
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema';
import type { Leases } from '../cluster/leases';
import type { IngestService } from '../ingest/ingest-service';
import type { Logger } from '../log';
import type { Notifications } from '../notify';
import { type Scheduler, createScheduler } from '../scheduler/scheduler';
import {
  createDailyReportZones,
  createNotifyJob,
  createReminderJob,
  createReportZonesJob,
} from './alarm-jobs';
import { createIngestJob } from './ingest-job';
import { createRetentionJob } from './retention-job';

export interface JobsDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  leases: Leases;
  ingest: IngestService;
  notifications: Notifications;
  now: () => number;
  /** false: no jobs at all (`sitewatch bot` runs the bot alone). */
  schedule: boolean;
}

export interface Jobs {
  scheduler: Scheduler;
  /** Add the daily report job of every zone in use (run once before the scheduler starts). */
  syncReportZones(): Promise<void>;
}

export function createJobs(deps: JobsDeps): Jobs {
  const { ds, config, log, leases, ingest, notifications, now } = deps;
  const s = config.schedule;
  const tz = config.timezone;
  const scheduler = createScheduler([], log, leases);
  if (!deps.schedule) return { scheduler, syncReportZones: async () => undefined };
  const zones = createDailyReportZones({
    schedule: s.dailyReport,
    defaultTz: tz,
    run: async (t, zone) => {
      const r = await notifications.dailyReport.run(t, zone);
      await notifications.dispatcher.runOnce();
      return r;
    },
    log,
    now,
    zonesInUse: async () =>
      (
        (await ds.query(
          'SELECT DISTINCT timezone FROM site WHERE timezone IS NOT NULL ORDER BY timezone',
        )) as { timezone: string }[]
      ).map((r) => r.timezone),
    scheduler,
  });
  for (const job of [
    createIngestJob({
      ingest,
      schedule: s.ingest,
      timezone: tz,
      log,
      after: () => notifications.afterIngest(),
    }),
    createNotifyJob({
      schedule: s.notify,
      timezone: tz,
      sweep: () => notifications.dispatcher.runOnce(),
      log,
    }),
    createReminderJob({
      schedule: s.reminders,
      timezone: tz,
      run: () => notifications.remind(),
      log,
    }),
    createRetentionJob({ ds, config, log, now }),
    createReportZonesJob({ schedule: s.ingest, timezone: tz, zones, log, now }),
  ])
    scheduler.add(job);
  return {
    scheduler,
    async syncReportZones() {
      await zones.sync();
    },
  };
}
