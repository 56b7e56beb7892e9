// The scheduled alarm work as jobs: the outbox sweep, reminders (with the stale sweep), and the daily report per zone in use.
import type { ReminderResult } from '../alarms/reminders';
import { CronExpressionParser } from 'cron-parser';
import { describeError } from '../errors';
import type { Logger } from '../log';
import type { SweepResult } from '../notify/dispatcher';
import type { Scheduler } from '../scheduler/scheduler';
import { dayKey } from '../time';
import type { Job } from '../types/job';

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

export interface DailyReportJobDeps {
  schedule: string;
  defaultTz: string;
  run: (now: number, tz: string) => Promise<{ sites: number; messages: number }>;
  log: Logger;
  now?: () => number;
}

/** The daily report of the sites in zone `tz`, on the report schedule read in that zone (09:00 there). */
export function createDailyReportJob(deps: DailyReportJobDeps, tz: string): Job {
  return {
    name: tz === deps.defaultTz ? 'daily-report' : `daily-report@${tz}`,
    schedule: deps.schedule,
    timezone: tz,
    async run() {
      const r = await deps.run((deps.now ?? Date.now)(), tz);
      deps.log.info({ tz, ...r }, 'daily report queued');
    },
  };
}

/**
 * Keeps one daily-report job per time zone in use: `sync` adds the job of every zone the sites use
 * now and the scheduler lacks (a site added or moved to a new zone while the hub runs). A zone no
 * site uses any more keeps its job; it finds no sites and queues nothing.
 */
export function createDailyReportZones(
  deps: DailyReportJobDeps & {
    zonesInUse: () => Promise<string[]>;
    scheduler: Pick<Scheduler, 'add' | 'catchUp'>;
  },
) {
  // Zones tried, scheduled or not: a zone node-cron refuses is logged once, not at every sync.
  const tried = new Set<string>();
  const scheduled = new Map<string, string>();
  let unreadable = false;
  return {
    /**
     * Send each zone's report whose time passed today (in that zone) while no hub ran: a hub started
     * at 09:20 sends the 09:00 report. Once per slot across hubs; a report due yesterday is not sent
     * today (its "yesterday" would be another day). Returns the zones caught up.
     */
    async catchUp(now: number): Promise<string[]> {
      const caught: string[] = [];
      if (unreadable) return caught;
      for (const [tz, name] of scheduled) {
        let last: Date;
        try {
          last = CronExpressionParser.parse(deps.schedule, { currentDate: new Date(now), tz })
            .prev()
            .toDate();
        } catch (err) {
          // node-cron accepted it (the jobs run); only the look-back is off, so say it once.
          unreadable = true;
          deps.log.error(
            { schedule: deps.schedule, err: describeError(err) },
            'missed daily reports cannot be caught up: cron-parser cannot read the schedule',
          );
          return caught;
        }
        if (dayKey(last.getTime(), tz) !== dayKey(now, tz)) continue;
        if (await deps.scheduler.catchUp(name, last)) caught.push(tz);
      }
      return caught;
    },
    /** Adds the missing zones' jobs; returns the zones added. */
    async sync(): Promise<string[]> {
      const added: string[] = [];
      for (const tz of [deps.defaultTz, ...(await deps.zonesInUse())]) {
        if (tried.has(tz)) continue;
        tried.add(tz);
        try {
          const job = createDailyReportJob(deps, tz);
          deps.scheduler.add(job);
          scheduled.set(tz, job.name);
          added.push(tz);
        } catch (err) {
          deps.log.error(
            { tz, err: describeError(err) },
            'daily report not scheduled for this zone',
          );
        }
      }
      return added;
    },
  };
}

export type ReportZones = ReturnType<typeof createDailyReportZones>;

/**
 * Every hub checks the zones in use on this schedule, so a new zone's report needs no restart, and
 * sends a report whose time passed while no hub was running.
 */
export function createReportZonesJob(deps: {
  schedule: string;
  timezone: string;
  zones: { sync(): Promise<string[]>; catchUp(now: number): Promise<string[]> };
  log: Logger;
  now?: () => number;
}): Job {
  return {
    name: 'report-zones',
    schedule: deps.schedule,
    timezone: deps.timezone,
    // Each hub keeps its own scheduler's jobs; a catch-up runs once through the report job's lease.
    cluster: 'shared',
    async run() {
      const added = await deps.zones.sync();
      if (added.length > 0) deps.log.info({ zones: added }, 'daily report scheduled for new zones');
      const caught = await deps.zones.catchUp((deps.now ?? Date.now)());
      if (caught.length > 0) deps.log.info({ zones: caught }, 'missed daily report sent');
    },
  };
}
