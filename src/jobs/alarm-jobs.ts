// The scheduled alarm work as jobs: the outbox sweep, reminders (with the stale sweep), and the daily report per zone.
import type { ReminderResult } from '../alarms/reminders';
import type { Logger } from '../log';
import type { SweepResult } from '../notify/dispatcher';
import type { Job } from '../scheduler/types';

export function createNotifyJob(deps: {
  schedule: string;
  timezone: string;
  sweep: () => Promise<SweepResult>;
  log: Logger;
}): Job {
  return {
    name: 'notify',
    schedule: deps.schedule,
    timezone: deps.timezone,
    // Every hub sends: the outbox rows themselves are claimed one hub at a time.
    cluster: 'shared',
    async run() {
      const r = await deps.sweep();
      if (r.sent + r.retrying + r.failed > 0) deps.log.info(r, 'outbox sweep');
    },
  };
}

export function createReminderJob(deps: {
  schedule: string;
  timezone: string;
  run: (now: number) => Promise<{ stale: number } & ReminderResult>;
  log: Logger;
  now?: () => number;
}): Job {
  return {
    name: 'reminders',
    schedule: deps.schedule,
    timezone: deps.timezone,
    async run() {
      const r = await deps.run((deps.now ?? Date.now)());
      if (r.stale + r.reminded + r.escalated > 0) deps.log.info(r, 'alarm reminders');
    },
  };
}

/** One job per time zone in use, so that each site's report goes out at its own 09:00. */
export function createDailyReportJobs(deps: {
  schedule: string;
  defaultTz: string;
  zones: readonly string[];
  run: (now: number, tz: string) => Promise<{ sites: number; messages: number }>;
  log: Logger;
  now?: () => number;
}): Job[] {
  const zones = [...new Set([deps.defaultTz, ...deps.zones])];
  return zones.map((tz) => ({
    name: tz === deps.defaultTz ? 'daily-report' : `daily-report@${tz}`,
    schedule: deps.schedule,
    timezone: tz,
    async run() {
      const r = await deps.run((deps.now ?? Date.now)(), tz);
      deps.log.info({ tz, ...r }, 'daily report queued');
    },
  }));
}
