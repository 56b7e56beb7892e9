// The one path by which alarms are written, shared by the hub and the CLI: ingest and Sitewatch's own checks write alarm changes through the notifier in their transaction, and a dispatcher sends what they queued.
import type { DataSource, EntityManager } from 'typeorm';
import type { AlarmDict } from '../config/alarm-dict';
import type { Config } from '../config/schema';
import { createAlarmNotifier } from './alarms/notifier';
import { createReminders, markStale } from './alarms/reminders';
import { createSelfAlarms, type SelfAlarmsResult } from './alarms/self-alarms';
import type { Leases } from './cluster/leases';
import { type IngestService, createIngestService } from './ingest/ingest-service';
import type { Logger } from './log';
import type { ChatSender } from './notify/channels/chat-sender';
import { createChannels } from './notify/channels/registry';
import { createDailyReport, type DailyReport } from './notify/daily-report';
import { createDispatcher, type Dispatcher } from './notify/dispatcher';
import { createNoticeCharts } from './notify/notice-chart';
import type { Channel } from './notify/types';
import type { ConfiguredChannels } from './queries/recipients';
import type { Registry } from './registry';
import type { ChartRenderer } from './render/chart-renderer';
import type { AlarmChange } from './types/alarm-change';

/** What Sitewatch's own checks after an ingest did (`ran: false`: another hub holds their lease). */
export type CheckOutcome =
  ({ ran: true; stale: number } & SelfAlarmsResult) | { ran: false; holder: string | null };

/** Alarm changes written through the notifier since the path was made, by kind. */
export interface AlarmCounts {
  raised: number;
  resolved: number;
}

/** The alarm and notification parts, exposed for the CLI and tests. */
export interface Notifications {
  leases: Leases;
  channels: Registry<Channel>;
  dispatcher: Dispatcher;
  dailyReport: DailyReport;
  /** Stale sweep and Sitewatch's own checks (one hub at a time); they write through the notifier. */
  checks(): Promise<CheckOutcome>;
  /** After an ingest: the checks, then send. */
  afterIngest(): Promise<void>;
  /** Reminders due now (and the stale sweep). */
  remind(): Promise<{ stale: number; reminded: number; escalated: number; messages: number }>;
}

export interface AlarmPath {
  /** Ingest whose alarm writes go through the notifier, in the same transaction. */
  ingest: IngestService;
  notifications: Notifications;
  /** Alarm changes the notifier has seen (ingest and own checks), for what the CLI reports. */
  counts(): AlarmCounts;
}

export interface AlarmPathDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  dict: AlarmDict;
  leases: Leases;
  /** The configured channels (configuredChannels), which pick who gets notices; one this process cannot send on (WeChat without the bot) keeps its rows for a hub that can. */
  recipients: ConfiguredChannels;
  /** The running bot behind the chat port, for the WeChat channel (null: this process sends no WeChat). */
  chatSender: ChatSender | null;
  renderer: ChartRenderer | null;
  now: () => number;
  /** Ingest each site under its lease, so hubs split the sites (default true; an explicit CLI fetch does not wait for them). */
  siteLeases?: boolean;
}

export function createAlarmPath(deps: AlarmPathDeps): AlarmPath {
  const { ds, config, log, dict, leases, recipients, now } = deps;
  const counts: AlarmCounts = { raised: 0, resolved: 0 };
  const notifier = createAlarmNotifier({ dict, recipients, defaultTz: config.timezone });
  const onAlarmChanges = async (em: EntityManager, changes: AlarmChange[]) => {
    await notifier.onAlarmChanges(em, changes, now());
    for (const c of changes) counts[c.change]++;
  };
  const ingest = createIngestService({
    ds,
    config,
    log,
    now,
    leases: deps.siteLeases === false ? undefined : leases,
    hooks: { onAlarmChanges },
  });
  const channels = createChannels({ ds, config, log, chatSender: deps.chatSender });
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
    now,
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
  };
  return { ingest, notifications, counts: () => ({ ...counts }) };
}
