// Composition root: config -> DataSource -> renderer -> notifications -> ingest -> bot -> channels -> web -> scheduler; shutdown in reverse.
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { loadAlarmDict } from '../config/alarm-dict';
import type { Config } from '../config/schema';
import { createCommandRegistry } from '../commands/registry';
import { createCommandRouter } from '../commands/router';
import { createAlarmPath, type Notifications } from './alarm-path';
import { createTransportRegistry, wechatTransport } from './chat-transports';
import type { ChatTransport } from './chat/transport';
import { createLeases, defaultHubId } from './cluster/leases';
import { migrate, openDataSource } from './db/data-source';
import { describeError } from './errors';
import type { IngestService } from './ingest/ingest-service';
import {
  type ReportZones,
  createDailyReportZones,
  createNotifyJob,
  createReminderJob,
  createReportZonesJob,
} from './jobs/alarm-jobs';
import { createIngestJob } from './jobs/ingest-job';
import { createRetentionJob } from './jobs/retention-job';
import type { Logger } from './log';
import { createBotNotices } from './notify/bot-notices';
import type { ChatSender } from './notify/channels/chat-sender';
import { configuredChannels } from './notify/channels/registry';
import type { Dispatcher } from './notify/dispatcher';
import { retryMessage } from './outbox/store';
import { type ChartRenderer, createChartRenderer } from './render/chart-renderer';
import { type Scheduler, createScheduler } from './scheduler/scheduler';
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

/** The bot's push side as the WeChat notification channel's port: nothing else of the bot reaches it. */
function chatSenderOf(bot: WechatBot): ChatSender {
  return {
    health: () => bot.health(),
    sendToRoom: (topic, roomId, messages) => bot.sendToRoom(topic, roomId, messages),
    sendToUser: (login, messages) => bot.sendToUser(login, messages),
  };
}

export async function createApp(config: Config, log: Logger, o: AppOptions = {}): Promise<App> {
  const now = o.now ?? Date.now;
  const dict = loadAlarmDict(config.alarms.dictPath);
  const ds = await openDataSource(config.db.url);
  try {
    const applied = await migrate(ds);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  const renderer = createChartRenderer({ ...config.charts, log });
  const renderChart = (option: Parameters<ChartRenderer['render']>[0]) => renderer.render(option);
  const transportKinds = createTransportRegistry()
    .list()
    .filter((k) => k.inHub(config, o.bot));
  const botEnabled = transportKinds.includes(wechatTransport);
  // WeChat is queued for when this hub runs the bot, which `o.bot` may decide against the config.
  const recipients = configuredChannels({ ...config, bot: { ...config.bot, enabled: botEnabled } });
  const leases = createLeases({
    ds,
    owner: config.cluster.hubId ?? defaultHubId(),
    ttlMs: config.cluster.leaseMs,
    now,
  });
  const router = createCommandRouter(createCommandRegistry(), {
    ds,
    config,
    log,
    renderChart,
    now,
  });

  // Filled in below: the bot's state notices send at once through the dispatcher.
  let dispatcher: Dispatcher | null = null;
  const flush = () =>
    void dispatcher
      ?.runOnce()
      .catch((err) => log.error({ err: describeError(err) }, 'outbox sweep failed'));
  const botNotices = createBotNotices({ ds, recipients, log, flush });
  const transports = transportKinds.map((k) =>
    k.create({
      config,
      ds,
      router,
      log,
      now,
      puppet: o.puppet,
      onState: (e) => botNotices.onState(e),
    }),
  );
  // The registry's names are unique: the one named like the WeChat kind is what it made.
  const bot = (transports.find((t) => t.name === wechatTransport.name) ?? null) as WechatBot | null;

  const { ingest, notifications } = createAlarmPath({
    ds,
    config,
    log,
    dict,
    leases,
    recipients,
    chatSender: bot ? chatSenderOf(bot) : null,
    renderer,
    now,
  });
  const { channels, dailyReport } = notifications;
  const sender = (dispatcher = notifications.dispatcher);

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
            if (ok) flush();
            return ok;
          },
        })
      : null;
  let webUrl: string | null = null;

  const s = config.schedule;
  // Filled in once the scheduler exists: the report jobs are added to it, one per zone in use.
  let reportZones: ReportZones | null = null;
  const scheduler = createScheduler(
    o.schedule === false
      ? []
      : [
          createIngestJob({
            ingest,
            schedule: s.ingest,
            timezone: config.timezone,
            log,
            after: () => notifications.afterIngest(),
          }),
          createNotifyJob({
            schedule: s.notify,
            timezone: config.timezone,
            sweep: () => sender.runOnce(),
            log,
          }),
          createReminderJob({
            schedule: s.reminders,
            timezone: config.timezone,
            run: () => notifications.remind(),
            log,
          }),
          createRetentionJob({ ds, config, log, now }),
          createReportZonesJob({
            schedule: s.ingest,
            timezone: config.timezone,
            zones: {
              sync: async () => (reportZones ? reportZones.sync() : []),
              catchUp: async (t) => (reportZones ? reportZones.catchUp(t) : []),
            },
            log,
            now,
          }),
        ],
    log,
    leases,
  );
  if (o.schedule !== false) {
    reportZones = createDailyReportZones({
      schedule: s.dailyReport,
      defaultTz: config.timezone,
      run: async (t, tz) => {
        const r = await dailyReport.run(t, tz);
        await sender.runOnce();
        return r;
      },
      log,
      now,
      zonesInUse: async () =>
        (
          (await ds.query(
            'SELECT DISTINCT timezone FROM site WHERE timezone IS NOT NULL ORDER BY timezone',
          )) as { timezone: string }[]
        ).map((r) => r.timezone),
      scheduler,
    });
    await reportZones.sync();
  }
  let stopped = false;
  return {
    config,
    ds,
    ingest,
    scheduler,
    renderer,
    bot,
    transports,
    notifications,
    web,
    webUrl: () => webUrl,
    async start() {
      if (web) {
        const addr = await web.listen({ host: config.web.host, port: config.web.port });
        webUrl = addr;
        log.info({ at: addr }, 'web portal listening');
      }
      scheduler.start();
      // Transports log in and restart on their own; the hub does not wait for a QR scan.
      for (const t of transports)
        void t
          .start()
          .catch((err) =>
            log.error({ err: String(err), transport: t.name }, 'bot failed to start'),
          );
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await scheduler.stop();
      await web?.close();
      for (const t of [...transports].reverse()) await t.stop();
      for (const c of channels.list()) await c.close?.();
      await renderer.close();
      await ds.destroy();
    },
  };
}
