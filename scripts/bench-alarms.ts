// npm run bench:alarms: 10,000 alarms on 200 sites in one ingest — outbox overhead, messages produced, email delivery.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { SMTPServer } from 'smtp-server';
import type { DataSource, EntityManager } from 'typeorm';
import { loadAlarmDict } from '../config/alarm-dict';
import { type Config, loadConfig, testMysqlUrl } from '../config/schema';
import { createAlarmNotifier } from '../src/alarms/notifier';
import { insertIgnore } from '../src/db/bulk';
import { engineOf, migrate, openDataSource, parseDbUrl } from '../src/db/data-source';
import { withTransaction } from '../src/db/tx';
import { systemAlarm } from '../src/ingest/formats/system-alarm';
import { createIngestService, type IngestServiceHooks } from '../src/ingest/ingest-service';
import { silentLogger } from '../src/log';
import { createEmailChannel } from '../src/notify/channels/email';
import { configuredChannels } from '../src/notify/channels/registry';
import { createDispatcher } from '../src/notify/dispatcher';
import { createNoticeCharts } from '../src/notify/notice-chart';
import type { Notice } from '../src/outbox/notices';
import { createRegistry } from '../src/registry';
import { type ChartRenderer, createChartRenderer } from '../src/render/chart-renderer';
import { dayKey } from '../src/time';
import type { AlarmChange } from '../src/types/alarm-change';

const SITES = 200;
const ALARMS_PER_SITE = 50;
const MANAGERS_PER_SITE = 2;
const ROBOT = 'ops-robot';
/** Two managers' emails, one subscribed room, one WeCom robot. */
const RECIPIENTS_PER_SITE = MANAGERS_PER_SITE + 2;
const EXPECTED_MESSAGES = SITES * RECIPIENTS_PER_SITE;
const EXPECTED_EMAILS = SITES * MANAGERS_PER_SITE;
/** Ingest passes before a run gives up: a failed site is retried by the next pass, as by the next scheduled ingest. */
const MAX_PASSES = 5;
const NAMES = ['CPU_HIGH', 'MEM_HIGH', 'DISK_FULL', 'LINK_DOWN', 'PROCESS_DOWN'];

const code = (i: number) => `S${String(i + 1).padStart(3, '0')}`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Loopback servers

/** Every site's alarm file of `day`, 50 open alarms each, under /<code>/sys_alarm/. */
function alarmFiles(day: string): Map<string, Buffer> {
  const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
  const files = new Map<string, Buffer>();
  for (let i = 0; i < SITES; i++) {
    const c = code(i);
    const lines: string[] = [];
    for (let k = 0; k < ALARMS_PER_SITE; k++) {
      const at = `${date} 00:${String(k).padStart(2, '0')}:00`;
      const name = NAMES[k % NAMES.length];
      const node = `${c}-app${String((k % 10) + 1).padStart(2, '0')}`;
      lines.push(`${c}|${name}|${node}|${name} on ${node}|${at}||${at}\n`);
    }
    files.set(`/${c}/sys_alarm/system_alarm_${day}.txt`, Buffer.from(lines.join('')));
  }
  return files;
}

/** A plain HTTP server for all sites' files; sites are path prefixes of it. */
async function startSiteServer(
  files: Map<string, Buffer>,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const body = files.get((req.url ?? '').split('?')[0]);
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Length': body.length, 'Content-Type': 'text/plain' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

interface SmtpSink {
  url: string;
  /** Envelope recipients of every accepted mail, in order. */
  received: string[];
  bytes: number;
  close(): Promise<void>;
}

/** A real SMTP server on loopback that accepts every mail and only counts it. */
async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = { url: '', received: [], bytes: 0, close: async () => undefined };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // The sink must not be the bottleneck: no reverse DNS lookup of 127.0.0.1 per connection.
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, cb) {
      stream.on('data', (c: Buffer) => (sink.bytes += c.length));
      stream.on('end', () => {
        sink.received.push(...session.envelope.rcptTo.map((a) => a.address));
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  sink.url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  sink.close = () => new Promise<void>((r) => smtp.close(() => r()));
  return sink;
}

// ---------------------------------------------------------------------------------------------
// Seeding: sites, two managers with emails per site, one subscribed room per site

async function seed(ds: DataSource, baseUrl: string): Promise<void> {
  const engine = engineOf(ds);
  const now = Date.now();
  await withTransaction(ds, async (em) => {
    await insertIgnore(
      em,
      engine,
      'site',
      ['code', 'name', 'base_url', 'encoding', 'timezone', 'enabled', 'auth_token', 'created_at'],
      Array.from({ length: SITES }, (_, i) => [
        code(i),
        `局点${i + 1}`,
        `${baseUrl}/${code(i)}`,
        'auto',
        null,
        1,
        null,
        now,
      ]),
    );
    await insertIgnore(
      em,
      engine,
      'user',
      [
        'login',
        'display_name',
        'email',
        'role',
        'password_hash',
        'notify_email',
        'notify_wechat',
        'report_email',
        'created_at',
      ],
      Array.from({ length: SITES * MANAGERS_PER_SITE }, (_, j) => {
        const login = `${code(Math.floor(j / MANAGERS_PER_SITE)).toLowerCase()}-m${(j % MANAGERS_PER_SITE) + 1}`;
        // Nobody logs in: a hash no password matches.
        return [login, login, `${login}@example.com`, 'operator', '!', 1, 0, 0, now];
      }),
    );
  });
  const sites = (await ds.query('SELECT id, code FROM site ORDER BY code')) as {
    id: number | string;
    code: string;
  }[];
  const users = (await ds.query(
    `SELECT id, login FROM ${ds.driver.escape('user')} ORDER BY login`,
  )) as { id: number | string; login: string }[];
  const userId = new Map(users.map((u) => [u.login, Number(u.id)]));
  const managers = (c: string) =>
    Array.from({ length: MANAGERS_PER_SITE }, (_, m) => userId.get(`${c.toLowerCase()}-m${m + 1}`));
  await withTransaction(ds, async (em) => {
    await insertIgnore(
      em,
      engine,
      'user_site',
      ['user_id', 'site_id'],
      sites.flatMap((s) => managers(s.code).map((u) => [u, Number(s.id)])),
    );
    await insertIgnore(
      em,
      engine,
      'room_subscription',
      ['room_topic', 'room_id', 'site_id', 'created_by', 'created_at'],
      sites.map((s) => [`${s.code} 运维群`, null, Number(s.id), managers(s.code)[0], now]),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// One run: a bare ingest and an ingest with the notifier, each on a fresh database

interface Options {
  runs: number;
  engines: string[];
  ingestConcurrency: number | null;
  /** Runs (from the first) whose emails are sent a second time with chart PNGs. */
  chartRuns: number;
}

interface IngestFigures {
  /** The first pass: all 200 sites at once. */
  seconds: number;
  /** Passes until every site succeeded (1 unless some failed). */
  passes: number;
  /** Sites that failed in the first pass, and the first error. */
  failedSites: number;
  firstError: string | null;
  /** Of those, the sites that failed on ER_LOCK_DEADLOCK. */
  deadlocked: number;
}

interface SendFigures {
  seconds: number;
  mb: number;
  renders: number[];
}

interface RunFigures {
  bare: IngestFigures;
  withOutbox: IngestFigures;
  hookSeconds: number;
  hookCalls: number;
  /** Outbox rows counted the moment the first pass resolved, and how long that count took. */
  rowsAfterPass1: number;
  countMs: number;
  messages: number;
  perSiteRecipient: number;
  byChannel: Record<string, number>;
  sendPlain: SendFigures;
  sendCharts: SendFigures | null;
}

interface Env {
  config: Config;
  day: string;
  siteUrl: string;
  smtp: SmtpSink;
  renderer: ChartRenderer;
  /** A fresh database for each call; drop() removes it. */
  freshDb(tag: string): Promise<{ url: string; drop(): Promise<void> }>;
  /** Whether InnoDB's latest deadlock has been printed (once per engine). */
  deadlockShown: boolean;
}

/** The two statements InnoDB names in its latest deadlock, shortened. */
async function deadlockStatements(ds: DataSource): Promise<string[]> {
  const [st] = (await ds.query('SHOW ENGINE INNODB STATUS')) as { Status: string }[];
  const section = /LATEST DETECTED DEADLOCK([\s\S]*?)\n-{5,}\nTRANSACTIONS/.exec(st.Status);
  return (section?.[1] ?? '')
    .split('\n')
    .filter((l) => /^(UPDATE|INSERT|SELECT|DELETE) /.test(l))
    .map((l) => (l.length > 140 ? `${l.slice(0, 140)}…` : l));
}

/** Ingest today's alarm files of all sites; failed sites are retried by further passes. */
async function ingest(
  env: Env,
  ds: DataSource,
  hooks: IngestServiceHooks,
  afterFirstPass: () => Promise<void> = async () => undefined,
): Promise<IngestFigures> {
  const service = createIngestService({ ds, config: env.config, formats: [systemAlarm], hooks });
  const t0 = performance.now();
  let results = await service.run({ date: env.day });
  const endedAt = performance.now();
  await afterFirstPass();
  if (results.length !== SITES) throw new Error(`ingest ran ${results.length} of ${SITES} sites`);
  let failed = results.filter((r) => !r.ok);
  const figures: IngestFigures = {
    seconds: (endedAt - t0) / 1000,
    passes: 1,
    failedSites: failed.length,
    firstError: failed[0]?.error ?? null,
    deadlocked: failed.filter((r) => r.error?.includes('ER_LOCK_DEADLOCK')).length,
  };
  if (failed.length > 0 && engineOf(ds) === 'mysql' && !env.deadlockShown) {
    env.deadlockShown = true;
    const stmts = await deadlockStatements(ds);
    if (stmts.length > 0)
      console.log(`    latest InnoDB deadlock:\n      ${stmts.join('\n      ')}`);
  }
  let inserted = results.flatMap((r) => r.files).reduce((a, f) => a + f.inserted, 0);
  while (failed.length > 0) {
    if (figures.passes === MAX_PASSES)
      throw new Error(
        `${failed.length} sites still fail after ${MAX_PASSES} passes: ${failed[0].error}`,
      );
    figures.passes++;
    results = [];
    // The failed sites one by one, as the next scheduled ingest would take them up.
    for (const r of failed)
      results.push(await service.run({ site: r.site, date: env.day }).then((x) => x[0]));
    inserted += results.flatMap((r) => r.files).reduce((a, f) => a + f.inserted, 0);
    failed = results.filter((r) => !r.ok);
  }
  if (inserted !== SITES * ALARMS_PER_SITE)
    throw new Error(`ingest inserted ${inserted} alarms, expected ${SITES * ALARMS_PER_SITE}`);
  return figures;
}

async function withFreshDb<T>(
  env: Env,
  tag: string,
  fn: (ds: DataSource) => Promise<T>,
): Promise<T> {
  const db = await env.freshDb(tag);
  try {
    const ds = await openDataSource(db.url);
    try {
      await migrate(ds);
      await seed(ds, env.siteUrl);
      return await fn(ds);
    } finally {
      await ds.destroy();
    }
  } finally {
    await db.drop();
  }
}

/** Send every due email through the real dispatcher and email channel; checks the SMTP server got each once. */
async function send(env: Env, ds: DataSource, withCharts: boolean): Promise<SendFigures> {
  const { config, smtp, renderer } = env;
  const email = createEmailChannel({
    smtpUrl: smtp.url,
    from: config.notify.email.from,
    timeoutMs: config.notify.email.timeoutMs,
    groupLimit: config.alarms.groupLimit,
    tz: config.timezone,
    log: silentLogger,
  });
  const charts = createNoticeCharts({ ds, lang: config.charts.lang });
  const renders: number[] = [];
  const dispatcher = createDispatcher({
    ds,
    channels: createRegistry('notification channel', [email]),
    log: silentLogger,
    owner: 'bench',
    ...config.notify,
    chartFor: withCharts ? (n: Notice) => charts.chartFor(n) : async () => null,
    renderChart: withCharts
      ? async (o) => {
          const t0 = performance.now();
          try {
            return await renderer.render(o);
          } finally {
            renders.push(performance.now() - t0);
          }
        }
      : null,
  });
  smtp.received.length = 0;
  smtp.bytes = 0;
  try {
    const t0 = performance.now();
    const r = await dispatcher.runOnce();
    const seconds = (performance.now() - t0) / 1000;
    const [{ n }] = (await ds.query(
      "SELECT COUNT(*) AS n FROM outbox WHERE channel = 'email' AND status = 'sent'",
    )) as { n: number | string }[];
    const distinct = new Set(smtp.received).size;
    if (
      r.sent !== EXPECTED_EMAILS ||
      r.retrying + r.failed > 0 ||
      Number(n) !== EXPECTED_EMAILS ||
      smtp.received.length !== EXPECTED_EMAILS ||
      distinct !== EXPECTED_EMAILS
    )
      throw new Error(
        `send: dispatcher ${JSON.stringify(r)}, ${n} rows marked sent, SMTP got ${smtp.received.length} mails for ${distinct} addresses; expected ${EXPECTED_EMAILS}`,
      );
    return { seconds, mb: smtp.bytes / 1e6, renders };
  } finally {
    await email.close?.();
  }
}

async function oneRun(env: Env, label: string, run: number, charts: boolean): Promise<RunFigures> {
  const { config } = env;
  const bareRun = () =>
    withFreshDb(env, `${label}_b${run}`, (ds) =>
      ingest(env, ds, { onAlarmChanges: async () => undefined }),
    );
  // Alternate which ingest goes first, so that neither always meets a cold server.
  const bareFirst = run % 2 === 1;
  const early = bareFirst ? await bareRun() : null;
  const figures = await withFreshDb(env, `${label}_o${run}`, async (ds) => {
    // Room rows are produced as with the bot running; nothing in this bench sends them (nor to the robot).
    const recipients = configuredChannels({
      ...config,
      bot: { ...config.bot, enabled: true },
      notify: {
        ...config.notify,
        email: { ...config.notify.email, smtpUrl: 'smtp://127.0.0.1:25' },
        wecom: {
          ...config.notify.wecom,
          robots: [{ name: ROBOT, url: 'http://127.0.0.1:9/', sites: ['*'] }],
        },
      },
    });
    const notifier = createAlarmNotifier({
      dict: loadAlarmDict(config.alarms.dictPath),
      recipients,
      defaultTz: config.timezone,
    });
    let hookMs = 0;
    let hookCalls = 0;
    const hooks: IngestServiceHooks = {
      async onAlarmChanges(em: EntityManager, changes: AlarmChange[]) {
        const t0 = performance.now();
        try {
          await notifier.onAlarmChanges(em, changes, Date.now());
        } finally {
          hookMs += performance.now() - t0;
          hookCalls++;
        }
      },
    };
    const countOutbox = async () =>
      Number(
        ((await ds.query('SELECT COUNT(*) AS n FROM outbox')) as { n: number | string }[])[0].n,
      );
    let rowsAfterPass1 = 0;
    let countMs = 0;
    // The notices commit in the ingest's own transactions: once the ingest resolves, they are all there.
    const withOutbox = await ingest(env, ds, hooks, async () => {
      const t0 = performance.now();
      rowsAfterPass1 = await countOutbox();
      countMs = performance.now() - t0;
    });
    const messages = await countOutbox();
    if (messages !== EXPECTED_MESSAGES)
      throw new Error(
        `outbox holds ${messages} rows after the ingest, expected ${EXPECTED_MESSAGES}`,
      );

    const [{ pairs }] = (await ds.query(
      'SELECT COUNT(*) AS pairs FROM (SELECT DISTINCT site_id, channel, recipient FROM outbox) d',
    )) as { pairs: number | string }[];
    const channels = (await ds.query(
      'SELECT channel, COUNT(*) AS n FROM outbox GROUP BY channel ORDER BY channel',
    )) as { channel: string; n: number | string }[];
    const byChannel = Object.fromEntries(channels.map((c) => [c.channel, Number(c.n)]));
    // Every message must carry all 50 of its site's alarms.
    const payloads = (await ds.query('SELECT payload FROM outbox')) as { payload: string }[];
    const partial = payloads.filter((p) => {
      const notice = JSON.parse(p.payload) as { items: unknown[]; more: number };
      return notice.items.length + notice.more !== ALARMS_PER_SITE;
    }).length;
    if (partial > 0) throw new Error(`${partial} messages do not list their site's 50 alarms`);

    // Only the emails are sent here: the room and robot rows are parked out of the dispatcher's reach.
    await ds.query("UPDATE outbox SET next_try_at = ? WHERE channel <> 'email'", [
      Date.now() + 365 * 86_400_000,
    ]);
    const sendPlain = await send(env, ds, false);
    let sendCharts: SendFigures | null = null;
    if (charts) {
      await ds.query(
        "UPDATE outbox SET status = 'pending', sent_at = NULL, attempts = 0, next_try_at = ? WHERE channel = 'email'",
        [Date.now()],
      );
      sendCharts = await send(env, ds, true);
    }
    return {
      withOutbox,
      hookSeconds: hookMs / 1000,
      hookCalls,
      rowsAfterPass1,
      countMs,
      messages,
      perSiteRecipient: messages / Number(pairs),
      byChannel,
      sendPlain,
      sendCharts,
    };
  });
  return { ...figures, bare: early ?? (await bareRun()) };
}

// ---------------------------------------------------------------------------------------------
// Main

function parseOptions(argv: string[]): Options {
  const o: Options = {
    runs: 3,
    engines: ['sqlite', 'mariadb'],
    ingestConcurrency: null,
    chartRuns: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (min: number) => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < min) throw new Error(`${a} needs an integer >= ${min}`);
      return v;
    };
    if (a === '--runs') o.runs = num(1);
    else if (a === '--chart-runs') o.chartRuns = num(0);
    else if (a === '--ingest-concurrency') o.ingestConcurrency = num(1);
    else if (a === '--engines') {
      o.engines = (argv[++i] ?? '').split(',').filter(Boolean);
      if (o.engines.length === 0 || o.engines.some((e) => e !== 'sqlite' && e !== 'mariadb'))
        throw new Error('--engines takes sqlite, mariadb or both, comma-separated');
    } else
      throw new Error(
        `unknown option ${a} (use --runs N, --chart-runs N, --ingest-concurrency N, --engines sqlite,mariadb)`,
      );
  }
  return o;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

async function main(opts: Options): Promise<void> {
  const config = loadConfig({
    env: {},
    overrides: {
      log: { level: 'silent' },
      ...(opts.ingestConcurrency ? { ingest: { concurrency: opts.ingestConcurrency } } : {}),
    },
  });
  const day = dayKey(Date.now(), config.timezone);
  const chartRuns = Math.min(opts.chartRuns, opts.runs);
  console.log('Sitewatch alarm delivery benchmark');
  console.log(
    `  machine : ${cpus()[0]?.model.trim()}, ${availableParallelism()} cores; node ${process.version}`,
  );
  console.log(
    `  data    : ${SITES} sites × ${ALARMS_PER_SITE} open alarms = ${SITES * ALARMS_PER_SITE} alarms in today's system_alarm files (${day}), one loopback HTTP server;`,
  );
  console.log(
    `            per site ${MANAGERS_PER_SITE} managers with email + 1 subscribed room + 1 WeCom robot ('*') -> ideal ${EXPECTED_MESSAGES} messages`,
  );
  console.log(
    `  load    : ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} (1/5/15-min load average at start)`,
  );
  console.log(
    `  settings: ingest.concurrency ${config.ingest.concurrency}, notify.concurrency ${config.notify.concurrency}, notify.batch ${config.notify.batch}; ${opts.runs} runs per engine (medians), emails re-sent with charts in ${chartRuns}`,
  );

  const tmp = mkdtempSync(join(tmpdir(), 'sw-bench-alarms-'));
  const site = await startSiteServer(alarmFiles(day));
  const smtp = await startSmtpSink();
  const renderer = createChartRenderer({ ...config.charts, log: silentLogger });
  const p = parseDbUrl(testMysqlUrl());
  const admin = opts.engines.includes('mariadb')
    ? await createConnection({ host: p.host, port: p.port, user: p.user, password: p.password })
    : null;
  const prefix = `sw_bench_alarms_${randomBytes(3).toString('hex')}`;
  const results: Record<string, RunFigures[]> = {};
  const freshDbs: Record<string, Env['freshDb']> = {
    sqlite: async (tag) => {
      const file = join(tmp, `${tag}.sqlite`);
      return {
        url: `sqlite:${file}`,
        drop: async () => {
          for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
        },
      };
    },
    mariadb: async (tag) => {
      const name = `${prefix}_${tag}`;
      await admin!.query(
        `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
      return {
        url: Object.assign(new URL(testMysqlUrl()), { pathname: `/${name}` }).toString(),
        drop: async () => {
          await admin!.query(`DROP DATABASE IF EXISTS \`${name}\``);
        },
      };
    },
  };
  try {
    for (const label of opts.engines) {
      const env: Env = {
        config,
        day,
        siteUrl: site.url,
        smtp,
        renderer,
        freshDb: freshDbs[label],
        deadlockShown: false,
      };
      results[label] = [];
      for (let run = 1; run <= opts.runs; run++) {
        const r = await oneRun(env, label, run, run <= chartRuns);
        results[label].push(r);
        const failures = (f: IngestFigures) =>
          f.failedSites > 0
            ? ` [${f.failedSites} sites failed in pass 1 (${f.deadlocked} on deadlocks${f.deadlocked < f.failedSites ? `; first error: ${f.firstError}` : ''}), ${f.passes} passes]`
            : '';
        console.log(
          `  ${label.padEnd(7)} run ${run}: ingest bare ${r.bare.seconds.toFixed(2)} s${failures(r.bare)}, with outbox ${r.withOutbox.seconds.toFixed(2)} s${failures(r.withOutbox)}` +
            ` (in hook ${r.hookSeconds.toFixed(2)} s, ${r.hookCalls} calls); ${r.messages} messages, counted in ${r.countMs.toFixed(1)} ms;` +
            ` ${EXPECTED_EMAILS} emails sent in ${r.sendPlain.seconds.toFixed(2)} s` +
            (r.sendCharts
              ? `, with charts ${r.sendCharts.seconds.toFixed(2)} s (${r.sendCharts.renders.length} renders, median ${median(r.sendCharts.renders).toFixed(0)} ms incl. queue)`
              : ''),
        );
      }
    }
  } finally {
    await renderer.close();
    await smtp.close();
    await new Promise<void>((r) => site.server.close(() => r()));
    await admin?.end();
    rmSync(tmp, { recursive: true, force: true });
  }

  console.log(
    `  load at end: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const labels = Object.keys(results);
  const m = (l: string, f: (r: RunFigures) => number) => median(results[l].map(f));
  console.log('');
  console.log(`Ingest and outbox (median of ${opts.runs})`);
  console.log(
    table([
      [
        'engine',
        'ingest bare s',
        'ingest + outbox s',
        'ratio',
        'in hook s',
        'rows at ingest end',
        'count query',
        'messages',
        'email/wechat/wecom',
        'per site-recipient',
        'failed sites (pass 1)',
      ],
      ...labels.map((l) => {
        const last = results[l][results[l].length - 1];
        const bare = m(l, (r) => r.bare.seconds);
        const full = m(l, (r) => r.withOutbox.seconds);
        return [
          l,
          fmt(bare),
          fmt(full),
          fmt(full / bare),
          fmt(m(l, (r) => r.hookSeconds)),
          `${fmt(
            m(l, (r) => r.rowsAfterPass1),
            0,
          )} of ${EXPECTED_MESSAGES}`,
          `${fmt(
            m(l, (r) => r.countMs),
            1,
          )} ms`,
          fmt(
            m(l, (r) => r.messages),
            0,
          ),
          ['email', 'wechat', 'wecom'].map((c) => last.byChannel[c] ?? 0).join('/'),
          fmt(m(l, (r) => r.perSiteRecipient)),
          results[l].map((r) => `${r.bare.failedSites}+${r.withOutbox.failedSites}`).join(', '),
        ];
      }),
    ]),
  );
  console.log(
    '  (rows at ingest end: counted the moment the first pass resolved; failed sites: bare + with outbox, per run)',
  );
  console.log('');
  console.log(
    `Sending the ${EXPECTED_EMAILS} emails to a loopback SMTP server (dispatcher + email channel, concurrency ${config.notify.concurrency})`,
  );
  const rows: string[][] = [
    [
      'engine',
      'runs',
      'all sent s',
      'emails/s',
      'MB received',
      'chart render ms (p50, incl. queue)',
    ],
  ];
  for (const l of labels) {
    const plain = results[l].map((r) => r.sendPlain);
    const charts = results[l].flatMap((r) => (r.sendCharts ? [r.sendCharts] : []));
    for (const [what, xs] of [
      ['no charts', plain],
      ['with chart PNG', charts],
    ] as const) {
      if (xs.length === 0) continue;
      const secs = median(xs.map((x) => x.seconds));
      rows.push([
        `${l} ${what}`,
        String(xs.length),
        fmt(secs),
        fmt(EXPECTED_EMAILS / secs, 1),
        fmt(median(xs.map((x) => x.mb)), 1),
        what === 'no charts' ? '–' : fmt(median(xs.flatMap((x) => x.renders)), 0),
      ]);
    }
  }
  console.log(table(rows));
}

let options: Options | null = null;
try {
  options = parseOptions(process.argv.slice(2));
} catch (err) {
  console.error(`bench-alarms: ${(err as Error).message}`);
  process.exitCode = 2;
}
if (options)
  main(options).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
