// A scheduled job is data: a name, a cron schedule in an explicit time zone, and what to run.
export interface JobContext {
  /** When the run was triggered. */
  firedAt: Date;
  /** True for a run on the cron schedule, false for runNow. */
  scheduled: boolean;
}

export interface Job {
  readonly name: string;
  readonly schedule: string;
  readonly timezone: string;
  /**
   * 'exclusive' (default): with several hubs on one database, one hub runs each scheduled slot.
   * 'shared': every hub runs it; the job divides the work itself (per-site leases, outbox claims).
   */
  readonly cluster?: 'exclusive' | 'shared';
  run(ctx: JobContext): Promise<void>;
}
