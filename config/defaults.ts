// Built-in defaults for every setting; the schema in ./schema.ts validates the merged result.
export const defaults = {
  db: { url: 'sqlite:./data/sitewatch.sqlite' },
  timezone: 'Asia/Shanghai',
  log: { level: 'info' },
  agent: { token: null as string | null },
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
    /** Cron expressions, evaluated in `timezone`. */
    ingest: '*/5 * * * *',
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
    units: { memory: 'M', disk: 'M' },
  },
} as const;
