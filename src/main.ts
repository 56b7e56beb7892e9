// Composition root: config -> DataSource -> ingest -> scheduler; shutdown in reverse order.
import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema';
import { migrate, openDataSource } from './db/data-source';
import { type IngestService, createIngestService } from './ingest/ingest-service';
import { createIngestJob } from './jobs/ingest-job';
import type { Logger } from './log';
import { type Scheduler, createScheduler } from './scheduler/scheduler';

export interface App {
  config: Config;
  ds: DataSource;
  ingest: IngestService;
  scheduler: Scheduler;
  /** Start scheduled work. */
  start(): void;
  stop(): Promise<void>;
}

export async function createApp(config: Config, log: Logger): Promise<App> {
  const ds = await openDataSource(config.db.url);
  try {
    const applied = await migrate(ds);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  const ingest = createIngestService({ ds, config, log });
  const scheduler = createScheduler(
    [createIngestJob({ ingest, schedule: config.schedule.ingest, timezone: config.timezone, log })],
    log,
  );
  let stopped = false;
  return {
    config,
    ds,
    ingest,
    scheduler,
    start: () => scheduler.start(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await ds.destroy();
    },
  };
}
