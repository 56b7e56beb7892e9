// Runs jobs on their cron schedules with node-cron: never on top of a still-running run, each run logged.
import cron, { type ScheduledTask } from 'node-cron';
import type { Leases } from '../cluster/leases';
import { describeError } from '../errors';
import type { Logger } from '../log';
import { createRegistry } from '../registry';
import type { Job } from './types';

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Run a job now (still refusing to overlap a scheduled run); false when it did not run (overlap, or another hub holds it). */
  runNow(name: string): Promise<boolean>;
  jobs(): readonly Job[];
}

/**
 * The scheduled slot of a run: node-cron hands over the matched schedule time (whole seconds), not when
 * the timer fired, so every hub firing the same schedule computes the same slot.
 */
export function slotOf(d: Date): number {
  return Math.floor(d.getTime() / 1000) * 1000;
}

export function createScheduler(jobList: Job[], log: Logger, leases?: Leases): Scheduler {
  const registry = createRegistry<Job>('job', jobList);
  const running = new Map<string, Promise<void>>();
  const tasks: ScheduledTask[] = [];

  /** Runs the job, under a lease when another hub could run it too; false when it did not run. */
  async function guarded(job: Job, firedAt: Date, scheduled: boolean): Promise<boolean> {
    if (!leases || job.cluster === 'shared') {
      await job.run({ firedAt, scheduled });
      return true;
    }
    const r = await leases.withLease(`job:${job.name}`, () => job.run({ firedAt, scheduled }), {
      slot: scheduled ? slotOf(firedAt) : undefined,
    });
    return r.ran;
  }

  async function execute(job: Job, firedAt: Date, scheduled: boolean): Promise<boolean> {
    if (running.has(job.name)) {
      log.warn({ job: job.name }, 'job still running; this run is skipped');
      return false;
    }
    const started = Date.now();
    log.info({ job: job.name }, 'job started');
    // A run that failed still ran; only a lease held elsewhere means it did not.
    let ran = true;
    const p = guarded(job, firedAt, scheduled)
      .then((r) => {
        ran = r;
        if (r) log.info({ job: job.name, ms: Date.now() - started }, 'job finished');
        else log.info({ job: job.name }, 'job skipped: another hub runs it');
      })
      .catch((err) =>
        log.error(
          { job: job.name, ms: Date.now() - started, err: describeError(err) },
          'job failed',
        ),
      )
      .finally(() => running.delete(job.name));
    running.set(job.name, p);
    await p;
    return ran;
  }

  return {
    jobs: () => registry.list(),
    start() {
      for (const job of registry.list()) {
        tasks.push(
          cron.schedule(job.schedule, (ctx) => execute(job, ctx.date, true), {
            name: job.name,
            timezone: job.timezone,
            // Overlaps are refused (and logged) by execute(); node-cron's own check would print to the console.
            noOverlap: false,
          }),
        );
      }
    },
    async stop() {
      for (const t of tasks.splice(0)) await t.destroy();
      // Let runs in flight finish, so that nothing is cut between its writes.
      await Promise.all(running.values());
    },
    runNow: (name) => execute(registry.require(name), new Date(), false),
  };
}
