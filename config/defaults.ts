// Built-in defaults for every setting; the schema in ./schema.ts validates the merged result.
export const defaults = {
  db: { url: 'sqlite:./data/sitewatch.sqlite' },
  timezone: 'Asia/Shanghai',
  log: { level: 'info' },
  agent: { token: null as string | null },
  wecomBot: {
    /** `sitewatch start` runs the WeCom intelligent robot (智能机器人) over its long connection when true. */
    enabled: false,
    /** The robot's Bot ID and Secret from the WeCom admin console (the secret: config file or SITEWATCH_WECOM_BOT_SECRET only). */
    botId: null,
    secret: null,
    /** The long-connection address; null: the SDK's wss://openws.work.weixin.qq.com (private deployments have their own). */
    wsUrl: null,
    /** One hub holds the connection: it renews a lease of this length, and another hub takes over within it after a crash. */
    leaseMs: 30_000,
    /** A Sitewatch notice to the admins (email, group robots) when the connection stays down this long. */
    offlineAlertMinutes: 5,
    /** Messages of one person in progress at once (WeCom's own limit is 3); more get a short "busy" reply. */
    maxInProgress: 3,
    /** Least time between two pushes to the same chat. */
    sendIntervalMs: 1000,
    /** Heartbeat interval of the long connection. */
    heartbeatMs: 30_000,
  },
  bot: {
    /** `sitewatch start` runs the WeChat bot unless this is false. */
    enabled: true,
    /** Any installed Wechaty puppet package. */
    puppet: 'wechaty-puppet-wechat4u',
    /** Wechaty name: the login session is kept in <name>.memory-card.json, so a restart needs no new scan. */
    name: './data/sitewatch-bot',
    /** In group rooms, text starting with this is answered without an @mention. */
    prefix: '/',
    /** Least time between two messages to one chat, and between any two messages. */
    sendIntervalMs: 1000,
  },
  charts: {
    /** Font family charts are drawn in; the bundled Noto Sans SC (OFL) unless fontPaths add others. */
    fontFamily: 'Noto Sans SC',
    /** Extra font files (TTF/OTF) to register, e.g. /usr/share/fonts/…/wqy-microhei.ttc. */
    fontPaths: [] as string[],
    /** Render worker threads; 0 means one per core but one (at least one). */
    threads: 0,
    /** Charts that may wait for a worker before new requests are refused. */
    maxQueue: 100,
    timeoutMs: 10_000,
    lang: 'zh' as 'zh' | 'en',
  },
  schedule: {
    /** Cron expressions, evaluated in `timezone` (the daily report: in each site's zone). */
    ingest: '*/5 * * * *',
    /** Outbox sweep for retries; notifications are also sent right after each ingest. */
    notify: '* * * * *',
    /** Looks for open alarms due a reminder. */
    reminders: '*/10 * * * *',
    /** The daily report, in each site's own time zone. */
    dailyReport: '0 9 * * *',
    /** Deletes old samples, sent notifications and quarantined lines. */
    retention: '30 3 * * *',
  },
  cluster: {
    /** Name of this hub in leases and the outbox; null: host name + process id. */
    hubId: null as string | null,
    /** A lease not renewed for this long is taken over by another hub. */
    leaseMs: 60_000,
  },
  alarms: {
    /** An alarm no longer listed in a site's files for this long becomes stale. */
    staleAfterHours: 48,
    /** Reminder interval for alarms still open (not acknowledged, not silenced). */
    reminderEveryMinutes: 120,
    /** Reminders per alarm before it is escalated to the admins. */
    maxReminders: 3,
    /** Alarms listed in one message before "and N more". */
    groupLimit: 20,
    /** JSON file of extra alarm_dict entries { NAME: { title, severity, action } }; null: built-in only. */
    dictPath: null as string | null,
  },
  selfAlarms: {
    enabled: true,
    /** Today's files must exist by this site-local time (HH:MM). */
    fileMissingAfter: '01:00',
    /** A file of today that did not grow for this long. */
    fileStaleMinutes: 60,
    /** A server whose last sample is older than this. */
    serverSilentMinutes: 30,
    /** A site whose fetches have failed for this long. */
    fetchFailingMinutes: 30,
    cpuPercent: 90,
    memPercent: 90,
    diskPercent: 90,
    /** A cpu / memory / disk figure must stay over its threshold this long. */
    overMinutes: 15,
    /** SW_DISK_FILLING: a mount over this use whose 7-day trend fills it within diskFillDays. */
    diskFillPercent: 70,
    diskFillDays: 3,
    /** SW_MEM_GROWTH: memory over this use, growing without falling back, full within memGrowthDays. */
    memGrowthPercent: 60,
    memGrowthDays: 7,
    /** SW_KPI_ANOMALY: a figure this many robust z-scores and kpiChangePercent off both its baselines. */
    kpiZ: 4,
    kpiChangePercent: 30,
  },
  notify: {
    /** Attempts per message before it is marked failed. */
    maxAttempts: 8,
    /** First retry delay; doubles with each attempt up to retryMaxMs. */
    retryBaseMs: 30_000,
    retryMaxMs: 3_600_000,
    /** How long a hub may hold a message it is sending before another hub may take it. */
    claimMs: 120_000,
    /** Messages taken per sweep. */
    batch: 200,
    /** Messages sent at once. */
    concurrency: 4,
    // Each channel's own settings (notify.email, notify.wecom…) have their defaults in its file in src/notify/channels/.
  },
  web: {
    /** `sitewatch start` serves the web portal unless this is false. */
    enabled: true,
    host: '127.0.0.1',
    port: 8080,
    /** Signs session cookies (32+ characters); null: a random one per start (sessions end at restart). */
    sessionSecret: null as string | null,
    /** Sessions end after this long without a request. */
    idleMinutes: 30,
    /** Behind a reverse proxy: trust X-Forwarded-* (client address, https). */
    trustProxy: false,
    /** Login attempts per minute, per address and per account. */
    loginPerMinute: 10,
    lang: 'zh' as 'zh' | 'en',
    /** The portal's address as the outside sees it (https://sitewatch.example.com); null: no chart links in notices. */
    publicUrl: null as string | null,
    /** Signs chart links (32+ characters); null: web.sessionSecret does. */
    linkSecret: null as string | null,
    /** Days a chart link in a notice stays valid. */
    chartLinkDays: 7,
  },
  retention: {
    sampleDays: 90,
    outboxDays: 30,
    quarantineDays: 30,
  },
  ingest: {
    concurrency: 4,
    timeoutMs: 30_000,
    retries: 3,
    retryDelayMs: 500,
    backfillDays: 7,
    chunkLines: 20_000,
    dayCloseGraceMinutes: 60,
    maxLineBytes: 65_536,
    /** Record times must lie from this many days before the file's day to this many after it (site zone). */
    plausibleDaysBefore: 1,
    plausibleDaysAfter: 1,
    units: { memory: 'M', disk: 'M' },
  },
} as const;
