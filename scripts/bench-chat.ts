// npm run bench:chat: the bot through WeCom's long connection (official SDK, fake server on loopback) — reply latency, a burst from 20 users, a hub takeover after SIGKILL — against the command router in the same run.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { createCommandRegistry } from '../commands/registry';
import { type CommandRouter, createCommandRouter } from '../commands/router';
import type { Caller, Reply } from '../commands/types';
import { loadConfig, processEnv, testMysqlUrl } from '../config/schema';
import { JobLease } from '../entities';
import { bindContact } from '../src/admin/chat-bindings';
import { insertIgnore } from '../src/db/bulk';
import { engineOf, parseDbUrl } from '../src/db/data-source';
import { SAMPLE_KINDS, SAMPLE_TABLES, type SampleKind } from '../src/db/tables';
import { withTransaction } from '../src/db/tx';
import { ALARM_COLUMNS } from '../src/ingest/formats/system-alarm';
import { silentLogger } from '../src/log';
import { type App, createApp } from '../src/main';
import { WECOM, WECOM_LEASE, type WecomBot } from '../src/transports/wecom/wecom';
import { type FakeWeCom, startFakeWeCom } from '../test/helpers/fake-wecom';
import { median, ms, pct, prng, ratio, table } from './bench-stats';

const SITES = 50;
const SERVERS_PER_SITE = 10;
const STEP = 300_000;
const DAY = 86_400_000;
const WARMUP = 5;
const RUNS = 60;
const USERS = 20;
const PER_USER = 3;
const BURSTS = 5;
const LEASE_MS = 3000;
const TAKEOVERS = 5;
const ADMIN_USERID = 'BenchAdmin';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const ROOT = join(__dirname, '..', '..');

/** Sub-millisecond wall clock, shared with the fake server's frame timestamps. */
const clock = () => performance.timeOrigin + performance.now();

const siteCode = (i: number) => `S${String(i + 1).padStart(3, '0')}`;

// ---------------------------------------------------------------------------------------------
// Seeding, as bench-bot does it (bulk multi-row inserts), at 50 sites × 10 servers × one day

interface Seeded {
  rows: number;
  seconds: number;
  admin: Caller;
  users: { userid: string; caller: Caller }[];
}

async function seed(ds: DataSource): Promise<Seeded> {
  const t0 = performance.now();
  const engine = engineOf(ds);
  const now = Math.floor(Date.now() / STEP) * STEP;
  const r = prng(42);
  await withTransaction(ds, (em) =>
    insertIgnore(
      em,
      engine,
      'site',
      [
        'code',
        'name',
        'base_url',
        'encoding',
        'timezone',
        'enabled',
        'auth_token',
        'created_at',
        'last_ingest_at',
        'last_success_at',
        'last_error',
        'last_error_at',
        'last_counts',
      ],
      Array.from({ length: SITES }, (_, i) => [
        siteCode(i),
        `局点${i + 1}`,
        `http://127.0.0.1:1/${siteCode(i)}`,
        'auto',
        null,
        1,
        null,
        now,
        now - 60_000,
        now - 60_000,
        null,
        null,
        null,
      ]),
    ),
  );
  const sites = (await ds.query('SELECT id, code FROM site ORDER BY id')) as {
    id: number;
    code: string;
  }[];
  await withTransaction(ds, (em) =>
    insertIgnore(
      em,
      engine,
      'server',
      [
        'site_id',
        'name',
        'ip',
        'os_name',
        'os_version',
        'uptime_seconds',
        'uptime_at',
        'first_seen_at',
        'last_seen_at',
      ],
      sites.flatMap((s) =>
        Array.from({ length: SERVERS_PER_SITE }, (_, k) => [
          s.id,
          `${s.code}-app${String(k + 1).padStart(2, '0')}`,
          `10.${s.id % 250}.${k}.${s.id % 200}`,
          'CentOS Linux',
          '3.10.0',
          86400,
          now,
          now - DAY,
          now - (k === 9 ? 3_600_000 : 60_000),
        ]),
      ),
    ),
  );
  const servers = (await ds.query('SELECT id FROM server ORDER BY id')) as { id: number }[];
  const start = now - DAY;
  const GiB = 2 ** 30;
  let rows = 0;
  for (let i = 0; i < servers.length; i += 50) {
    const batch: Record<SampleKind, unknown[][]> = { cpu: [], mem: [], disk: [] };
    for (const { id } of servers.slice(i, i + 50)) {
      for (let t = start; t <= now; t += STEP) {
        const u = 10 + r() * 40;
        batch.cpu.push([id, t, u, 5, 1, 94 - u]);
        batch.mem.push([id, t, 9 * GiB + Math.round(r() * GiB), 2 * GiB, 3 * GiB, 16 * GiB]);
        batch.disk.push([id, '/', t, 20 * GiB + (t - start) / 1000, 50 * GiB]);
      }
    }
    await withTransaction(ds, async (em) => {
      for (const k of SAMPLE_KINDS) {
        const { table: name, columns } = SAMPLE_TABLES[k];
        rows += await insertIgnore(em, engine, name, [...columns], batch[k]);
      }
    });
  }
  const days = Array.from({ length: 30 }, (_, d) =>
    new Date(now - (d + 1) * DAY).toISOString().slice(0, 10),
  );
  await withTransaction(ds, async (em) => {
    await insertIgnore(
      em,
      engine,
      'business_daily',
      [
        'site_id',
        'stat_date',
        'sub_users',
        'unsub_users',
        'total_users',
        'call_times',
        'show_times',
        'mo_times',
        'mt_times',
        'recorded_at',
        'updated_at',
      ],
      sites.flatMap((s) =>
        days.map((d) => [s.id, d, 900, 300, 1_000_000, 2e6, 1.5e6, 3e5, 4e5, now, now]),
      ),
    );
    await insertIgnore(
      em,
      engine,
      'alarm',
      ALARM_COLUMNS,
      sites.flatMap((s) =>
        Array.from({ length: 20 }, (_, k) => [
          s.id,
          k % 2 ? 'CPU_HIGH' : 'PROCESS_DOWN',
          `${s.code}-app0${(k % 9) + 1}`,
          'CPU使用率超过90%',
          now - k * 3_600_000,
          k % 3 ? null : now - k * 1_800_000,
          k % 3 ? 'active' : 'resolved',
          now,
          now,
          now,
        ]),
      ),
    );
    // Nobody logs in: a password hash no password matches.
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
      ['bench-admin', ...Array.from({ length: USERS }, (_, u) => `bench-u${u + 1}`)].map(
        (login) => [login, login, null, 'admin', '!', 0, 0, 0, now],
      ),
    );
  });
  const users = (await ds.query(
    `SELECT id, login FROM ${ds.driver.escape('user')} ORDER BY id`,
  )) as { id: number | string; login: string }[];
  const callers = users.map((u): Caller => ({
    userId: Number(u.id),
    login: u.login,
    displayName: u.login,
    role: 'admin',
  }));
  const bound: Seeded['users'] = [];
  for (const c of callers) {
    const userid = c.login === 'bench-admin' ? ADMIN_USERID : `wx${c.login.slice(6)}`;
    await bindContact(ds, c.userId, { transport: WECOM, id: userid, name: userid });
    if (c.login !== 'bench-admin') bound.push({ userid, caller: c });
  }
  return {
    rows,
    seconds: (performance.now() - t0) / 1000,
    admin: callers.find((c) => c.login === 'bench-admin')!,
    users: bound,
  };
}

// ---------------------------------------------------------------------------------------------
// The fake server's view: when each callback's finished stream frame arrived

interface Finished {
  at: number;
  /** Position among every client frame the server received. */
  index: number;
  content: string;
  images: number;
  png: boolean;
}

interface StreamBody {
  stream?: { finish?: boolean; content?: string; msg_item?: { image: { base64: string } }[] };
}

function finishedFrames(server: FakeWeCom, reqs: Set<string>): Map<string, Finished[]> {
  const out = new Map<string, Finished[]>();
  server.frames.forEach((f, index) => {
    const frame = f.frame;
    if (frame?.cmd !== 'aibot_respond_msg') return;
    const req = (frame.headers as { req_id?: string } | undefined)?.req_id;
    const stream = (frame.body as StreamBody | undefined)?.stream;
    if (!req || !reqs.has(req) || stream?.finish !== true) return;
    const items = stream.msg_item ?? [];
    const list = out.get(req) ?? [];
    list.push({
      at: f.at,
      index,
      content: stream.content ?? '',
      images: items.length,
      png:
        items.length > 0 &&
        items.every((i) =>
          Buffer.from(i.image.base64, 'base64').subarray(0, 8).equals(PNG_SIGNATURE),
        ),
    });
    out.set(req, list);
  });
  return out;
}

async function waitAnswered(server: FakeWeCom, reqs: string[], what: string): Promise<void> {
  await server.waitFor(
    () => reqs.every((q) => server.replies(q).some((r) => r.finish === true)),
    60_000,
    what,
  );
}

const hasPng = (replies: Reply[]) =>
  replies.some((r) => r.kind === 'image' && r.png.subarray(0, 8).equals(PNG_SIGNATURE));

// ---------------------------------------------------------------------------------------------
// 1. Reply latency, 2. a burst

interface LatencyRow {
  name: string;
  router: number[];
  wecom: number[];
}

async function measureLatency(
  server: FakeWeCom,
  router: CommandRouter,
  admin: Caller,
): Promise<LatencyRow[]> {
  const r = prng(9);
  const cases: { name: string; make: () => string; chart: boolean }[] = [
    { name: `局点 (${SITES} sites)`, make: () => '局点', chart: false },
    {
      name: '状态 <site> + PNG',
      make: () => `状态 ${siteCode(Math.floor(r() * SITES))}`,
      chart: true,
    },
  ];
  const rows: LatencyRow[] = [];
  for (const c of cases) {
    const row: LatencyRow = { name: c.name, router: [], wecom: [] };
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const msg = c.make();
      // Alternate which path goes first, so neither always finds the other's pages cached.
      const order = i % 2 === 0 ? ['router', 'wecom'] : ['wecom', 'router'];
      for (const path of order) {
        if (path === 'router') {
          const t0 = clock();
          const replies = await router.handle(msg, admin, null);
          const took = clock() - t0;
          if (c.chart && !hasPng(replies)) throw new Error(`router: "${msg}" had no PNG`);
          if (i >= WARMUP) row.router.push(took);
        } else {
          const t0 = clock();
          const req = server.text({ from: ADMIN_USERID, content: msg });
          await waitAnswered(server, [req], `the answer to "${msg}"`);
          const fin = finishedFrames(server, new Set([req])).get(req) ?? [];
          if (fin.length !== 1) throw new Error(`"${msg}": ${fin.length} finished frames`);
          if (c.chart && !(fin[0].images === 1 && fin[0].png))
            throw new Error(`WeCom: "${msg}" had no PNG in its finished frame`);
          if (i >= WARMUP) row.wecom.push(fin[0].at - t0);
        }
      }
    }
    rows.push(row);
  }
  return rows;
}

interface BurstRound {
  wecomMs: number;
  routerMs: number;
  finishedOnce: number;
  inOrder: number;
  sameAsRouter: number;
}

async function measureBurst(
  server: FakeWeCom,
  router: CommandRouter,
  users: Seeded['users'],
): Promise<BurstRound[]> {
  const msg = '局点';
  const rounds: BurstRound[] = [];
  for (let b = 0; b < BURSTS; b++) {
    // Baseline: the same 60 messages, 20 users at once, each user's three one after another as the transport does.
    const expected = new Map<string, string>();
    const b0 = clock();
    await Promise.all(
      users.map(async (u) => {
        for (let k = 0; k < PER_USER; k++) {
          const replies = await router.handle(msg, u.caller, null);
          expected.set(
            u.userid,
            replies
              .filter((x) => x.kind === 'text')
              .map((x) => x.text)
              .join('\n\n'),
          );
        }
      }),
    );
    const routerMs = clock() - b0;

    const sent = new Map<string, string[]>(users.map((u) => [u.userid, []]));
    const t0 = clock();
    // Every user sends three at once: the messages interleave as they would arrive.
    for (let k = 0; k < PER_USER; k++)
      for (const u of users)
        sent.get(u.userid)!.push(server.text({ from: u.userid, content: msg }));
    const all = [...sent.values()].flat();
    await waitAnswered(server, all, 'the burst');
    // Frames already on the wire (a second finished frame would be a bug) get a moment to land.
    await new Promise((r) => setTimeout(r, 50));
    const fin = finishedFrames(server, new Set(all));
    const wecomMs = Math.max(...all.map((q) => fin.get(q)![0].at)) - t0;
    let finishedOnce = 0;
    let inOrder = 0;
    let sameAsRouter = 0;
    for (const [userid, reqs] of sent) {
      const frames = reqs.map((q) => fin.get(q) ?? []);
      finishedOnce += frames.filter((f) => f.length === 1).length;
      sameAsRouter += frames.filter((f) => f[0]?.content === expected.get(userid)).length;
      const idx = frames.map((f) => f[0]?.index ?? -1);
      if (idx.every((x, i) => x >= 0 && (i === 0 || x > idx[i - 1]))) inOrder++;
    }
    rounds.push({ wecomMs, routerMs, finishedOnce, inOrder, sameAsRouter });
  }
  return rounds;
}

// ---------------------------------------------------------------------------------------------
// 3. Takeover: hub A in its own process holds the connection, hub B here stands by; A is killed

interface Takeover {
  /** How long A's lease still ran when A was killed. */
  leftMs: number;
  tookMs: number;
}

function hubSettings(url: string, server: FakeWeCom, hubId: string) {
  return {
    db: { url },
    timezone: 'Asia/Shanghai',
    cluster: { hubId },
    bot: { enabled: false },
    web: { enabled: false },
    selfAlarms: { enabled: false },
    wecomBot: {
      enabled: true,
      botId: server.botId,
      secret: server.secret,
      wsUrl: server.url,
      leaseMs: LEASE_MS,
      sendIntervalMs: 0,
    },
    log: { level: 'silent' },
  };
}

async function startHubA(
  file: string,
  server: FakeWeCom,
): Promise<{ child: ChildProcess; readyMs: number }> {
  const t0 = Date.now();
  const child = spawn(process.execPath, [join(__dirname, 'bench-chat-hub.js')], {
    cwd: ROOT,
    env: { PATH: processEnv().PATH ?? '', SITEWATCH_CONFIG: file },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d) => (err += String(d)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub A did not start: ${err}`)), 30_000);
    child.stdout?.on('data', (d) => {
      out += String(d);
      if (out.includes('ready ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub A exited (${code}): ${err}`));
    });
  });
  // Hub A may first stand by for a lease the previous round's hub B left behind.
  await server.waitFor(
    () => server.authenticatedConnections().length === 1,
    3 * LEASE_MS,
    'hub A connected',
  );
  return { child, readyMs: Date.now() - t0 };
}

async function measureTakeover(
  url: string,
  server: FakeWeCom,
  dir: string,
): Promise<{ rounds: Takeover[]; startMs: number[] }> {
  const file = join(dir, 'hub-a.json');
  writeFileSync(file, JSON.stringify(hubSettings(url, server, 'hub-a')));
  const rounds: Takeover[] = [];
  const startMs: number[] = [];
  for (let i = 0; i < TAKEOVERS; i++) {
    let child: ChildProcess | null = null;
    let hubB: App | null = null;
    try {
      const a = await startHubA(file, server);
      child = a.child;
      startMs.push(a.readyMs);
      // B's standby polls (every leaseMs/4) start at a random phase to A's renewals (every leaseMs/3):
      // otherwise B's start-up time fixes that phase and every round measures the same case.
      await new Promise((r) => setTimeout(r, Math.random() * (LEASE_MS / 4)));
      hubB = await createApp(
        loadConfig({ env: {}, overrides: hubSettings(url, server, 'hub-b') }),
        silentLogger,
        { schedule: false },
      );
      await hubB.start();
      const wecomB = hubB.transports.find((t) => t.name === WECOM) as WecomBot;
      await server.waitFor(() => wecomB.health().state === 'standby', 10_000, 'hub B standing by');
      if (wecomB.health().holder !== 'hub-a')
        throw new Error(`hub B sees ${wecomB.health().holder} holding the connection`);
      let authAt = 0;
      wecomB.client.once('authenticated', () => (authAt = Date.now()));
      // A random moment, as a crash would pick: over leaseMs, where both periods repeat together.
      await new Promise((r) => setTimeout(r, Math.random() * LEASE_MS));
      const killedAt = Date.now();
      child.kill('SIGKILL');
      child = null;
      const lease = await hubB.ds.getRepository(JobLease).findOne({ where: { name: WECOM_LEASE } });
      await server.waitFor(() => authAt > 0, 3 * LEASE_MS + 10_000, 'hub B took over');
      rounds.push({ leftMs: (lease?.expiresAt ?? killedAt) - killedAt, tookMs: authAt - killedAt });
      // Hub B answers on the new connection.
      const req = server.text({ from: ADMIN_USERID, content: '局点' });
      await waitAnswered(server, [req], 'the answer after the takeover');
    } finally {
      child?.kill('SIGKILL');
      await hubB?.stop();
    }
  }
  return { rounds, startMs };
}

// ---------------------------------------------------------------------------------------------

interface EngineFigures {
  label: string;
  latency: LatencyRow[];
  bursts: BurstRound[];
  takeovers: Takeover[];
}

async function runEngine(label: string, url: string, dir: string): Promise<EngineFigures> {
  const server = await startFakeWeCom({ now: clock });
  let app: App | null = null;
  try {
    const config = loadConfig({ env: {}, overrides: hubSettings(url, server, 'bench-hub') });
    app = await createApp(config, silentLogger, { schedule: false });
    const s = await seed(app.ds);
    console.log(
      `\n  ${label}: seeded ${s.rows.toLocaleString('en')} sample rows (${SITES} sites × ${SERVERS_PER_SITE} servers × 1 day), ${USERS + 1} bound WeCom users, in ${s.seconds.toFixed(1)} s`,
    );
    await app.start();
    const wecom = app.transports.find((t) => t.name === WECOM)!;
    await server.waitFor(() => wecom.health().state === 'authenticated', 10_000, 'connected');
    // The baseline: the hub's own command set, database and render pool, without the transport.
    const render = app.renderer;
    const router = createCommandRouter(createCommandRegistry(), {
      ds: app.ds,
      config,
      log: silentLogger,
      renderChart: (o) => render.render(o),
      now: Date.now,
    });

    const latency = await measureLatency(server, router, s.admin);
    console.log(
      `\n  ${label}: reply latency, ${RUNS} runs each after ${WARMUP} warm-ups (WeCom: callback pushed → finished stream frame at the server; router: handle() → replies)`,
    );
    console.log(
      table([
        ['command', 'router p50', 'p95', 'WeCom p50', 'p95', 'WeCom/router p50', 'p95', '+ms p50'],
        ...latency.map((l) => {
          const [r50, r95, w50, w95] = [
            pct(l.router, 50),
            pct(l.router, 95),
            pct(l.wecom, 50),
            pct(l.wecom, 95),
          ];
          return [
            l.name,
            ms(r50),
            ms(r95),
            ms(w50),
            ms(w95),
            ratio(w50, r50),
            ratio(w95, r95),
            ms(w50 - r50),
          ];
        }),
      ]),
    );

    const bursts = await measureBurst(server, router, s.users);
    const n = USERS * PER_USER;
    console.log(
      `\n  ${label}: burst — ${USERS} users × ${PER_USER} messages of 局点 at once (${n} messages), ${BURSTS} rounds; first send → last finished frame`,
    );
    const perSec = (msWall: number) => ((n / msWall) * 1000).toFixed(0);
    console.log(
      table([
        ['round', 'WeCom ms', 'WeCom msg/s', 'router ms', 'router msg/s', 'WeCom/router msg/s'],
        ...bursts.map((b, i) => [
          String(i + 1),
          ms(b.wecomMs),
          perSec(b.wecomMs),
          ms(b.routerMs),
          perSec(b.routerMs),
          ratio(b.routerMs, b.wecomMs),
        ]),
        [
          'median',
          ms(median(bursts.map((b) => b.wecomMs))),
          perSec(median(bursts.map((b) => b.wecomMs))),
          ms(median(bursts.map((b) => b.routerMs))),
          perSec(median(bursts.map((b) => b.routerMs))),
          ratio(median(bursts.map((b) => b.routerMs)), median(bursts.map((b) => b.wecomMs))),
        ],
      ]),
    );
    const sum = (f: (b: BurstRound) => number) => bursts.reduce((a, b) => a + f(b), 0);
    console.log(
      `    exactly one finished reply: ${sum((b) => b.finishedOnce)}/${n * BURSTS} messages; in sending order: ${sum((b) => b.inOrder)}/${USERS * BURSTS} users; text as the router's: ${sum((b) => b.sameAsRouter)}/${n * BURSTS}`,
    );
    await app.stop();
    app = null;

    const t = await measureTakeover(url, server, dir);
    console.log(
      `\n  ${label}: takeover — hub A (own process) SIGKILLed, hub B (this process) standing by; wecomBot.leaseMs ${LEASE_MS} (holder renews every ${LEASE_MS / 3} ms, standby polls every ${LEASE_MS / 4} ms)`,
    );
    console.log(
      table([
        [
          'round',
          "A's lease left at kill ms",
          'lease expiry → B authenticated ms',
          'kill → B authenticated ms',
          '/ leaseMs',
        ],
        ...t.rounds.map((r, i) => [
          String(i + 1),
          r.leftMs.toFixed(0),
          (r.tookMs - r.leftMs).toFixed(0),
          r.tookMs.toFixed(0),
          (r.tookMs / LEASE_MS).toFixed(2),
        ]),
        [
          'median',
          median(t.rounds.map((r) => r.leftMs)).toFixed(0),
          median(t.rounds.map((r) => r.tookMs - r.leftMs)).toFixed(0),
          median(t.rounds.map((r) => r.tookMs)).toFixed(0),
          (median(t.rounds.map((r) => r.tookMs)) / LEASE_MS).toFixed(2),
        ],
      ]),
    );
    console.log(
      `    hub A process start → connected: median ${median(t.startMs).toFixed(0)} ms; after each takeover hub B answered 局点`,
    );
    console.log(
      `    fake server problems: ${server.problems.length === 0 ? 'none' : server.problems.slice(0, 5).join('; ')}`,
    );
    return { label, latency, bursts, takeovers: t.rounds };
  } finally {
    await app?.stop();
    await server.close();
  }
}

async function mariadbAdmin() {
  const p = parseDbUrl(testMysqlUrl());
  try {
    return await createConnection({
      host: p.host,
      port: p.port,
      user: p.user,
      password: p.password,
    });
  } catch (err) {
    console.log(
      `\n  mariadb: not reachable at ${p.host}:${p.port} (${(err as Error).message}); skipped`,
    );
    return null;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log('Sitewatch chat benchmark: the bot through the WeCom long connection');
  console.log(
    `  machine : ${cpus()[0]?.model.trim()}, ${availableParallelism()} cores; node ${process.version}; load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    '  path    : fake WeCom server (test/helpers/fake-wecom.ts) ⇄ ws ⇄ @wecom/aibot-node-sdk ⇄ hub (createApp), all in this process except hub A',
  );
  const dir = mkdtempSync(join(tmpdir(), 'sw-bench-chat-'));
  const admin = await mariadbAdmin();
  const dbName = `sw_bench_chat_${randomBytes(3).toString('hex')}`;
  const figures: EngineFigures[] = [];
  try {
    const engines: [string, string][] = [['sqlite', `sqlite:${join(dir, 'chat.sqlite')}`]];
    if (admin) {
      await admin.query(
        `CREATE DATABASE \`${dbName}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
      engines.push([
        'mariadb',
        Object.assign(new URL(testMysqlUrl()), { pathname: `/${dbName}` }).toString(),
      ]);
    }
    for (const [label, url] of engines) figures.push(await runEngine(label, url, dir));
  } finally {
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('\n  summary (medians; ratios against the router in the same run)');
  console.log(
    table([
      [
        'engine',
        '局点 p50 ×',
        '状态+PNG p50 ×',
        'burst msg/s',
        'router msg/s',
        'takeover ms',
        '/ leaseMs',
      ],
      ...figures.map((f) => {
        const wall = median(f.bursts.map((b) => b.wecomMs));
        const base = median(f.bursts.map((b) => b.routerMs));
        const took = median(f.takeovers.map((t) => t.tookMs));
        return [
          f.label,
          ratio(pct(f.latency[0].wecom, 50), pct(f.latency[0].router, 50)),
          ratio(pct(f.latency[1].wecom, 50), pct(f.latency[1].router, 50)),
          ((USERS * PER_USER * 1000) / wall).toFixed(0),
          ((USERS * PER_USER * 1000) / base).toFixed(0),
          took.toFixed(0),
          (took / LEASE_MS).toFixed(2),
        ];
      }),
    ]),
  );
  console.log(
    `\n  total ${((performance.now() - started) / 1000).toFixed(0)} s; load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

main().then(
  // The SDK's and the pools' handles are closed; exit in case a library left a timer behind.
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
