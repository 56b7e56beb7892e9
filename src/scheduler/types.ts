// A scheduled job is data: a name, a cron schedule in an explicit time zone, and what to run.
export interface JobContext {
  /** When the run was triggered. */
  firedAt: Date;
}

export interface Job {
  readonly name: string;
  readonly schedule: string;
  readonly timezone: string;
  run(ctx: JobContext): Promise<void>;
}
