// createNotifications: the notifier, Sitewatch's own checks, reminders, the daily report, bot notices, the channels and the dispatcher, made once for a hub or a CLI command.
import type { DataSource, EntityManager } from 'typeorm';
import type { AlarmDict } from '../../config/alarm-dict';
import type { Config } from '../../config/schema';
import { createAlarmNotifier } from '../alarms/notifier';
import { createReminders, markStale } from '../alarms/reminders';
import { createSelfAlarms, type SelfAlarmsResult } from '../alarms/self-alarms';
import type { Leases } from '../cluster/leases';
import { describeError } from '../errors';
import type { Logger } from '../log';
import { chartLinksFor } from '../outbox/chart-links';
import type { ConfiguredChannels } from '../queries/recipients';
import type { Registry } from '../registry';
import type { ChartRenderer } from '../render/chart-renderer';
import type { AlarmChange } from '../types/alarm-change';
import { type BotStateEvent, createBotNotices } from './bot-notices';
import type { ChatSender } from './channels/chat-sender';
import { createChannels } from './channels/registry';
import { createDailyReport, type DailyReport } from './daily-report';
import { createDispatcher, type Dispatcher } from './dispatcher';
import { createNoticeCharts } from './notice-chart';
import type { Channel } from './types';

/** What Sitewatch's own checks after an ingest did (`ran: false`: another hub holds their lease). */
export type CheckOutcome =
  ({ ran: true; stale: number } & SelfAlarmsResult) | { ran: false; holder: string | null };

/** The alarm and notification parts, exposed for the CLI and tests. */
export interface Notifications {
  leases: Leases;
  channels: Registry<Channel>;
  dispatcher: Dispatcher;
  dailyReport: DailyReport;
  /** The ingest hook: alarm changes become notices in the outbox, in the changes' transaction. */
  onAlarmChanges(em: EntityManager, changes: AlarmChange[]): Promise<void>;
  /** A chat transport's login state changed: "bot logged out / back" notices to the admins. */
  onTransportState(e: BotStateEvent): void;
  /** Stale sweep and Sitewatch's own checks (one hub at a time); they write through the notifier. */
  checks(): Promise<CheckOutcome>;
  /** After an ingest: the checks, then send. */
  afterIngest(): Promise<void>;
  /** Reminders due now (and the stale sweep). */
  remind(): Promise<{ stale: number; reminded: number; escalated: number; messages: number }>;
  /** Send what is due now, in the background (a failure is logged). */
  flush(): void;
  /** Close the channels (pooled SMTP connections). */
  close(): Promise<void>;
}

export interface NotificationsDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  dict: AlarmDict;
  leases: Leases;
  /** The configured channels (configuredChannels), which pick who gets notices; one this process cannot send on (WeChat without the bot) keeps its rows for a hub that can. */
  recipients: ConfiguredChannels;
  /** The push side of each chat transport this process runs, by name (none: this process sends no chat). */
  chatSenders: Readonly<Record<string, ChatSender>>;
  renderer: ChartRenderer | null;
  now: () => number;
}

export function createNotifications(deps: NotificationsDeps): Notifications {
  const { ds, config, log, dict, leases, recipients, now } = deps;
  const notifier = createAlarmNotifier({ dict, recipients, defaultTz: config.timezone });
  const onAlarmChanges = (em: EntityManager, changes: AlarmChange[]) =>
    notifier.onAlarmChanges(em, changes, now());
  const channels = createChannels({ ds, config, log, chatSenders: deps.chatSenders });
  const charts = createNoticeCharts({ ds, lang: config.charts.lang });
  const renderer = deps.renderer;
  const dispatcher = createDispatcher({
    ds,
    channels,
    log,
    owner: leases.owner,
    ...config.notify,
    chartFor: (n) => charts.chartFor(n),
    renderChart: renderer ? (o) => renderer.render(o) : null,
    chartLinks: config.web.publicUrl ? chartLinksFor(ds, config.web, now) : null,
    now,
  });
  const flush = () =>
    void dispatcher
      .runOnce()
      .catch((err) => log.error({ err: describeError(err) }, 'outbox sweep failed'));
  const botNotices = createBotNotices({
    ds,
    recipients,
    log,
    flush,
    wecomOfflineMs: config.wecomBot.offlineAlertMinutes * 60_000,
  });
  const selfAlarms = createSelfAlarms({ ds, config, log, notify: onAlarmChanges });
  const reminders = createReminders({
    ds,
    dict,
    recipients,
    defaultTz: config.timezone,
    everyMs: config.alarms.reminderEveryMinutes * 60_000,
    maxReminders: config.alarms.maxReminders,
  });
  const dailyReport = createDailyReport({ ds, recipients, defaultTz: config.timezone });
  const staleMs = config.alarms.staleAfterHours * 3600_000;

  const notifications: Notifications = {
    leases,
    channels,
    dispatcher,
    dailyReport,
    onAlarmChanges,
    onTransportState: (e) => botNotices.onState(e),
    async checks() {
      // Checks see every site's data, so one hub runs them at a time; sending is shared.
      const r = await leases.withLease('job:alarm-checks', async () => {
        const stale = await markStale(ds, now(), staleMs);
        const self = await selfAlarms.run(now());
        if (stale + self.raised + self.resolved > 0) log.info({ stale, ...self }, 'alarm checks');
        return { stale, ...self };
      });
      if (r.ran) return { ran: true, ...r.value };
      return { ran: false, holder: await leases.holder('job:alarm-checks') };
    },
    async afterIngest() {
      await notifications.checks();
      await dispatcher.runOnce();
    },
    async remind() {
      const stale = await markStale(ds, now(), staleMs);
      const r = await reminders.run(now());
      if (r.messages > 0) await dispatcher.runOnce();
      return { stale, ...r };
    },
    flush,
    async close() {
      botNotices.close();
      for (const c of channels.list()) await c.close?.();
    },
  };
  return notifications;
}
