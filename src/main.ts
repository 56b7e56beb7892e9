// Composition root: config -> DataSource -> renderer -> ingest -> bot -> scheduler; shutdown in reverse order.
import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema';
import { createCommandRegistry } from '../commands/registry';
import { createCommandRouter } from '../commands/router';
import { migrate, openDataSource } from './db/data-source';
import { type IngestService, createIngestService } from './ingest/ingest-service';
import { createIngestJob } from './jobs/ingest-job';
import type { Logger } from './log';
import { type ChartRenderer, createChartRenderer } from './render/chart-renderer';
import { type Scheduler, createScheduler } from './scheduler/scheduler';
import { dbResolvers } from './wechat/bindings';
import { type WechatBot, createWechatBot } from './wechat/bot';
import { createMessageHandler } from './wechat/handler';
import { createOutgoingQueue } from './wechat/outgoing-queue';

export interface AppOptions {
  /** Run the WeChat bot (default: config.bot.enabled). */
  bot?: boolean;
  /** Run the scheduled jobs (default true; `sitewatch bot` runs the bot alone). */
  schedule?: boolean;
}

export interface App {
  config: Config;
  ds: DataSource;
  ingest: IngestService;
  scheduler: Scheduler;
  renderer: ChartRenderer;
  bot: WechatBot | null;
  /** Start the bot and the scheduled work. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(config: Config, log: Logger, o: AppOptions = {}): Promise<App> {
  const ds = await openDataSource(config.db.url);
  try {
    const applied = await migrate(ds);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  const renderer = createChartRenderer({ ...config.charts, log });
  const ingest = createIngestService({ ds, config, log });
  const router = createCommandRouter(createCommandRegistry(), {
    ds,
    config,
    log,
    renderChart: (option) => renderer.render(option),
    now: Date.now,
  });
  const bot =
    (o.bot ?? config.bot.enabled)
      ? createWechatBot({
          name: config.bot.name,
          puppet: config.bot.puppet,
          prefix: config.bot.prefix || undefined,
          handle: createMessageHandler({ ds, router, log, now: Date.now }),
          ...dbResolvers(ds),
          queue: createOutgoingQueue({
            perChatIntervalMs: config.bot.sendIntervalMs,
            globalIntervalMs: config.bot.sendIntervalMs,
            log,
          }),
          log,
        })
      : null;
  const scheduler = createScheduler(
    o.schedule === false
      ? []
      : [
          createIngestJob({
            ingest,
            schedule: config.schedule.ingest,
            timezone: config.timezone,
            log,
          }),
        ],
    log,
  );
  let stopped = false;
  return {
    config,
    ds,
    ingest,
    scheduler,
    renderer,
    bot,
    async start() {
      scheduler.start();
      // The bot logs in and restarts on its own; the hub does not wait for a QR scan.
      if (bot)
        void bot.start().catch((err) => log.error({ err: String(err) }, 'bot failed to start'));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await bot?.stop();
      await scheduler.stop();
      await renderer.close();
      await ds.destroy();
    },
  };
}
