// The one configuration schema: defaults <- optional JSON file <- SITEWATCH_* environment, parsed once.
import { type Stats, closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';
import { channelSettings, channelSettingsShape } from './channels';
import { defaults } from './defaults';
import { bool, int } from './fields';

const unit = z.enum(['B', 'K', 'M', 'G', 'T']);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z
  .string()
  .refine(isTimeZone, { message: 'is not a known IANA time zone (e.g. Asia/Shanghai)' });

export const dbUrlSchema = z
  .string()
  .refine((u) => /^(mysql|mariadb):\/\/[^/]+\/[^/?]+/.test(u) || /^sqlite:.+/.test(u), {
    message:
      'must look like mysql://user:pass@host:3306/dbname or sqlite:./path.sqlite or sqlite::memory:',
  });

const cron = z.string().refine((s) => validCron(s), { message: 'is not a valid cron expression' });

function isPublicBase(s: string): boolean {
  try {
    const u = new URL(s);
    return ['http:', 'https:'].includes(u.protocol) && !u.search && !u.hash && !u.username;
  } catch {
    return false;
  }
}

const publicBaseUrl = z.string().refine(isPublicBase, {
  message: 'must be an http(s) address like https://sitewatch.example.com, without ?query or #part',
});

export const configSchema = z.strictObject({
  db: z.strictObject({ url: dbUrlSchema }),
  timezone: timeZoneSchema,
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
  schedule: z.strictObject({
    ingest: cron,
    notify: cron,
    reminders: cron,
    dailyReport: cron,
    retention: cron,
  }),
  cluster: z.strictObject({
    hubId: z.string().min(1).max(100).nullable(),
    leaseMs: int(1000),
  }),
  alarms: z.strictObject({
    staleAfterHours: int(1),
    reminderEveryMinutes: int(1),
    maxReminders: int(0, 1000),
    groupLimit: int(1, 1000),
    dictPath: z.string().min(1).nullable(),
  }),
  selfAlarms: z.strictObject({
    enabled: bool,
    fileMissingAfter: z
      .string()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day like 01:00'),
    fileStaleMinutes: int(1),
    serverSilentMinutes: int(1),
    fetchFailingMinutes: int(1),
    cpuPercent: int(1, 100),
    memPercent: int(1, 100),
    diskPercent: int(1, 100),
    overMinutes: int(1),
    diskFillPercent: int(1, 100),
    diskFillDays: int(1, 365),
    memGrowthPercent: int(1, 100),
    memGrowthDays: int(1, 365),
    kpiZ: z.coerce.number().positive().max(100),
    kpiChangePercent: int(1, 1000),
  }),
  notify: z.strictObject({
    maxAttempts: int(1, 100),
    retryBaseMs: int(0),
    retryMaxMs: int(0),
    claimMs: int(1000),
    batch: int(1, 10_000),
    concurrency: int(1, 64),
    // notify.email, notify.wecom…: each channel's own settings, declared in its file.
    ...channelSettingsShape(),
  }),
  web: z.strictObject({
    enabled: bool,
    host: z.string().min(1),
    port: int(0, 65535),
    sessionSecret: z.string().min(32, 'must be at least 32 characters').nullable(),
    idleMinutes: int(1, 7 * 24 * 60),
    trustProxy: bool,
    loginPerMinute: int(1, 10_000),
    lang: z.enum(['zh', 'en']),
    publicUrl: publicBaseUrl.nullable(),
    linkSecret: z.string().min(32, 'must be at least 32 characters').nullable(),
    chartLinkDays: int(1, 365),
  }),
  retention: z.strictObject({
    sampleDays: int(1),
    outboxDays: int(1),
    quarantineDays: int(1),
  }),
  /** Bearer token `sitewatch agent serve` requires (null: none). */
  agent: z.strictObject({ token: z.string().min(16, 'must be at least 16 characters').nullable() }),
  wecomBot: z
    .strictObject({
      enabled: bool,
      botId: z.string().min(1).max(200).nullable(),
      secret: z.string().min(1).max(500).nullable(),
      wsUrl: z.url({ protocol: /^wss?$/ }).nullable(),
      leaseMs: int(1000, 10 * 60_000),
      offlineAlertMinutes: int(1, 24 * 60),
      maxInProgress: int(1, 100),
      sendIntervalMs: int(0, 60_000),
      heartbeatMs: int(1000, 10 * 60_000),
    })
    .superRefine((w, ctx) => {
      if (!w.enabled) return;
      for (const key of ['botId', 'secret'] as const)
        if (!w[key])
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required when wecomBot.enabled is true (see the WeCom admin console)',
          });
    }),
  bot: z.strictObject({
    enabled: bool,
    puppet: z.string().min(1),
    name: z.string().min(1),
    prefix: z.string(),
    sendIntervalMs: int(0, 60_000),
  }),
  charts: z.strictObject({
    fontFamily: z.string().min(1),
    fontPaths: z.array(z.string()),
    threads: int(0, 64),
    maxQueue: int(1, 100_000),
    timeoutMs: int(100),
    lang: z.enum(['zh', 'en']),
  }),
  ingest: z.strictObject({
    concurrency: int(1, 64),
    timeoutMs: int(100),
    retries: int(0, 20),
    retryDelayMs: int(0),
    backfillDays: int(1, 366),
    chunkLines: int(1, 1_000_000),
    dayCloseGraceMinutes: int(0, 24 * 60),
    maxLineBytes: int(64),
    plausibleDaysBefore: int(0, 366),
    plausibleDaysAfter: int(0, 366),
    units: z.strictObject({ memory: unit, disk: unit }),
  }),
});

export type Config = z.infer<typeof configSchema>;

/** Chart links at web.publicUrl are signed: with neither secret set, nothing could sign them. */
function unsignedChartLinks(web: Config['web'], envForPath: Record<string, string>): string[] {
  if (!web.publicUrl || web.linkSecret || web.sessionSecret) return [];
  const via = envForPath['web.publicUrl'] ? ` (from ${envForPath['web.publicUrl']})` : '';
  return [
    `web.publicUrl${via} is set, but nothing signs the chart links served there: set web.linkSecret (SITEWATCH_WEB_LINK_SECRET) or web.sessionSecret (SITEWATCH_WEB_SESSION_SECRET) to 32 or more characters`,
  ];
}

/** Environment variables of the settings above and the config path each one sets. */
const settingsEnv: Record<string, string> = {
  SITEWATCH_DB: 'db.url',
  SITEWATCH_TZ: 'timezone',
  SITEWATCH_LOG_LEVEL: 'log.level',
  SITEWATCH_SCHEDULE_INGEST: 'schedule.ingest',
  SITEWATCH_SCHEDULE_NOTIFY: 'schedule.notify',
  SITEWATCH_SCHEDULE_REMINDERS: 'schedule.reminders',
  SITEWATCH_SCHEDULE_DAILY_REPORT: 'schedule.dailyReport',
  SITEWATCH_SCHEDULE_RETENTION: 'schedule.retention',
  SITEWATCH_HUB_ID: 'cluster.hubId',
  SITEWATCH_LEASE_MS: 'cluster.leaseMs',
  SITEWATCH_ALARM_STALE_HOURS: 'alarms.staleAfterHours',
  SITEWATCH_ALARM_REMINDER_MINUTES: 'alarms.reminderEveryMinutes',
  SITEWATCH_ALARM_MAX_REMINDERS: 'alarms.maxReminders',
  SITEWATCH_ALARM_DICT: 'alarms.dictPath',
  SITEWATCH_SELF_ALARMS: 'selfAlarms.enabled',
  SITEWATCH_NOTIFY_MAX_ATTEMPTS: 'notify.maxAttempts',
  SITEWATCH_RETENTION_SAMPLE_DAYS: 'retention.sampleDays',
  SITEWATCH_WEB_ENABLED: 'web.enabled',
  SITEWATCH_WEB_HOST: 'web.host',
  SITEWATCH_WEB_PORT: 'web.port',
  SITEWATCH_WEB_SESSION_SECRET: 'web.sessionSecret',
  SITEWATCH_WEB_IDLE_MINUTES: 'web.idleMinutes',
  SITEWATCH_WEB_TRUST_PROXY: 'web.trustProxy',
  SITEWATCH_WEB_PUBLIC_URL: 'web.publicUrl',
  SITEWATCH_WEB_LINK_SECRET: 'web.linkSecret',
  SITEWATCH_AGENT_TOKEN: 'agent.token',
  SITEWATCH_WECOM_BOT_ENABLED: 'wecomBot.enabled',
  SITEWATCH_WECOM_BOT_ID: 'wecomBot.botId',
  SITEWATCH_WECOM_BOT_SECRET: 'wecomBot.secret',
  SITEWATCH_WECOM_BOT_WS_URL: 'wecomBot.wsUrl',
  SITEWATCH_BOT_ENABLED: 'bot.enabled',
  SITEWATCH_BOT_PUPPET: 'bot.puppet',
  SITEWATCH_BOT_NAME: 'bot.name',
  SITEWATCH_BOT_PREFIX: 'bot.prefix',
  SITEWATCH_CHART_FONT_FAMILY: 'charts.fontFamily',
  SITEWATCH_CHART_THREADS: 'charts.threads',
  SITEWATCH_CHART_MAX_QUEUE: 'charts.maxQueue',
  SITEWATCH_CHART_TIMEOUT_MS: 'charts.timeoutMs',
  SITEWATCH_LANG: 'charts.lang',
  SITEWATCH_INGEST_CONCURRENCY: 'ingest.concurrency',
  SITEWATCH_INGEST_TIMEOUT_MS: 'ingest.timeoutMs',
  SITEWATCH_INGEST_RETRIES: 'ingest.retries',
  SITEWATCH_INGEST_RETRY_DELAY_MS: 'ingest.retryDelayMs',
  SITEWATCH_INGEST_BACKFILL_DAYS: 'ingest.backfillDays',
  SITEWATCH_INGEST_CHUNK_LINES: 'ingest.chunkLines',
  SITEWATCH_INGEST_DAY_CLOSE_GRACE_MINUTES: 'ingest.dayCloseGraceMinutes',
  SITEWATCH_INGEST_MAX_LINE_BYTES: 'ingest.maxLineBytes',
  SITEWATCH_INGEST_PLAUSIBLE_DAYS_BEFORE: 'ingest.plausibleDaysBefore',
  SITEWATCH_INGEST_PLAUSIBLE_DAYS_AFTER: 'ingest.plausibleDaysAfter',
  SITEWATCH_MEMORY_UNIT: 'ingest.units.memory',
  SITEWATCH_DISK_UNIT: 'ingest.units.disk',
};

/** The variables each channel declares for its settings, as config paths (notify.<channel>.<setting>). */
function channelEnv(taken: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { name, settings } of channelSettings())
    for (const [variable, key] of Object.entries(settings.env)) {
      const path = `notify.${name}.${key}`;
      const other = taken[variable] ?? out[variable];
      if (other) throw new Error(`Environment variable ${variable} is both ${other} and ${path}.`);
      out[variable] = path;
    }
  return out;
}

/** Environment variables and the config path each one sets. */
export const envMap: Record<string, string> = { ...settingsEnv, ...channelEnv(settingsEnv) };

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}.`);
    this.name = 'ConfigError';
  }
}

type Tree = { [k: string]: unknown };

function isObject(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: Tree, over: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isObject(v) && isObject(out[k]) ? merge(out[k] as Tree, v) : v;
  }
  return out;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = tree;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(node[k])) node[k] = {};
    node = node[k] as Tree;
  }
  node[keys[keys.length - 1]] = value;
}

/** The largest settings file read (SITEWATCH_CONFIG, the alarm dictionary): /dev/zero never ends. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** A reason a settings file is refused, worded to follow "<setting> file <path>". */
class FileProblem extends Error {}

function notRegular(s: Stats): FileProblem {
  const kind = s.isDirectory()
    ? 'a directory'
    : s.isCharacterDevice()
      ? 'a character device'
      : s.isBlockDevice()
        ? 'a block device'
        : s.isFIFO()
          ? 'a FIFO'
          : s.isSocket()
            ? 'a socket'
            : 'not a file';
  return new FileProblem(`is not a regular file (${kind})`);
}

function readCapped(path: string): string {
  const st = statSync(path);
  if (!st.isFile()) throw notRegular(st);
  // Non-blocking: should the path have become a FIFO since the stat, opening it waits for no writer.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) throw notRegular(now);
    // One byte over the cap: a file that grew since the stat is refused too.
    const buf = Buffer.alloc(MAX_CONFIG_FILE_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const r = readSync(fd, buf, n, buf.length - n, null);
      if (r === 0) break;
      n += r;
    }
    if (n > MAX_CONFIG_FILE_BYTES)
      throw new FileProblem(`is larger than ${MAX_CONFIG_FILE_BYTES / 1024 / 1024} MiB`);
    return buf.toString('utf8', 0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * The JSON in a settings file; only a regular file of at most MAX_CONFIG_FILE_BYTES is read. Throws
 * an Error whose message follows "<setting> file <path>", e.g. "does not exist".
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readCapped(path);
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new FileProblem('does not exist');
    throw new FileProblem(`could not be read (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FileProblem(`could not be read as JSON (${(e as Error).message})`);
  }
}

/** defaults.ts, with each channel's own defaults under notify.<channel>; a fresh copy each time. */
function builtInDefaults(): Tree {
  const tree = structuredClone(defaults) as unknown as Tree;
  const notify = tree.notify as Tree;
  for (const { name, settings } of channelSettings())
    notify[name] = structuredClone(settings.defaults);
  return tree;
}

export interface LoadOptions {
  env?: Record<string, string | undefined>;
  /** Overrides applied last (tests, CLI flags). */
  overrides?: Tree;
}

/**
 * Parse the configuration once. Every problem is reported at once, in plain words,
 * naming the environment variable that sets the offending value.
 */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  let tree = builtInDefaults();
  const file = env.SITEWATCH_CONFIG;
  if (file) {
    try {
      const parsed = readJsonFile(file);
      if (!isObject(parsed)) problems.push(`SITEWATCH_CONFIG file ${file} must hold a JSON object`);
      else tree = merge(tree, parsed);
    } catch (e) {
      problems.push(`SITEWATCH_CONFIG file ${file} ${(e as Error).message}`);
    }
  }
  const envForPath: Record<string, string> = {};
  for (const [name, path] of Object.entries(envMap)) {
    const v = env[name];
    if (v !== undefined && v !== '') {
      setPath(tree, path, v);
      envForPath[path] = name;
    }
  }
  if (opts.overrides) {
    tree = merge(tree, opts.overrides);
    // A value set by an override no longer comes from the environment.
    for (const path of Object.keys(envForPath)) {
      let node: unknown = opts.overrides;
      for (const k of path.split('.')) node = isObject(node) ? node[k] : undefined;
      if (node !== undefined) delete envForPath[path];
    }
  }
  const result = configSchema.safeParse(tree);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.join('.');
      const via = envForPath[path] ? ` (from ${envForPath[path]})` : '';
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          problems.push(`${[...issue.path, key].join('.')} is not a known setting`);
        continue;
      }
      problems.push(`${path}${via} ${issue.message.replace(/^Invalid input: /, '')}`);
    }
  } else problems.push(...unsignedChartLinks(result.data.web, envForPath));
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data as Config;
}

/** The MariaDB URL the test suites use; only tests and benchmarks call this. */
export function testMysqlUrl(env: Record<string, string | undefined> = process.env): string {
  return env.SITEWATCH_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test';
}

/** True when running under CI, where a missing MariaDB must fail the run. */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/** The process environment, handed to loadConfig by the process entry point (the only reader). */
export function processEnv(): Record<string, string | undefined> {
  return process.env;
}
