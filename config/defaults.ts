// Built-in defaults for every setting; the schema in ./schema.ts validates the merged result.
export const defaults = {
  db: { url: 'sqlite:./data/sitewatch.sqlite' },
  timezone: 'Asia/Shanghai',
  log: { level: 'info' },
  agent: { token: null as string | null },
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
