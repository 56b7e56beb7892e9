// npm run bench:alarms: 10,000 alarms on 200 sites in one ingest — outbox overhead, messages produced, email delivery.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
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
import type { FileIngestHooks } from '../src/ingest/file-ingest';
import type { AlarmChange } from '../src/ingest/formats/types';
import { systemAlarm } from '../src/ingest/formats/system-alarm';
import { createIngestService } from '../src/ingest/ingest-service';
import { silentLogger } from '../src/log';
import { createEmailChannel } from '../src/notify/channels/email';
import { createDispatcher } from '../src/notify/dispatcher';
import { createNoticeCharts } from '../src/notify/notice-chart';
import type { RecipientConfig } from '../src/notify/recipients';
import type { Notice } from '../src/notify/types';
import { createRegistry } from '../src/registry';
import { type ChartRenderer, createChartRenderer } from '../src/render/chart-renderer';
import { dayKey } from '../src/time';

const SITES = 200;
const ALARMS_PER_SITE = 50;
const MANAGERS_PER_SITE = 2;
const ROBOT = 'ops-robot';
/** Two managers' emails, one subscribed room, one WeCom robot. */
const RECIPIENTS_PER_SITE = MANAGERS_PER_SITE + 2;
const EXPECTED_MESSAGES = SITES * RECIPIENTS_PER_SITE;
const EXPECTED_EMAILS = SITES * MANAGERS_PER_SITE;
let RUNS = Number(process.argv[2] ?? 3);
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
// One run on a fresh database

interface IngestFigures {
  seconds: number;
  alarms: number;
}

interface RunFigures {
  baseline: IngestFigures;
  withOutbox: IngestFigures;
  hookSeconds: number;
  hookCalls: number;
  /** From the ingest's promise resolving until the outbox count query returned. */
  outboxAfterMs: number;
  messages: number;
  perSiteRecipient: number;
  byChannel: Record<string, number>;
  sendPlain: SendFigures;
  sendCharts: SendFigures | null;
}

interface SendFigures {
  seconds: number;
  sent: number;
  mb: number;
}

interface Env {
  config: Config;
  day: string;
  siteUrl: string;
  smtp: SmtpSink;
  renderer: ChartRenderer | null;
  /** A fresh database URL for each call; drop() removes it. */
  freshDb(tag: string): Promise<{ url: string; drop(): Promise<void> }>;
}

async function ingestOnce(
  env: Env,
  ds: DataSource,
  hooks: FileIngestHooks,
): Promise<IngestFigures & { endedAt: number }> {
  const ingest = createIngestService({ ds, config: env.config, formats: [systemAlarm], hooks });
  const t0 = performance.now();
  const results = await ingest.run({ date: env.day });
  const endedAt = performance.now();
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0 && engineOf(ds) === 'mysql') {
    const [st] = (await ds.query('SHOW ENGINE INNODB STATUS')) as { Status: string }[];
    const m = /LATEST DETECTED DEADLOCK([\s\S]*?)\n-{5,}\nTRANSACTIONS/.exec(st.Status);
    console.error(m ? m[1] : st.Status);
  }
  if (results.length !== SITES || failed.length > 0)
    throw new Error(
      `ingest: ${results.length} sites, failed: ${failed.map((r) => `${r.site}: ${r.error}`).join('; ')}`,
    );
  const alarms = results.flatMap((r) => r.files).reduce((a, f) => a + f.inserted, 0);
  if (alarms !== SITES * ALARMS_PER_SITE)
    throw new Error(`ingest inserted ${alarms} alarms, expected ${SITES * ALARMS_PER_SITE}`);
  return { seconds: (endedAt - t0) / 1000, alarms, endedAt };
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

async function send(env: Env, ds: DataSource, withCharts: boolean): Promise<SendFigures> {
  const { config, smtp } = env;
  const email = createEmailChannel({
    smtpUrl: smtp.url,
    from: config.notify.email.from,
    timeoutMs: config.notify.email.timeoutMs,
    groupLimit: config.alarms.groupLimit,
    tz: config.timezone,
    log: silentLogger,
  });
  const charts = createNoticeCharts({ ds, lang: config.charts.lang });
  const renderer = env.renderer;
  const dispatcher = createDispatcher({
    ds,
    channels: createRegistry('notification channel', [email]),
    log: silentLogger,
    owner: 'bench',
    ...config.notify,
    chartFor: withCharts ? (n: Notice) => charts.chartFor(n) : async () => null,
    renderChart: withCharts && renderer ? (o) => renderer.render(o) : null,
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
        `send: dispatcher ${JSON.stringify(r)}, ${n} rows sent, SMTP got ${smtp.received.length} mails for ${distinct} addresses; expected ${EXPECTED_EMAILS}`,
      );
    return { seconds, sent: r.sent, mb: smtp.bytes / 1e6 };
  } finally {
    await email.close?.();
  }
}

async function oneRun(env: Env, label: string, run: number): Promise<RunFigures> {
  const { config } = env;
  const baseline = await withFreshDb(env, `${label}_b${run}`, (ds) => ingestOnce(env, ds, {}));
  return withFreshDb(env, `${label}_o${run}`, async (ds) => {
    const recipients: RecipientConfig = {
      email: true,
      // Room rows are produced as with the bot running; nothing in this bench sends them.
      wechat: true,
      wecomRobots: [{ name: ROBOT, sites: ['*'] }],
    };
    const notifier = createAlarmNotifier({
      dict: loadAlarmDict(config.alarms.dictPath),
      recipients,
      defaultTz: config.timezone,
    });
    let hookMs = 0;
    let hookCalls = 0;
    const hooks: FileIngestHooks = {
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
    const withOutbox = await ingestOnce(env, ds, hooks);
    // The notices commit in the ingest's own transactions: by the time it resolves, all are there.
    const [{ n }] = (await ds.query('SELECT COUNT(*) AS n FROM outbox')) as {
      n: number | string;
    }[];
    const outboxAfterMs = performance.now() - withOutbox.endedAt;
    const messages = Number(n);
    if (messages !== EXPECTED_MESSAGES)
      throw new Error(
        `outbox holds ${messages} rows right after ingest, expected ${EXPECTED_MESSAGES}`,
      );

    const [{ pairs }] = (await ds.query(
      'SELECT COUNT(*) AS pairs FROM (SELECT DISTINCT site_id, channel, recipient FROM outbox) d',
    )) as { pairs: number | string }[];
    const channels = (await ds.query(
      'SELECT channel, COUNT(*) AS n FROM outbox GROUP BY channel ORDER BY channel',
    )) as { channel: string; n: number | string }[];
    const byChannel = Object.fromEntries(channels.map((c) => [c.channel, Number(c.n)]));
    // Every message must carry all 50 of its site's alarms, none left over.
    const payloads = (await ds.query('SELECT payload FROM outbox')) as { payload: string }[];
    const partial = payloads.filter((p) => {
      const notice = JSON.parse(p.payload) as { items: unknown[]; more: number };
      return notice.items.length + notice.more !== ALARMS_PER_SITE;
    }).length;
    if (partial > 0) throw new Error(`${partial} messages do not list their site's 50 alarms`);

    // Only the email rows are sent here: the others are parked out of the dispatcher's reach.
    await ds.query("UPDATE outbox SET next_try_at = ? WHERE channel <> 'email'", [
      Date.now() + 365 * 86_400_000,
    ]);
    const sendPlain = await send(env, ds, false);
    let sendCharts: SendFigures | null = null;
    if (env.renderer) {
      await ds.query(
        "UPDATE outbox SET status = 'pending', sent_at = NULL, attempts = 0, next_try_at = ? WHERE channel = 'email'",
        [Date.now()],
      );
      sendCharts = await send(env, ds, true);
    }
    return {
      baseline,
      withOutbox,
      hookSeconds: hookMs / 1000,
      hookCalls,
      outboxAfterMs,
      messages,
      perSiteRecipient: messages / Number(pairs),
      byChannel,
      sendPlain,
      sendCharts,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  const config = loadConfig({ env: {}, overrides: { log: { level: 'silent' } } });
  const day = dayKey(Date.now(), config.timezone);
  console.log('Sitewatch alarm delivery benchmark');
  console.log(
    `  machine : ${cpus()[0]?.model.trim()}, ${availableParallelism()} cores; node ${process.version}`,
  );
  console.log(
    `  data    : ${SITES} sites × ${ALARMS_PER_SITE} open alarms (${SITES * ALARMS_PER_SITE} alarms) in today's system_alarm file (${day}), served over loopback HTTP;`,
  );
  console.log(
    `            per site ${MANAGERS_PER_SITE} managers with email, 1 subscribed room, 1 WeCom robot for all sites -> ${EXPECTED_MESSAGES} messages ideal`,
  );
  console.log(
    `  settings: ingest.concurrency ${config.ingest.concurrency}, notify.concurrency ${config.notify.concurrency}, notify.batch ${config.notify.batch}; ${RUNS} runs per engine, medians`,
  );

  const tmp = mkdtempSync(join(tmpdir(), 'sw-bench-alarms-'));
  const site = await startSiteServer(alarmFiles(day));
  const smtp = await startSmtpSink();
  const renderer = createChartRenderer({ ...config.charts, log: silentLogger });
  const p = parseDbUrl(testMysqlUrl());
  const admin = await createConnection({
    host: p.host,
    port: p.port,
    user: p.user,
    password: p.password,
  });
  const prefix = `sw_bench_alarms_${randomBytes(3).toString('hex')}`;
  const results: Record<string, RunFigures[]> = {};
  try {
    const engines: [string, Env['freshDb']][] = [
      [
        'sqlite',
        async (tag) => {
          const file = join(tmp, `${tag}.sqlite`);
          return {
            url: `sqlite:${file}`,
            drop: async () => {
              for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
            },
          };
        },
      ],
      [
        'mariadb',
        async (tag) => {
          const name = `${prefix}_${tag}`;
          await admin.query(
            `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
          );
          return {
            url: Object.assign(new URL(testMysqlUrl()), { pathname: `/${name}` }).toString(),
            drop: async () => {
              await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
            },
          };
        },
      ],
    ];
    for (const [label, freshDb] of engines.filter(([l]) => !process.argv[3] || l === process.argv[3])) {
      const env: Env = { config, day, siteUrl: site.url, smtp, renderer, freshDb };
      results[label] = [];
      for (let run = 1; run <= RUNS; run++) {
        const r = await oneRun(env, label, run);
        results[label].push(r);
        console.log(
          `  ${label.padEnd(7)} run ${run}: ingest ${r.baseline.seconds.toFixed(2)} s bare / ${r.withOutbox.seconds.toFixed(2)} s with outbox` +
            ` (hook ${r.hookSeconds.toFixed(2)} s in ${r.hookCalls} calls); outbox complete +${r.outboxAfterMs.toFixed(1)} ms, ${r.messages} messages;` +
            ` ${r.sendPlain.sent} emails in ${r.sendPlain.seconds.toFixed(2)} s` +
            (r.sendCharts ? `, with charts ${r.sendCharts.seconds.toFixed(2)} s` : ''),
        );
      }
    }
  } finally {
    await renderer.close();
    await smtp.close();
    await new Promise<void>((r) => site.server.close(() => r()));
    await admin.end();
    rmSync(tmp, { recursive: true, force: true });
  }

  const m = (label: string, f: (r: RunFigures) => number) => median(results[label].map(f));
  const labels = Object.keys(results);
  console.log('');
  console.log(`Ingest and outbox (median of ${RUNS})`);
  console.log(
    table([
      [
        'engine',
        'alarms',
        'ingest bare s',
        'ingest + outbox s',
        'ratio',
        'in hook s',
        'outbox complete after ingest',
        'messages',
        'email/wechat/wecom',
        'per site-recipient',
      ],
      ...labels.map((l) => {
        const last = results[l][RUNS - 1];
        return [
          l,
          String(last.withOutbox.alarms),
          m(l, (r) => r.baseline.seconds).toFixed(2),
          m(l, (r) => r.withOutbox.seconds).toFixed(2),
          (m(l, (r) => r.withOutbox.seconds) / m(l, (r) => r.baseline.seconds)).toFixed(2),
          m(l, (r) => r.hookSeconds).toFixed(2),
          `${m(l, (r) => r.outboxAfterMs).toFixed(1)} ms`,
          String(m(l, (r) => r.messages)),
          ['email', 'wechat', 'wecom'].map((c) => last.byChannel[c] ?? 0).join('/'),
          m(l, (r) => r.perSiteRecipient).toFixed(2),
        ];
      }),
    ]),
  );
  console.log('');
  console.log(
    `Sending the ${EXPECTED_EMAILS} emails to a loopback SMTP server (dispatcher, concurrency ${config.notify.concurrency}; median of ${RUNS})`,
  );
  const sendRow = (l: string, what: string, f: (r: RunFigures) => SendFigures | null) => {
    const secs = m(l, (r) => f(r)?.seconds ?? NaN);
    const mb = m(l, (r) => f(r)?.mb ?? NaN);
    return [`${l} ${what}`, secs.toFixed(2), (EXPECTED_EMAILS / secs).toFixed(1), mb.toFixed(1)];
  };
  console.log(
    table([
      ['engine', 'all sent s', 'emails/s', 'MB received'],
      ...labels.flatMap((l) => [
        sendRow(l, 'no charts', (r) => r.sendPlain),
        sendRow(l, 'with chart PNG', (r) => r.sendCharts),
      ]),
    ]),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
