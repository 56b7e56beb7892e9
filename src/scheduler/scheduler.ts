// Runs jobs on their cron schedules with node-cron: never on top of a still-running run, each run logged.
import cron, { type ScheduledTask } from 'node-cron';
import type { Leases } from '../cluster/leases';
import { describeError } from '../errors';
import type { Logger } from '../log';
import { createRegistry } from '../registry';
import type { Job } from '../types/job';

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Run a job now (still refusing to overlap a scheduled run); false when it did not run (overlap, or another hub holds it). */
  runNow(name: string): Promise<boolean>;
  /**
   * Add a job while the hub runs (a daily report for a site's new time zone); scheduled at once when
   * the scheduler is started. A name already in use is refused, as at start-up.
   */
  add(job: Job): void;
  /**
   * Run a job for a scheduled slot it missed (no hub was up at that time): as the scheduled run of
   * that slot, so it runs once across hubs, and not at all when the slot was done. False when not run.
   */
  catchUp(name: string, slot: Date): Promise<boolean>;
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
  const added = new Map<string, Job>();
  const running = new Map<string, Promise<void>>();
  const tasks: ScheduledTask[] = [];
  let started = false;
  const all = () => [...registry.list(), ...added.values()];
  const find = (name: string) => registry.get(name) ?? added.get(name);

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

  function schedule(job: Job): void {
    tasks.push(
      cron.schedule(job.schedule, (ctx) => execute(job, ctx.date, true), {
        name: job.name,
        timezone: job.timezone,
        // Overlaps are refused (and logged) by execute(); node-cron's own check would print to the console.
        noOverlap: false,
      }),
    );
  }

  return {
    jobs: all,
    start() {
      started = true;
      for (const job of all()) schedule(job);
    },
    add(job) {
      if (find(job.name)) throw new Error(`Duplicate job "${job.name}" in the registry.`);
      if (started) schedule(job); // throws on a bad schedule or zone before the job is listed
      added.set(job.name, job);
    },
    async stop() {
      started = false;
      for (const t of tasks.splice(0)) await t.destroy();
      // Let runs in flight finish, so that nothing is cut between its writes.
      await Promise.all(running.values());
    },
    async catchUp(name, slot) {
      const job = find(name);
      if (!job) throw new Error(`Unknown job "${name}".`);
      // Checked first so that the slot done hours ago is not logged as a skipped run every time,
      // nor the slot the job is running right now (its own cron fired in the same second).
      if (running.has(job.name)) return false;
      if (leases && (await leases.slotDone(`job:${job.name}`, slotOf(slot)))) return false;
      log.info({ job: job.name, slot: slot.toISOString() }, 'catching up a missed run');
      return execute(job, slot, true);
    },
    async runNow(name) {
      const job = find(name);
      if (!job) throw new Error(`Unknown job "${name}".`);
      return execute(job, new Date(), false);
    },
  };
}
