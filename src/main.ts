// Composition root: config -> DataSource -> renderer -> chat -> notifications and ingest -> web -> jobs, each closed in reverse by one teardown stack.
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { loadAlarmDict } from '../config/alarm-dict';
import type { Config } from '../config/schema';
import { createAlarmPath, type Notifications } from './alarm-path';
import { createChat } from './chat-transports';
import type { ChatTransport } from './chat/transport';
import { createLeases, defaultHubId } from './cluster/leases';
import { migrate, openDataSource } from './db/data-source';
import type { IngestService } from './ingest/ingest-service';
import { createJobs } from './jobs';
import { createStatusReporter } from './jobs/status-job';
import type { Logger } from './log';
import { configuredChannels } from './notify/channels/registry';
import { retryMessage } from './outbox/store';
import { type ChartRenderer, createChartRenderer } from './render/chart-renderer';
import type { Scheduler } from './scheduler/scheduler';
import { createTeardown } from './teardown';
import type { PuppetInstance, WechatBot } from './transports/wechaty/bot';
import { createWebServer } from './web/server';

export interface AppOptions {
  /** Run the WeChat bot (default: config.bot.enabled). */
  bot?: boolean;
  /** Run the scheduled jobs (default true; `sitewatch bot` runs the bot alone). */
  schedule?: boolean;
  /** A puppet instance instead of config.bot.puppet (tests: wechaty-puppet-mock). */
  puppet?: PuppetInstance;
  /** Serve the web portal (default: config.web.enabled; `sitewatch bot` leaves it out). */
  web?: boolean;
  now?: () => number;
}

export type { Notifications };

export interface App {
  config: Config;
  ds: DataSource;
  ingest: IngestService;
  scheduler: Scheduler;
  renderer: ChartRenderer;
  /** The WeChat transport, when this hub runs it. */
  bot: WechatBot | null;
  /** Every chat transport this hub runs (the registry's, as the config says), the WeChat bot among them. */
  transports: readonly ChatTransport[];
  notifications: Notifications;
  /** The web portal (null when not served); listening after start(). */
  web: FastifyInstance | null;
  /** Where the portal listens, after start() (null when not served). */
  webUrl(): string | null;
  /** Start the bot, the portal and the scheduled work. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function createApp(config: Config, log: Logger, o: AppOptions = {}): Promise<App> {
  const now = o.now ?? Date.now;
  const dict = loadAlarmDict(config.alarms.dictPath);
  // Everything opened below is closed in reverse by stop(), or at once when the start fails halfway.
  const teardown = createTeardown(log);
  try {
    const ds = await openDataSource(config.db.url);
    teardown.add('database', () => ds.destroy());
    const applied = await migrate(ds);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
    const renderer = createChartRenderer({ ...config.charts, log });
    teardown.add('chart renderer', () => renderer.close());

    const leases = createLeases({
      ds,
      owner: config.cluster.hubId ?? defaultHubId(),
      ttlMs: config.cluster.leaseMs,
      now,
    });
    const chat = createChat({
      config,
      ds,
      log,
      now,
      renderChart: (option) => renderer.render(option),
      run: o.bot,
      puppet: o.puppet,
      leases,
    });
    teardown.add('chat transports', () => chat.stop());
    // WeChat is queued for when this hub runs the bot, which `o.bot` may decide against the config.
    const recipients = configuredChannels({
      ...config,
      bot: { ...config.bot, enabled: chat.bot !== null },
    });
    const { ingest, notifications } = createAlarmPath({
      ds,
      config,
      log,
      dict,
      leases,
      recipients,
      chatSenders: chat.senders,
      renderer,
      now,
    });
    teardown.add('notification channels', () => notifications.close());
    chat.onState((e) => notifications.onTransportState(e));

    const web =
      (o.web ?? config.web.enabled)
        ? await createWebServer({
            ds,
            config,
            log,
            now,
            dict,
            retryNotification: async (id) => {
              const ok = await retryMessage(ds, id, now());
              if (ok) notifications.flush();
              return ok;
            },
          })
        : null;
    if (web) teardown.add('web portal', () => web.close());

    const schedule = o.schedule !== false;
    const jobs = createJobs({ ds, config, log, leases, ingest, notifications, now, schedule });
    const scheduler = jobs.scheduler;
    await jobs.syncReportZones();
    teardown.add('scheduler', () => scheduler.stop());
    // Every transport's health in the database for `sitewatch status` and the portal; closed before the transports.
    const status = createStatusReporter({
      ds,
      hub: leases.owner,
      transports: chat.transports,
      now,
      log,
    });
    teardown.add('transport status', () => status.stop());
    // A login or a lost connection shows at once, not at the next interval.
    chat.onState(() => void status.touch());

    let webUrl: string | null = null;
    return {
      config,
      ds,
      ingest,
      scheduler,
      renderer,
      bot: chat.bot,
      transports: chat.transports,
      notifications,
      web,
      webUrl: () => webUrl,
      async start() {
        try {
          if (web) {
            webUrl = await web.listen({ host: config.web.host, port: config.web.port });
            log.info({ at: webUrl }, 'web portal listening');
          }
          if (schedule) scheduler.start();
          chat.start();
          await status.start();
        } catch (err) {
          await teardown.run();
          throw err;
        }
      },
      stop: () => teardown.run(),
    };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}
