// npm run bench:bot: latency of each bot command on 200 sites / 2,000 servers / 7 days of 5-minute samples.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { createCommandRegistry } from '../commands/registry';
import { createCommandRouter } from '../commands/router';
import type { Caller } from '../commands/types';
import { loadConfig, testMysqlUrl } from '../config/schema';
import { addUser } from '../src/admin/users';
import { insertIgnore } from '../src/db/bulk';
import { engineOf, migrate, openDataSource, parseDbUrl } from '../src/db/data-source';
import { SAMPLE_KINDS, SAMPLE_TABLES, type SampleKind } from '../src/db/tables';
import { withTransaction } from '../src/db/tx';
import { ALARM_COLUMNS } from '../src/ingest/formats/system-alarm';
import { silentLogger } from '../src/log';
import { createChartRenderer } from '../src/render/chart-renderer';
import { pct, prng } from './bench-stats';

const SITES = 200;
const SERVERS_PER_SITE = 10;
const DAYS = 7;
const STEP = 300_000;
const NOW = Date.UTC(2026, 10, 25, 4); // 12:00 in Asia/Shanghai
const RUNS = 40;

export async function seed(ds: DataSource): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  const engine = engineOf(ds);
  const r = prng(42);
  const siteRows = Array.from({ length: SITES }, (_, i) => {
    const code = `S${String(i + 1).padStart(3, '0')}`;
    return [
      code,
      `局点${i + 1}`,
      `http://127.0.0.1:1/${code}`,
      'auto',
      null,
      1,
      null,
      NOW,
      NOW - 60_000,
      NOW - 60_000,
      null,
      null,
      null,
    ];
  });
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
      siteRows,
    ),
  );
  const sites = (await ds.query('SELECT id, code FROM site ORDER BY id')) as {
    id: number;
    code: string;
  }[];
  const serverRows = sites.flatMap((s) =>
    Array.from({ length: SERVERS_PER_SITE }, (_, k) => [
      s.id,
      `${s.code}-app${String(k + 1).padStart(2, '0')}`,
      `10.${s.id % 250}.${k}.${s.id % 200}`,
      'CentOS Linux',
      '3.10.0',
      86400,
      NOW,
      NOW - DAYS * 86_400_000,
      NOW - (k === 9 ? 3_600_000 : 60_000),
    ]),
  );
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
      serverRows,
    ),
  );
  const servers = (await ds.query('SELECT id FROM server ORDER BY id')) as { id: number }[];
  const start = NOW - DAYS * 86_400_000;
  let rows = 0;
  const GiB = 2 ** 30;
  for (let i = 0; i < servers.length; i += 20) {
    const cpu: unknown[][] = [];
    const mem: unknown[][] = [];
    const disk: unknown[][] = [];
    for (const { id } of servers.slice(i, i + 20)) {
      for (let t = start; t <= NOW; t += STEP) {
        const u = 10 + r() * 40;
        cpu.push([id, t, u, 5, 1, 94 - u]);
        mem.push([id, t, 9 * GiB + Math.round(r() * GiB), 2 * GiB, 3 * GiB, 16 * GiB]);
        disk.push([id, '/', t, 20 * GiB + (t - start) / 1000, 50 * GiB]);
      }
    }
    const batch: Record<SampleKind, unknown[][]> = { cpu, mem, disk };
    await withTransaction(ds, async (em) => {
      for (const k of SAMPLE_KINDS) {
        const { table, columns } = SAMPLE_TABLES[k];
        rows += await insertIgnore(em, engine, table, [...columns], batch[k]);
      }
    });
  }
  const days = Array.from({ length: 30 }, (_, d) =>
    new Date(NOW - (d + 1) * 86_400_000).toISOString().slice(0, 10),
  );
  await withTransaction(ds, (em) =>
    insertIgnore(
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
        days.map((d) => [s.id, d, 900, 300, 1_000_000, 2e6, 1.5e6, 3e5, 4e5, NOW, NOW]),
      ),
    ),
  );
  await withTransaction(ds, (em) =>
    insertIgnore(
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
          NOW - k * 3_600_000,
          k % 3 ? null : NOW - k * 1_800_000,
          k % 3 ? 'active' : 'resolved',
          NOW,
          NOW,
          NOW,
        ]),
      ),
    ),
  );
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

async function measure(ds: DataSource, label: string): Promise<void> {
  const config = loadConfig({ env: {}, overrides: { log: { level: 'silent' } } });
  const renderer = createChartRenderer({
    threads: 0,
    maxQueue: 1000,
    timeoutMs: 30_000,
    fontFamily: config.charts.fontFamily,
    fontPaths: [],
  });
  const base = { ds, config, log: silentLogger, now: () => NOW };
  const textRouter = createCommandRouter(createCommandRegistry(), { ...base, renderChart: null });
  const chartRouter = createCommandRouter(createCommandRegistry(), {
    ...base,
    renderChart: (o) => renderer.render(o),
  });
  const admin = await addUser(ds, {
    login: `bench-admin-${label}`,
    password: 'benchmark-pass',
    role: 'admin',
  });
  const caller: Caller = {
    userId: admin.id,
    login: admin.login,
    displayName: admin.displayName,
    role: 'admin',
  };
  const r = prng(9);
  const site = () => `S${String(1 + Math.floor(r() * SITES)).padStart(3, '0')}`;
  const server = () =>
    `${site()}-app${String(1 + Math.floor(r() * SERVERS_PER_SITE)).padStart(2, '0')}`;
  const text: [string, () => string][] = [
    ['局点 (200 sites)', () => '局点'],
    ['状态 <site>', () => `状态 ${site()}`],
    ['昨日 <site>', () => `昨日 ${site()}`],
    ['告警 <site>', () => `告警 ${site()}`],
    ['服务器 <name>', () => `服务器 ${server()}`],
    ['报表 <site>', () => `报表 ${site()}`],
  ];
  const charts: [string, () => string][] = [
    ['状态 <site> + overview', () => `状态 ${site()}`],
    ['报表 <site> 7 + trend', () => `报表 ${site()}`],
    ['cpu <server> 24h', () => `cpu ${server()}`],
    ['服务器 <name> + 2 charts', () => `服务器 ${server()}`],
  ];
  const run = async (router: typeof textRouter, cases: [string, () => string][]) => {
    for (const [name, make] of cases) {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 3; i++) {
        const t0 = performance.now();
        const replies = await router.handle(make(), caller, null);
        if (i >= 3) times.push(performance.now() - t0);
        if (replies.length === 0) throw new Error(`${name}: no reply`);
      }
      console.log(
        `  ${label.padEnd(7)} ${name.padEnd(26)} p50 ${pct(times, 50).toFixed(1).padStart(7)} ms  p95 ${pct(times, 95).toFixed(1).padStart(7)} ms`,
      );
    }
  };
  console.log(`\n  ${label}: text replies`);
  await run(textRouter, text);
  console.log(`  ${label}: chart replies (text + PNG through the render pool)`);
  await run(chartRouter, charts);
  await renderer.close();
}

async function main(): Promise<void> {
  console.log('Sitewatch bot benchmark');
  console.log(
    `  machine : ${cpus()[0]?.model.trim()}, ${availableParallelism()} cores; node ${process.version}`,
  );
  console.log(
    `  data    : ${SITES} sites, ${SITES * SERVERS_PER_SITE} servers, ${DAYS} days of 5-minute cpu/mem/disk samples; ${RUNS} requests per command`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'sw-bench-bot-'));
  const p = parseDbUrl(testMysqlUrl());
  const dbName = `sw_bench_bot_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection({
    host: p.host,
    port: p.port,
    user: p.user,
    password: p.password,
  });
  await admin.query(`CREATE DATABASE \`${dbName}\``);
  try {
    for (const [label, url] of [
      ['sqlite', `sqlite:${join(dir, 'bot.sqlite')}`],
      ['mariadb', Object.assign(new URL(testMysqlUrl()), { pathname: `/${dbName}` }).toString()],
    ] as const) {
      const ds = await openDataSource(url);
      try {
        await migrate(ds);
        const s = await seed(ds);
        console.log(
          `\n  ${label}: seeded ${s.rows.toLocaleString('en')} sample rows in ${s.seconds.toFixed(1)} s`,
        );
        await measure(ds, label);
      } finally {
        await ds.destroy();
      }
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${dbName}\``);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Only when run as the benchmark: bench-web imports seed() from here.
if (require.main === module)
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
