// Runs jobs on their cron schedules with node-cron: never on top of a still-running run, each run logged.
import cron, { type ScheduledTask } from 'node-cron';
import { describeError } from '../errors';
import type { Logger } from '../log';
import { createRegistry } from '../registry';
import type { Job } from './types';

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Run a job now (still refusing to overlap a scheduled run). */
  runNow(name: string): Promise<boolean>;
  jobs(): readonly Job[];
}

export function createScheduler(jobList: Job[], log: Logger): Scheduler {
  const registry = createRegistry<Job>('job', jobList);
  const running = new Map<string, Promise<void>>();
  const tasks: ScheduledTask[] = [];

  async function execute(job: Job, firedAt: Date): Promise<boolean> {
    if (running.has(job.name)) {
      log.warn({ job: job.name }, 'job still running; this run is skipped');
      return false;
    }
    const started = Date.now();
    log.info({ job: job.name }, 'job started');
    const p = job
      .run({ firedAt })
      .then(() => log.info({ job: job.name, ms: Date.now() - started }, 'job finished'))
      .catch((err) =>
        log.error(
          { job: job.name, ms: Date.now() - started, err: describeError(err) },
          'job failed',
        ),
      )
      .finally(() => running.delete(job.name));
    running.set(job.name, p);
    await p;
    return true;
  }

  return {
    jobs: () => registry.list(),
    start() {
      for (const job of registry.list()) {
        tasks.push(
          cron.schedule(job.schedule, (ctx) => execute(job, ctx.date), {
            name: job.name,
            timezone: job.timezone,
            noOverlap: true,
          }),
        );
      }
    },
    async stop() {
      for (const t of tasks.splice(0)) await t.destroy();
      // Let runs in flight finish, so that nothing is cut between its writes.
      await Promise.all(running.values());
    },
    runNow: (name) => execute(registry.require(name), new Date()),
  };
}
