// npm run bench:web: requests/s and latency of the portal's site API and 24 h metrics API under 50 connections from a second process.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { loadAlarmDict } from '../config/alarm-dict';
import { loadConfig, testMysqlUrl } from '../config/schema';
import { addUser } from '../src/admin/users';
import { migrate, openDataSource, parseDbUrl } from '../src/db/data-source';
import { silentLogger } from '../src/log';
import { requireUser } from '../src/web/guards';
import { createWebServer, SESSION_COOKIE } from '../src/web/server';
import { seed } from './bench-bot';
import type { LoadJob, LoadResult } from './bench-web-load';

const GOAL_P95_MS = 30;
const TARGETS = 40;
const PING = '/api/bench-ping';

const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    engine: { type: 'string', default: 'both' },
    /** Write a CPU profile of the portal process per measured target into this directory. */
    profile: { type: 'string' },
    /** Keep the SQLite database in this file and reuse it when it exists (skips seeding). */
    'sqlite-file': { type: 'string' },
  },
});
const SECONDS = Number(opts.seconds);
const CONNECTIONS = Number(opts.connections);

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sign in through the real login form the way a browser does; returns the session cookie. */
async function signIn(origin: string, user: string, password: string): Promise<string> {
  const cookieOf = (res: Response) => {
    const c = res.headers
      .getSetCookie()
      .map((h) => h.split(';')[0])
      .find((h) => h.startsWith(`${SESSION_COOKIE}=`));
    if (!c) throw new Error(`no session cookie from ${res.url} (${res.status})`);
    return c;
  };
  const form = await fetch(`${origin}/login`);
  const html = await form.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error('no CSRF token in the login form');
  const res = await fetch(`${origin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: cookieOf(form), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, login: user, password, next: '/' }).toString(),
  });
  if (res.status !== 303) throw new Error(`login answered ${res.status}`);
  return cookieOf(res);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The functions with the most self time in a V8 CPU profile, as "share  function  file:line". */
function topSelfTime(profile: {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}): string[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  const total = profile.timeDeltas.reduce((a, b) => a + b, 0) || 1;
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const file = f.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, '');
    const key = `${f.functionName || '(anonymous)'}  ${file}:${f.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (byNode.get(n.id) ?? 0));
  }
  return [...byFn.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
}

/** One autocannon run in the load process. */
function load(child: ReturnType<typeof fork>, job: LoadJob): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { ok: boolean; result?: LoadResult; error?: string }) => {
      child.off('exit', onExit);
      if (m.ok && m.result) resolve(m.result);
      else reject(new Error(`load process: ${m.error}`));
    };
    const onExit = (code: number | null) =>
      reject(new Error(`load process exited (${code}) during "${job.title}"`));
    child.once('message', onMessage);
    child.once('exit', onExit);
    child.send(job);
  });
}

interface Target {
  title: string;
  paths: string[];
  /** One of the two APIs the goal is about, at full load. */
  api?: boolean;
  /** Fewer connections than the load's (1: the unloaded time of one request). */
  connections?: number;
}

interface Row {
  engine: string;
  target: Target;
  r: LoadResult;
}

async function measure(ds: DataSource, engine: string): Promise<Row[]> {
  // The dataset's clock: its newest sample, so "24 h" means the last day of data.
  const now = Number(
    ((await ds.query('SELECT MAX(sampled_at) AS t FROM cpu_sample')) as { t: number | string }[])[0]
      .t,
  );
  const password = randomBytes(12).toString('hex');
  const login = `bench-web-${randomBytes(3).toString('hex')}`;
  await addUser(ds, { login, password, role: 'admin' }, now);
  const sites = (await ds.query('SELECT id, code FROM site ORDER BY id')) as {
    id: number;
    code: string;
  }[];
  const servers = (await ds.query(
    'SELECT s.code AS code, v.id AS id FROM server v JOIN site s ON s.id = v.site_id ORDER BY v.id',
  )) as { code: string; id: number }[];
  const r = prng(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const sitePaths = Array.from(
    { length: TARGETS },
    () => `/api/sites/${encodeURIComponent(pick(sites).code)}`,
  );
  const metricPaths = Array.from({ length: TARGETS }, () => {
    const s = pick(servers);
    return `/api/sites/${encodeURIComponent(s.code)}/servers/${s.id}/metrics?range=24h`;
  });

  const config = loadConfig({
    env: {},
    overrides: {
      log: { level: 'silent' },
      web: {
        enabled: true,
        host: '127.0.0.1',
        port: 0,
        sessionSecret: randomBytes(32).toString('hex'),
      },
    },
  });
  const app = await createWebServer({
    ds,
    config,
    log: silentLogger,
    now: () => now,
    dict: loadAlarmDict(config.alarms.dictPath),
  });
  // The cheapest signed-in API call: the same plugins, hooks and user check as the APIs, no data.
  app.get(PING, { preHandler: requireUser }, async (_req, reply) => {
    reply.header('cache-control', 'no-store');
    return { ok: true };
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const child = fork(join(__dirname, 'bench-web-load.js'), [], { stdio: 'inherit' });
  try {
    const cookie = await signIn(origin, login, password);
    // Every target answers 200 with what a page draws before any load is measured.
    for (const p of [sitePaths[0], metricPaths[0]]) {
      const res = await fetch(origin + p, { headers: { cookie } });
      const body = (await res.json()) as Record<string, unknown>;
      if (res.status !== 200)
        throw new Error(`${p} answered ${res.status}: ${JSON.stringify(body)}`);
    }
    const targets: Target[] = [
      { title: 'baseline: GET /static/app.css', paths: ['/static/app.css'] },
      { title: 'baseline: GET /api/bench-ping (no data)', paths: [PING] },
      { title: 'site API GET /api/sites/:code', paths: sitePaths, api: true },
      { title: 'metrics API GET …/metrics?range=24h', paths: metricPaths, api: true },
      { title: 'site API, 1 connection', paths: sitePaths, connections: 1 },
      { title: 'metrics API, 1 connection', paths: metricPaths, connections: 1 },
    ];
    const rows: Row[] = [];
    const inspector = opts.profile ? new Session() : null;
    if (inspector) {
      mkdirSync(opts.profile as string, { recursive: true });
      inspector.connect();
      await inspector.post('Profiler.enable');
    }
    for (const [n, target] of targets.entries()) {
      const { title } = target;
      const job: LoadJob = {
        title,
        origin,
        cookie,
        paths: target.paths,
        connections: target.connections ?? CONNECTIONS,
        seconds: SECONDS,
      };
      await load(child, { ...job, seconds: 2 }); // warm-up: JIT, statement caches, page cache
      await inspector?.post('Profiler.start');
      const res = await load(child, job);
      if (inspector) {
        const { profile } = await inspector.post('Profiler.stop');
        const file = join(opts.profile as string, `${engine}-${n}.cpuprofile`);
        writeFileSync(file, JSON.stringify(profile));
        console.log(`  profile of "${title}": ${file}; most self time:`);
        for (const line of topSelfTime(profile as Parameters<typeof topSelfTime>[0]))
          console.log(`    ${line}`);
      }
      rows.push({ engine, target, r: res });
      console.log(
        `  ${engine.padEnd(7)} ${title.padEnd(42)} ${res.rps.toFixed(0).padStart(6)} req/s  p50 ${res.p50.toFixed(1).padStart(6)}  p95 ${res.p95.toFixed(1).padStart(6)}  p99 ${res.p99.toFixed(1).padStart(6)} ms  (errors ${res.errors}, non-2xx ${res.non2xx}, ${(res.bytes / res.requests / 1024).toFixed(1)} KiB/resp)`,
      );
      if (res.non2xx > 0 || res.errors > 0)
        throw new Error(`${title}: ${res.non2xx} non-2xx answers, ${res.errors} errors`);
    }
    inspector?.disconnect();
    return rows;
  } finally {
    child.disconnect();
    await app.close();
  }
}

async function main(): Promise<void> {
  console.log('Sitewatch web benchmark');
  console.log(
    `  machine : ${cpus()[0]?.model.trim()}, ${availableParallelism()} cores; node ${process.version}; load generator on the same machine`,
  );
  console.log(
    `  load    : autocannon in a second process, ${CONNECTIONS} connections, ${SECONDS} s per target after a 2 s warm-up; ${TARGETS} sites / servers in rotation`,
  );
  console.log(
    '  latency : p50/p95/p99 exact over every response time (autocannon "response" events)',
  );
  const dir = mkdtempSync(join(tmpdir(), 'sw-bench-web-'));
  const p = parseDbUrl(testMysqlUrl());
  const dbName = `sw_bench_web_${randomBytes(3).toString('hex')}`;
  const sqliteFile = opts['sqlite-file'] ?? join(dir, 'web.sqlite');
  const reuse = opts['sqlite-file'] !== undefined && existsSync(sqliteFile);
  const engines = [
    ['sqlite', `sqlite:${sqliteFile}`],
    ['mariadb', Object.assign(new URL(testMysqlUrl()), { pathname: `/${dbName}` }).toString()],
  ].filter(([label]) => opts.engine === 'both' || opts.engine === label);
  const useMysql = engines.some(([label]) => label === 'mariadb');
  const admin = useMysql
    ? await createConnection({ host: p.host, port: p.port, user: p.user, password: p.password })
    : null;
  await admin?.query(`CREATE DATABASE \`${dbName}\``);
  const rows: Row[] = [];
  try {
    for (const [label, url] of engines) {
      const ds = await openDataSource(url);
      try {
        await migrate(ds);
        if (label === 'sqlite' && reuse) {
          console.log(`\n  ${label}: reusing ${sqliteFile}`);
        } else {
          const s = await seed(ds);
          console.log(
            `\n  ${label}: seeded ${s.rows.toLocaleString('en')} sample rows in ${s.seconds.toFixed(1)} s`,
          );
        }
        // Seeding leaves a large WAL; its checkpoint must not land inside a measured run.
        if (label === 'sqlite') await ds.query('PRAGMA wal_checkpoint(TRUNCATE)');
        rows.push(...(await measure(ds, label)));
      } finally {
        await ds.destroy();
      }
    }
  } finally {
    await admin?.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('\n  | engine | target | req/s | p50 ms | p95 ms | p99 ms | p95 / ping p95 |');
  console.log('  | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const base = rows.find((x) => x.engine === row.engine && x.target.paths[0] === PING);
    const ratio = base && !row.target.connections ? (row.r.p95 / base.r.p95).toFixed(1) + '×' : '–';
    console.log(
      `  | ${row.engine} | ${row.target.title} | ${row.r.rps.toFixed(0)} | ${row.r.p50.toFixed(1)} | ${row.r.p95.toFixed(1)} | ${row.r.p99.toFixed(1)} | ${ratio} |`,
    );
  }
  const apis = rows.filter((x) => x.target.api);
  const worst = apis.reduce((a, b) => (b.r.p95 > a.r.p95 ? b : a), apis[0]);
  if (worst)
    console.log(
      `\n  goal p95 ≤ ${GOAL_P95_MS} ms for both APIs at ${CONNECTIONS} connections: ${worst.r.p95 <= GOAL_P95_MS ? 'met' : 'MISSED'} (worst: ${worst.engine} ${worst.target.title}, p95 ${worst.r.p95.toFixed(1)} ms)`,
    );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
