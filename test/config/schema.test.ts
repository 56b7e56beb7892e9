// Unit tests for loadConfig: defaults, JSON file via SITEWATCH_CONFIG, env overrides and all-at-once errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/schema';

type Schema = typeof import('../../config/schema');
type Defaults = typeof import('../../config/defaults');

const DEFAULTS: Config = {
  db: { url: 'sqlite:./data/sitewatch.sqlite' },
  timezone: 'Asia/Shanghai',
  log: { level: 'info' },
  schedule: {
    ingest: '*/5 * * * *',
    notify: '* * * * *',
    reminders: '*/10 * * * *',
    dailyReport: '0 9 * * *',
    retention: '30 3 * * *',
  },
  cluster: { hubId: null, leaseMs: 60_000 },
  alarms: {
    staleAfterHours: 48,
    reminderEveryMinutes: 120,
    maxReminders: 3,
    groupLimit: 20,
    dictPath: null,
  },
  selfAlarms: {
    enabled: true,
    fileMissingAfter: '01:00',
    fileStaleMinutes: 60,
    serverSilentMinutes: 30,
    fetchFailingMinutes: 30,
    cpuPercent: 90,
    memPercent: 90,
    diskPercent: 90,
    overMinutes: 15,
    diskFillPercent: 70,
    diskFillDays: 3,
    memGrowthPercent: 60,
    memGrowthDays: 7,
    kpiZ: 4,
    kpiChangePercent: 30,
  },
  notify: {
    maxAttempts: 8,
    retryBaseMs: 30_000,
    retryMaxMs: 3_600_000,
    claimMs: 120_000,
    batch: 200,
    concurrency: 4,
    email: { smtpUrl: null, from: 'Sitewatch <sitewatch@localhost>', timeoutMs: 20_000 },
    wecom: { robots: [], timeoutMs: 10_000 },
    dingtalk: { robots: [], timeoutMs: 10_000 },
    feishu: { robots: [], timeoutMs: 10_000 },
  },
  web: {
    enabled: true,
    host: '127.0.0.1',
    port: 8080,
    sessionSecret: null,
    idleMinutes: 30,
    trustProxy: false,
    loginPerMinute: 10,
    lang: 'zh',
    publicUrl: null,
    linkSecret: null,
    chartLinkDays: 7,
  },
  retention: { sampleDays: 90, outboxDays: 30, quarantineDays: 30 },
  agent: { token: null },
  wecomBot: {
    enabled: false,
    botId: null,
    secret: null,
    wsUrl: null,
    leaseMs: 30_000,
    offlineAlertMinutes: 5,
    maxInProgress: 3,
    sendIntervalMs: 1000,
    heartbeatMs: 30_000,
  },
  bot: {
    enabled: true,
    puppet: 'wechaty-puppet-wechat4u',
    name: './data/sitewatch-bot',
    prefix: '/',
    sendIntervalMs: 1000,
  },
  charts: {
    fontFamily: 'Noto Sans SC',
    fontPaths: [],
    threads: 0,
    maxQueue: 100,
    timeoutMs: 10_000,
    lang: 'zh',
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
    plausibleDaysBefore: 1,
    plausibleDaysAfter: 1,
    units: { memory: 'M', disk: 'M' },
  },
};

// A fresh copy of the modules for every test, so that no test sees state left by another one.
let schema: Schema;
let builtIn: Defaults;
beforeEach(() => {
  jest.resetModules();
  schema = jest.requireActual<Schema>('../../config/schema');
  builtIn = jest.requireActual<Defaults>('../../config/defaults');
});
const loadConfig = (opts: Parameters<Schema['loadConfig']>[0]) => schema.loadConfig(opts);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sitewatch-config-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let fileNo = 0;
function configFile(content: string): string {
  const p = join(dir, `config-${++fileNo}.json`);
  writeFileSync(p, content, 'utf8');
  return p;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof schema.ConfigError) return e.problems;
    throw e;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

describe('loadConfig defaults', () => {
  it('gives the built-in defaults for an empty environment', () => {
    expect(loadConfig({ env: {} })).toEqual(DEFAULTS);
  });

  it('ignores unrelated and empty variables', () => {
    expect(
      loadConfig({ env: { PATH: '/bin', SITEWATCH_DB: '', SITEWATCH_INGEST_RETRIES: '' } }),
    ).toEqual(DEFAULTS);
  });

  it('is not changed by an earlier call that read environment variables', () => {
    loadConfig({
      env: { SITEWATCH_TZ: 'UTC', SITEWATCH_INGEST_RETRIES: '9', SITEWATCH_MEMORY_UNIT: 'G' },
    });
    expect(builtIn.defaults.ingest.retries).toBe(3);
    expect(builtIn.defaults.ingest.units.memory).toBe('M');
    expect(loadConfig({ env: {} })).toEqual(DEFAULTS);
  });

  it('returns a fresh object each time', () => {
    const a = loadConfig({ env: {} });
    a.ingest.units.memory = 'G';
    a.timezone = 'UTC';
    expect(loadConfig({ env: {} })).toEqual(DEFAULTS);
  });
});

describe('loadConfig environment overrides', () => {
  it('maps every SITEWATCH_* variable to its setting and coerces numbers', () => {
    const env = {
      SITEWATCH_DB: 'mysql://user:pass@db.local:3306/sitewatch',
      SITEWATCH_TZ: 'Europe/Berlin',
      SITEWATCH_LOG_LEVEL: 'debug',
      SITEWATCH_SCHEDULE_INGEST: '0 * * * *',
      SITEWATCH_INGEST_CONCURRENCY: '8',
      SITEWATCH_INGEST_TIMEOUT_MS: '5000',
      SITEWATCH_INGEST_RETRIES: '0',
      SITEWATCH_INGEST_RETRY_DELAY_MS: '0',
      SITEWATCH_INGEST_BACKFILL_DAYS: '30',
      SITEWATCH_INGEST_CHUNK_LINES: '100',
      SITEWATCH_INGEST_DAY_CLOSE_GRACE_MINUTES: '0',
      SITEWATCH_INGEST_MAX_LINE_BYTES: '1024',
      SITEWATCH_INGEST_PLAUSIBLE_DAYS_BEFORE: '2',
      SITEWATCH_INGEST_PLAUSIBLE_DAYS_AFTER: '3',
      SITEWATCH_MEMORY_UNIT: 'K',
      SITEWATCH_DISK_UNIT: 'G',
      SITEWATCH_AGENT_TOKEN: 'a-token-of-at-least-16-chars',
      SITEWATCH_CHART_FONT_FAMILY: 'WenQuanYi Micro Hei',
      SITEWATCH_CHART_THREADS: '2',
      SITEWATCH_CHART_MAX_QUEUE: '10',
      SITEWATCH_CHART_TIMEOUT_MS: '2000',
      SITEWATCH_LANG: 'en',
      SITEWATCH_WECOM_BOT_ENABLED: 'true',
      SITEWATCH_WECOM_BOT_ID: 'aibXXXXXXXX',
      SITEWATCH_WECOM_BOT_SECRET: 'a-secret-from-the-console',
      SITEWATCH_WECOM_BOT_WS_URL: 'wss://wecom.example.internal/ws',
      SITEWATCH_BOT_ENABLED: 'false',
      SITEWATCH_BOT_PUPPET: 'wechaty-puppet-mock',
      SITEWATCH_BOT_NAME: '/var/lib/sitewatch/bot',
      SITEWATCH_BOT_PREFIX: '#',
      SITEWATCH_SCHEDULE_NOTIFY: '*/2 * * * *',
      SITEWATCH_SCHEDULE_REMINDERS: '*/30 * * * *',
      SITEWATCH_SCHEDULE_DAILY_REPORT: '30 8 * * *',
      SITEWATCH_SCHEDULE_RETENTION: '0 4 * * *',
      SITEWATCH_HUB_ID: 'hub-1',
      SITEWATCH_LEASE_MS: '30000',
      SITEWATCH_ALARM_STALE_HOURS: '24',
      SITEWATCH_ALARM_REMINDER_MINUTES: '60',
      SITEWATCH_ALARM_MAX_REMINDERS: '5',
      SITEWATCH_ALARM_DICT: '/etc/sitewatch/alarm-dict.json',
      SITEWATCH_SELF_ALARMS: 'false',
      SITEWATCH_SMTP_URL: 'smtp://mailer:secret@mail.local:25',
      SITEWATCH_MAIL_FROM: 'Ops <ops@example.com>',
      SITEWATCH_NOTIFY_MAX_ATTEMPTS: '4',
      SITEWATCH_RETENTION_SAMPLE_DAYS: '30',
      SITEWATCH_WEB_ENABLED: 'false',
      SITEWATCH_WEB_HOST: '0.0.0.0',
      SITEWATCH_WEB_PORT: '9090',
      SITEWATCH_WEB_SESSION_SECRET: 'x'.repeat(40),
      SITEWATCH_WEB_IDLE_MINUTES: '15',
      SITEWATCH_WEB_TRUST_PROXY: 'true',
      SITEWATCH_WEB_PUBLIC_URL: 'https://sitewatch.example.com',
      SITEWATCH_WEB_LINK_SECRET: 'y'.repeat(40),
    };
    expect(Object.keys(env).sort()).toEqual(Object.keys(schema.envMap).sort());
    expect(loadConfig({ env })).toEqual({
      db: { url: 'mysql://user:pass@db.local:3306/sitewatch' },
      timezone: 'Europe/Berlin',
      log: { level: 'debug' },
      schedule: {
        ingest: '0 * * * *',
        notify: '*/2 * * * *',
        reminders: '*/30 * * * *',
        dailyReport: '30 8 * * *',
        retention: '0 4 * * *',
      },
      cluster: { hubId: 'hub-1', leaseMs: 30_000 },
      alarms: {
        staleAfterHours: 24,
        reminderEveryMinutes: 60,
        maxReminders: 5,
        groupLimit: 20,
        dictPath: '/etc/sitewatch/alarm-dict.json',
      },
      selfAlarms: { ...DEFAULTS.selfAlarms, enabled: false },
      notify: {
        ...DEFAULTS.notify,
        maxAttempts: 4,
        email: {
          smtpUrl: 'smtp://mailer:secret@mail.local:25',
          from: 'Ops <ops@example.com>',
          timeoutMs: 20_000,
        },
      },
      web: {
        enabled: false,
        host: '0.0.0.0',
        port: 9090,
        sessionSecret: 'x'.repeat(40),
        idleMinutes: 15,
        trustProxy: true,
        loginPerMinute: 10,
        lang: 'zh',
        publicUrl: 'https://sitewatch.example.com',
        linkSecret: 'y'.repeat(40),
        chartLinkDays: 7,
      },
      retention: { ...DEFAULTS.retention, sampleDays: 30 },
      agent: { token: 'a-token-of-at-least-16-chars' },
      wecomBot: {
        ...DEFAULTS.wecomBot,
        enabled: true,
        botId: 'aibXXXXXXXX',
        secret: 'a-secret-from-the-console',
        wsUrl: 'wss://wecom.example.internal/ws',
      },
      bot: {
        enabled: false,
        puppet: 'wechaty-puppet-mock',
        name: '/var/lib/sitewatch/bot',
        prefix: '#',
        sendIntervalMs: 1000,
      },
      charts: {
        fontFamily: 'WenQuanYi Micro Hei',
        fontPaths: [],
        threads: 2,
        maxQueue: 10,
        timeoutMs: 2000,
        lang: 'en',
      },
      ingest: {
        concurrency: 8,
        timeoutMs: 5000,
        retries: 0,
        retryDelayMs: 0,
        backfillDays: 30,
        chunkLines: 100,
        dayCloseGraceMinutes: 0,
        maxLineBytes: 1024,
        plausibleDaysBefore: 2,
        plausibleDaysAfter: 3,
        units: { memory: 'K', disk: 'G' },
      },
    });
  });

  it.each([
    ['sqlite::memory:'],
    ['sqlite:./x.sqlite'],
    ['mysql://root@127.0.0.1:3306/test'],
    ['mariadb://u:p@h/db?charset=utf8mb4'],
  ])('accepts the database URL %p', (url) => {
    expect(loadConfig({ env: { SITEWATCH_DB: url } }).db.url).toBe(url);
  });

  it('accepts range limits exactly', () => {
    const c = loadConfig({
      env: {
        SITEWATCH_INGEST_CONCURRENCY: '64',
        SITEWATCH_INGEST_RETRIES: '20',
        SITEWATCH_INGEST_BACKFILL_DAYS: '366',
        SITEWATCH_INGEST_TIMEOUT_MS: '100',
        SITEWATCH_INGEST_MAX_LINE_BYTES: '64',
        SITEWATCH_INGEST_DAY_CLOSE_GRACE_MINUTES: '1440',
      },
    });
    expect(c.ingest).toMatchObject({
      concurrency: 64,
      retries: 20,
      backfillDays: 366,
      timeoutMs: 100,
      maxLineBytes: 64,
      dayCloseGraceMinutes: 1440,
    });
  });

  it('takes the plausibility window in whole days from 0 to 366, naming the variable', () => {
    const c = loadConfig({
      env: {
        SITEWATCH_INGEST_PLAUSIBLE_DAYS_BEFORE: '0',
        SITEWATCH_INGEST_PLAUSIBLE_DAYS_AFTER: '366',
      },
    });
    expect([c.ingest.plausibleDaysBefore, c.ingest.plausibleDaysAfter]).toEqual([0, 366]);
    expect(
      problemsOf(() =>
        loadConfig({
          env: {
            SITEWATCH_INGEST_PLAUSIBLE_DAYS_BEFORE: '-1',
            SITEWATCH_INGEST_PLAUSIBLE_DAYS_AFTER: '367',
          },
        }),
      ),
    ).toEqual([
      'ingest.plausibleDaysBefore (from SITEWATCH_INGEST_PLAUSIBLE_DAYS_BEFORE) Too small: expected number to be >=0',
      'ingest.plausibleDaysAfter (from SITEWATCH_INGEST_PLAUSIBLE_DAYS_AFTER) Too big: expected number to be <=366',
    ]);
    expect(
      problemsOf(() => loadConfig({ overrides: { ingest: { plausibleDaysAfter: 0.5 } } })),
    ).toEqual(['ingest.plausibleDaysAfter expected int, received number']);
  });

  it('lets overrides win over the environment', () => {
    const c = loadConfig({
      env: { SITEWATCH_INGEST_RETRIES: '5', SITEWATCH_TZ: 'UTC' },
      overrides: { ingest: { retries: 1 } },
    });
    expect(c.ingest.retries).toBe(1);
    expect(c.ingest.concurrency).toBe(4);
    expect(c.timezone).toBe('UTC');
  });
});

describe('loadConfig with a JSON file (SITEWATCH_CONFIG)', () => {
  it('deep-merges the file over the defaults', () => {
    const file = configFile(
      JSON.stringify({
        timezone: 'UTC',
        ingest: { retries: 5, units: { disk: 'G' } },
      }),
    );
    expect(loadConfig({ env: { SITEWATCH_CONFIG: file } })).toEqual({
      ...DEFAULTS,
      timezone: 'UTC',
      ingest: { ...DEFAULTS.ingest, retries: 5, units: { memory: 'M', disk: 'G' } },
    });
  });

  it('lets the environment win over the file', () => {
    const file = configFile(JSON.stringify({ timezone: 'UTC', log: { level: 'warn' } }));
    const c = loadConfig({ env: { SITEWATCH_CONFIG: file, SITEWATCH_TZ: 'Europe/Berlin' } });
    expect(c.timezone).toBe('Europe/Berlin');
    expect(c.log.level).toBe('warn');
  });

  it('reports a bad value from the file without naming a variable', () => {
    const file = configFile(JSON.stringify({ ingest: { concurrency: 0 } }));
    expect(problemsOf(() => loadConfig({ env: { SITEWATCH_CONFIG: file } }))).toEqual([
      'ingest.concurrency Too small: expected number to be >=1',
    ]);
  });

  it('reports a file that is not JSON', () => {
    const file = configFile('{ "timezone": ');
    const problems = problemsOf(() => loadConfig({ env: { SITEWATCH_CONFIG: file } }));
    expect(problems).toHaveLength(1);
    expect(
      problems[0].startsWith(`SITEWATCH_CONFIG file ${file} could not be read as JSON (`),
    ).toBe(true);
  });

  it('reports a missing file', () => {
    const file = join(dir, 'missing.json');
    expect(problemsOf(() => loadConfig({ env: { SITEWATCH_CONFIG: file } }))).toEqual([
      `SITEWATCH_CONFIG file ${file} does not exist`,
    ]);
  });

  it.each([
    ['a directory', () => dir],
    ['a character device', () => '/dev/zero'],
    [
      'a FIFO',
      () => {
        const fifo = join(dir, 'config.fifo');
        execFileSync('mkfifo', [fifo]);
        return fifo;
      },
    ],
  ])('refuses %s without reading it', (kind, make) => {
    const file = make();
    expect(problemsOf(() => loadConfig({ env: { SITEWATCH_CONFIG: file } }))).toEqual([
      `SITEWATCH_CONFIG file ${file} is not a regular file (${kind})`,
    ]);
  });

  it('reads a file of up to 1 MiB and refuses a larger one', () => {
    const max = schema.MAX_CONFIG_FILE_BYTES;
    expect(max).toBe(1024 * 1024);
    const fits = configFile(`{"timezone":"UTC"}${' '.repeat(max - 18)}`);
    expect(loadConfig({ env: { SITEWATCH_CONFIG: fits } }).timezone).toBe('UTC');
    const big = configFile(`{"timezone":"UTC"}${' '.repeat(max - 17)}`);
    expect(problemsOf(() => loadConfig({ env: { SITEWATCH_CONFIG: big } }))).toEqual([
      `SITEWATCH_CONFIG file ${big} is larger than 1 MiB`,
    ]);
  });

  it.each([['[1, 2]'], ['"text"'], ['42'], ['null']])(
    'reports a file holding %p instead of an object',
    (content) => {
      const file = configFile(content);
      expect(problemsOf(() => loadConfig({ env: { SITEWATCH_CONFIG: file } }))).toEqual([
        `SITEWATCH_CONFIG file ${file} must hold a JSON object`,
      ]);
    },
  );
});

describe('loadConfig errors', () => {
  it('reports every bad value at once, naming the variable that set it', () => {
    let err: unknown;
    try {
      loadConfig({
        env: {
          SITEWATCH_DB: 'postgres://h/db',
          SITEWATCH_TZ: 'Mars/Olympus',
          SITEWATCH_LOG_LEVEL: 'loud',
          SITEWATCH_SCHEDULE_INGEST: 'every 5 minutes',
          SITEWATCH_INGEST_CONCURRENCY: 'abc',
          SITEWATCH_INGEST_TIMEOUT_MS: '10',
          SITEWATCH_INGEST_RETRIES: '99',
          SITEWATCH_INGEST_BACKFILL_DAYS: '1.5',
          SITEWATCH_MEMORY_UNIT: 'X',
        },
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(schema.ConfigError);
    const e = err as InstanceType<Schema['ConfigError']>;
    const problems = [
      'db.url (from SITEWATCH_DB) must look like mysql://user:pass@host:3306/dbname or sqlite:./path.sqlite or sqlite::memory:',
      'timezone (from SITEWATCH_TZ) is not a known IANA time zone (e.g. Asia/Shanghai)',
      'log.level (from SITEWATCH_LOG_LEVEL) Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"',
      'schedule.ingest (from SITEWATCH_SCHEDULE_INGEST) is not a valid cron expression',
      'ingest.concurrency (from SITEWATCH_INGEST_CONCURRENCY) expected number, received NaN',
      'ingest.timeoutMs (from SITEWATCH_INGEST_TIMEOUT_MS) Too small: expected number to be >=100',
      'ingest.retries (from SITEWATCH_INGEST_RETRIES) Too big: expected number to be <=20',
      'ingest.backfillDays (from SITEWATCH_INGEST_BACKFILL_DAYS) expected int, received number',
      'ingest.units.memory (from SITEWATCH_MEMORY_UNIT) Invalid option: expected one of "B"|"K"|"M"|"G"|"T"',
    ];
    expect(e.problems).toEqual(problems);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.name).toBe('ConfigError');
    expect(e.message).toBe(`Invalid configuration: ${problems.join('; ')}.`);
  });

  it('reports a file problem together with environment problems', () => {
    const file = configFile('not json');
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          SITEWATCH_CONFIG: file,
          SITEWATCH_DISK_UNIT: 'PB',
          SITEWATCH_INGEST_CHUNK_LINES: '0',
        },
      }),
    );
    expect(problems).toHaveLength(3);
    expect(
      problems[0].startsWith(`SITEWATCH_CONFIG file ${file} could not be read as JSON (`),
    ).toBe(true);
    expect(problems.slice(1)).toEqual([
      'ingest.chunkLines (from SITEWATCH_INGEST_CHUNK_LINES) Too small: expected number to be >=1',
      'ingest.units.disk (from SITEWATCH_DISK_UNIT) Invalid option: expected one of "B"|"K"|"M"|"G"|"T"',
    ]);
  });

  it('mixes file and environment problems, naming only the variables actually used', () => {
    const file = configFile(JSON.stringify({ ingest: { retries: -1 }, timezone: 'Nowhere/Land' }));
    expect(
      problemsOf(() =>
        loadConfig({ env: { SITEWATCH_CONFIG: file, SITEWATCH_INGEST_CONCURRENCY: '65' } }),
      ),
    ).toEqual([
      'timezone is not a known IANA time zone (e.g. Asia/Shanghai)',
      'ingest.concurrency (from SITEWATCH_INGEST_CONCURRENCY) Too big: expected number to be <=64',
      'ingest.retries Too small: expected number to be >=0',
    ]);
  });

  it('does not blame an environment variable for a bad value that came from overrides', () => {
    expect(
      problemsOf(() =>
        loadConfig({
          env: { SITEWATCH_INGEST_RETRIES: '3' },
          overrides: { ingest: { retries: 99 } },
        }),
      ),
    ).toEqual(['ingest.retries Too big: expected number to be <=20']);
  });
});

describe('wecomBot settings', () => {
  it('requires the bot id and the secret when the WeCom robot is on, naming both at once', () => {
    expect(() => loadConfig({ env: { SITEWATCH_WECOM_BOT_ENABLED: 'true' } })).toThrow(
      'Invalid configuration: wecomBot.botId is required when wecomBot.enabled is true (see the WeCom admin console); wecomBot.secret is required when wecomBot.enabled is true (see the WeCom admin console).',
    );
    expect(() =>
      loadConfig({
        env: {
          SITEWATCH_WECOM_BOT_ID: 'aib1',
          SITEWATCH_WECOM_BOT_SECRET: 's',
          SITEWATCH_WECOM_BOT_WS_URL: 'https://not-a-websocket',
        },
      }),
    ).toThrow('wecomBot.wsUrl (from SITEWATCH_WECOM_BOT_WS_URL) ');
  });
});
