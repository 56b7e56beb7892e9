// Ingest benchmark: one generated site day of system_info lines, ingested on SQLite and MariaDB and compared with LOAD DATA.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createConnection, type Connection } from 'mysql2/promise';
import { loadConfig, testMysqlUrl, type Config } from '../config/schema';
import { addSite } from '../src/admin/sites';
import { type Engine, migrate, openDataSource, parseDbUrl, redactUrl } from '../src/db/data-source';
import { parseSystemInfo, type SystemInfoRecord } from '../src/ingest/formats/system-info';
import { SAMPLE_TABLES, type SampleKind } from '../src/db/tables';
import { createIngestService } from '../src/ingest/ingest-service';
import { createTimeParser } from '../src/ingest/values';
import { addDays, dayKey, startOfDay } from '../src/time';

const SITE_CODE = 'BENCH01';
const SAMPLES_PER_DAY = 288;
const GOAL_SQLITE_LINES_PER_S = 200_000;
const GOAL_MYSQL_RATIO = 0.5;
const GOAL_RSS_MB = 300;

/** What a worker prints on stdout, as one JSON line. */
interface WorkerReport {
  engine: Engine;
  lines: number;
  inserted: number;
  duplicate: number;
  quarantined: number;
  seconds: number;
  linesPerSec: number;
  maxRssKb: number;
}

interface Options {
  servers: number;
  runs: number;
  profileDir: string | null;
  keep: boolean;
}

/** Settings the site is ingested with: defaults only, nothing from the environment, silent log. */
function benchConfig(url: string): Config {
  return loadConfig({ env: {}, overrides: { db: { url }, log: { level: 'silent' } } });
}

// ---------------------------------------------------------------------------------------------
// Data generation

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface ServerProfile {
  name: string;
  ip: string;
  second: number;
  cpuBase: number;
  cpuSwing: number;
  memTotal: number;
  memBase: number;
  rootTotal: number;
  rootUsed: number;
  homeTotal: number;
  homeUsed: number;
  homeGrowth: number;
  os: [string, string];
  bootUptime: number;
  rebootAtSlot: number;
}

const ROLES = ['web', 'app', 'db', 'cache', 'mq', 'gw'];
const OSES: [string, string][] = [
  ['CentOS Linux', '3.10.0-1160'],
  ['CentOS Linux', '3.10.0-1127'],
  ['Red Hat Enterprise Linux', '4.18.0-513'],
  ['Kylin Linux Advanced Server', '4.19.90-52'],
];

function profiles(n: number, rand: () => number): ServerProfile[] {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  return Array.from({ length: n }, (_, i) => {
    const rootTotal = pick([51_200, 102_400]);
    const homeTotal = pick([204_800, 512_000, 1_024_000, 2_048_000]);
    return {
      name: `${ROLES[i % ROLES.length]}-${String(i + 1).padStart(4, '0')}`,
      ip: `10.${16 + Math.floor(i / 250)}.${(i % 250) + 1}.${10 + (i % 7)}`,
      second: Math.floor(rand() * 60),
      cpuBase: 3 + rand() * 35,
      cpuSwing: rand() * 30,
      memTotal: pick([8_192, 16_384, 32_768, 65_536, 131_072]),
      memBase: 0.25 + rand() * 0.55,
      rootTotal,
      rootUsed: Math.floor(rootTotal * (0.2 + rand() * 0.5)),
      homeTotal,
      homeUsed: Math.floor(homeTotal * (0.1 + rand() * 0.6)),
      homeGrowth: rand() * 40,
      os: pick(OSES),
      bootUptime: Math.floor(86_400 + rand() * 400 * 86_400),
      // About one server in 200 reboots during the day.
      rebootAtSlot: rand() < 0.005 ? Math.floor(rand() * SAMPLES_PER_DAY) : -1,
    };
  });
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

async function write(out: WriteStream, s: string): Promise<void> {
  if (!out.write(s)) await once(out, 'drain');
}

async function closeStream(out: WriteStream): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/** Write `<dir>/sys_monitor/system_info_<day>.txt`, one slot's lines at a time; returns lines and bytes. */
async function generateDay(
  dir: string,
  day: string,
  servers: number,
): Promise<{ file: string; lines: number; bytes: number }> {
  const rand = prng(20251126);
  const list = profiles(servers, rand);
  await mkdir(join(dir, 'sys_monitor'), { recursive: true });
  const file = join(dir, 'sys_monitor', `system_info_${day}.txt`);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const date = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
  let lines = 0;
  for (let slot = 0; slot < SAMPLES_PER_DAY; slot++) {
    const hour = Math.floor(slot / 12);
    const minute = (slot % 12) * 5;
    // Office-hours load curve: low at night, peaks mid-afternoon.
    const diurnal = 0.5 - 0.5 * Math.cos(((hour + minute / 60 - 3) / 24) * 2 * Math.PI);
    const parts: string[] = [];
    for (const s of list) {
      const at = `${date} ${pad2(hour)}:${pad2(minute)}:${pad2(s.second)}`;
      const head = `${s.name}|${s.ip}|${SITE_CODE}`;
      const burst = rand() < 0.01 ? 30 + rand() * 40 : 0;
      const busy = Math.min(97, s.cpuBase + s.cpuSwing * diurnal + (rand() - 0.5) * 6 + burst);
      const user = busy * (0.65 + rand() * 0.15);
      const sys = busy * (0.15 + rand() * 0.1);
      const io = Math.max(0, busy - user - sys + (rand() < 0.02 ? rand() * 10 : 0));
      const idle = Math.max(0, 100 - user - sys - io);
      parts.push(
        `${head}|cpu|${user.toFixed(2)}|${sys.toFixed(2)}|${io.toFixed(2)}|${idle.toFixed(2)}|${at}`,
      );
      const used = Math.floor(
        s.memTotal * Math.min(0.95, s.memBase + 0.1 * diurnal + (rand() - 0.5) * 0.04),
      );
      const buffer = Math.floor((s.memTotal - used) * (0.2 + rand() * 0.3));
      parts.push(`${head}|mem|${used}|${s.memTotal - used - buffer}|${buffer}|${s.memTotal}|${at}`);
      s.rootUsed = Math.min(s.rootTotal, s.rootUsed + Math.floor(rand() * 3));
      s.homeUsed = Math.min(s.homeTotal, s.homeUsed + Math.floor(rand() * s.homeGrowth));
      parts.push(`${head}|disk|/|${s.rootUsed}|${s.rootTotal}|${at}`);
      parts.push(`${head}|disk|/home|${s.homeUsed}|${s.homeTotal}|${at}`);
      lines += 4;
      if (slot % 12 === 0) {
        const sinceMidnight = hour * 3600 + s.second;
        const uptime =
          s.rebootAtSlot >= 0 && slot >= s.rebootAtSlot
            ? (slot - s.rebootAtSlot) * 300 + 95
            : s.bootUptime + sinceMidnight;
        parts.push(`${head}|os|${s.os[0]}|${s.os[1]}|${at}`);
        parts.push(`${head}|uptime|${uptime}|${at}`);
        lines += 2;
      }
    }
    parts.push('');
    await write(out, parts.join('\n'));
  }
  await closeStream(out);
  return { file, lines, bytes: (await stat(file)).size };
}

// ---------------------------------------------------------------------------------------------
// Worker: one ingest in its own process, so that its peak RSS is its own.

async function worker(engine: Engine, url: string, dir: string, day: string): Promise<void> {
  const config = benchConfig(url);
  const ds = await openDataSource(url);
  try {
    await migrate(ds);
    await addSite(ds, {
      code: SITE_CODE,
      name: 'Benchmark site',
      baseUrl: pathToFileURL(dir).href,
    });
    const t0 = process.hrtime.bigint();
    // Ingest alone is measured: alarm changes go nowhere (bench:alarms measures the notifier).
    const results = await createIngestService({
      ds,
      config,
      hooks: { onAlarmChanges: async () => undefined },
    }).run({ date: day });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0)
      throw new Error(`ingest failed: ${failed.map((r) => r.error).join('; ')}`);
    const files = results.flatMap((r) => r.files);
    const sum = (k: 'lines' | 'inserted' | 'duplicate' | 'quarantined') =>
      files.reduce((a, f) => a + f[k], 0);
    const lines = sum('lines');
    const report: WorkerReport = {
      engine,
      lines,
      inserted: sum('inserted'),
      duplicate: sum('duplicate'),
      quarantined: sum('quarantined'),
      seconds,
      linesPerSec: lines / seconds,
      maxRssKb: process.resourceUsage().maxRSS,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await ds.destroy();
  }
}

/** The worker running now, stopped if the benchmark is interrupted. */
let activeChild: ChildProcess | null = null;

function runWorker(
  opts: Options,
  engine: Engine,
  url: string,
  dir: string,
  day: string,
): Promise<WorkerReport> {
  const nodeArgs = opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, __filename, '--worker', engine, url, dir, day],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  activeChild = child;
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      activeChild = null;
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(
          new Error(`${engine} worker exited with ${signal ?? code}: ${err.trim() || out.trim()}`),
        );
        return;
      }
      try {
        resolve(JSON.parse(last) as WorkerReport);
      } catch {
        reject(new Error(`${engine} worker printed no report: ${out.trim()} ${err.trim()}`));
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// MariaDB helpers

function mysqlBase() {
  const base = testMysqlUrl();
  const p = parseDbUrl(base);
  if (p.engine !== 'mysql') throw new Error(`test MySQL URL ${redactUrl(base)} is not a MySQL URL`);
  return {
    base,
    connect: (database?: string): Promise<Connection> =>
      createConnection({
        host: p.host,
        port: p.port,
        user: p.user,
        password: p.password,
        database,
      }),
    urlFor: (database: string) => {
      const u = new URL(base);
      u.pathname = `/${database}`;
      return u.toString();
    },
  };
}

async function recreateDatabase(admin: Connection, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}

// ---------------------------------------------------------------------------------------------
// LOAD DATA baseline

/**
 * Parse the generated file with the ingest's own parser and write cpu, mem and disk rows as TSV;
 * server ids are 1.. in order of first appearance, as the ingest registers them.
 */
async function writeTsv(
  file: string,
  dir: string,
  config: Config,
): Promise<Record<SampleKind, { path: string; rows: number }>> {
  const tz = config.timezone;
  const ctx = { siteCode: SITE_CODE, tz, time: createTimeParser(tz), units: config.ingest.units };
  const ids = new Map<string, number>();
  const outs = {} as Record<
    SampleKind,
    { path: string; rows: number; stream: WriteStream; buf: string[] }
  >;
  for (const k of Object.keys(SAMPLE_TABLES) as SampleKind[]) {
    const path = join(dir, `${k}.tsv`);
    outs[k] = {
      path,
      rows: 0,
      stream: createWriteStream(path, { highWaterMark: 1 << 20 }),
      buf: [],
    };
  }
  const put = async (k: SampleKind, row: string) => {
    const o = outs[k];
    o.buf.push(row);
    o.rows++;
    if (o.buf.length >= 10_000) {
      o.buf.push('');
      const text = o.buf.join('\n');
      o.buf = [];
      await write(o.stream, text);
    }
  };
  const rl = createInterface({
    input: createReadStream(file, { highWaterMark: 1 << 20 }),
    crlfDelay: Infinity,
  });
  for await (const line of rl) {
    const text = line.trim();
    if (text === '') continue;
    const r: SystemInfoRecord = parseSystemInfo(
      text.split('|').map((f) => f.trim()),
      ctx,
    );
    let id = ids.get(r.server);
    if (id === undefined) ids.set(r.server, (id = ids.size + 1));
    if (r.type === 'cpu')
      await put('cpu', `${id}\t${r.at}\t${r.user}\t${r.sys}\t${r.io}\t${r.idle}`);
    else if (r.type === 'mem')
      await put('mem', `${id}\t${r.at}\t${r.used}\t${r.free}\t${r.buffer}\t${r.total}`);
    else if (r.type === 'disk')
      await put('disk', `${id}\t${r.mount}\t${r.at}\t${r.used}\t${r.total}`);
  }
  const result = {} as Record<SampleKind, { path: string; rows: number }>;
  for (const k of Object.keys(outs) as SampleKind[]) {
    const o = outs[k];
    if (o.buf.length > 0) {
      o.buf.push('');
      await write(o.stream, o.buf.join('\n'));
    }
    await closeStream(o.stream);
    result[k] = { path: o.path, rows: o.rows };
  }
  return result;
}

interface LoadReport {
  rows: number;
  seconds: number;
  rowsPerSec: number;
}

/** One baseline run: a fresh database, bare LIKE copies of the sample tables, three timed LOAD DATA statements. */
async function loadDataRun(
  mysql: ReturnType<typeof mysqlBase>,
  admin: Connection,
  dbName: string,
  tsv: Record<SampleKind, { path: string; rows: number }>,
): Promise<LoadReport> {
  await recreateDatabase(admin, dbName);
  const ds = await openDataSource(mysql.urlFor(dbName));
  try {
    await migrate(ds);
  } finally {
    await ds.destroy();
  }
  const conn = await mysql.connect(dbName);
  try {
    let seconds = 0;
    let rows = 0;
    for (const k of Object.keys(SAMPLE_TABLES) as SampleKind[]) {
      const { table, columns } = SAMPLE_TABLES[k];
      const bare = `bare_${table}`;
      // LIKE copies columns, primary key and indexes, but no foreign keys.
      await conn.query(`CREATE TABLE \`${bare}\` LIKE \`${table}\``);
      const sql =
        `LOAD DATA LOCAL INFILE ${conn.escape(tsv[k].path)} INTO TABLE \`${bare}\` CHARACTER SET utf8mb4 ` +
        `FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (${columns.map((c) => `\`${c}\``).join(', ')})`;
      const t0 = process.hrtime.bigint();
      const [res] = await conn.query({
        sql,
        infileStreamFactory: (p: string) => createReadStream(p),
      });
      seconds += Number(process.hrtime.bigint() - t0) / 1e9;
      const affected = (res as { affectedRows?: number }).affectedRows ?? 0;
      if (affected !== tsv[k].rows)
        throw new Error(`LOAD DATA into ${bare} loaded ${affected} of ${tsv[k].rows} rows`);
      rows += affected;
    }
    return { rows, seconds, rowsPerSec: rows / seconds };
  } finally {
    await conn.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Main

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

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

function parseOptions(argv: string[]): Options {
  const o: Options = { servers: 1000, runs: 3, profileDir: null, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 1) throw new Error(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--servers') o.servers = num();
    else if (a === '--runs') o.runs = num();
    else if (a === '--profile') o.profileDir = argv[++i] ?? '';
    else if (a === '--keep') o.keep = true;
    else throw new Error(`unknown option ${a} (use --servers N, --runs N, --profile DIR, --keep)`);
  }
  if (o.profileDir === '') throw new Error('--profile needs a directory');
  return o;
}

async function main(opts: Options): Promise<void> {
  const cfg = benchConfig('sqlite::memory:');
  const tz = cfg.timezone;
  const now = Date.now();
  // A closed day: yesterday, or the day before while yesterday is still inside the close grace period.
  let day = addDays(dayKey(now, tz), -1);
  if (now < startOfDay(addDays(day, 1), tz) + cfg.ingest.dayCloseGraceMinutes * 60_000)
    day = addDays(day, -1);

  console.log('Sitewatch ingest benchmark');
  console.log(
    `  machine : ${cpus()[0]?.model ?? 'unknown cpu'}, nproc ${availableParallelism()}, ${int(totalmem() / 2 ** 20)} MB RAM`,
  );
  console.log(`  node    : ${process.version} (${process.platform}/${process.arch})`);
  console.log(
    `  site day: ${day} (${tz}), ${opts.servers} servers, ${opts.runs} run(s) per engine`,
  );

  const tmp = await mkdtemp(join(tmpdir(), 'sw-bench-'));
  const mysql = mysqlBase();
  const ingestDb = `sw_bench_${process.pid}`;
  const loadDb = `sw_bench_${process.pid}_load`;
  let admin: Connection | null = null;
  let cleaned = false;
  // Bench databases and the temp dir go away on success, on error, and on Ctrl-C.
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (admin) {
      for (const db of [ingestDb, loadDb])
        await admin.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
    if (opts.keep) console.log(`\n(kept ${tmp})`);
    else await rm(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals) => {
    console.error(`\nbench-ingest: ${sig}, cleaning up`);
    activeChild?.kill('SIGTERM');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const siteDir = join(tmp, 'site');
    let t0 = Date.now();
    const gen = await generateDay(siteDir, day, opts.servers);
    console.log(
      `  data    : ${int(gen.lines)} lines, ${(gen.bytes / 2 ** 20).toFixed(1)} MB, generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    console.log('');

    // SQLite, a fresh file per run.
    const sqlite: WorkerReport[] = [];
    for (let i = 1; i <= opts.runs; i++) {
      const file = join(tmp, `run${i}.sqlite`);
      const r = await runWorker(opts, 'sqlite', `sqlite:${file}`, siteDir, day);
      check(r, gen.lines);
      console.log(
        `  sqlite  run ${i}: ${r.seconds.toFixed(2)} s, ${int(r.linesPerSec)} lines/s, ${int(r.inserted)} rows inserted, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`,
      );
      sqlite.push(r);
      for (const ext of ['', '-wal', '-shm']) await rm(file + ext, { force: true });
    }

    // MariaDB, a fresh database per run.
    try {
      admin = await mysql.connect();
    } catch (err) {
      throw new Error(
        `MariaDB at ${redactUrl(mysql.base)} is not reachable: ${(err as Error).message}`,
      );
    }
    const mariadb: WorkerReport[] = [];
    for (let i = 1; i <= opts.runs; i++) {
      await recreateDatabase(admin, ingestDb);
      const r = await runWorker(opts, 'mysql', mysql.urlFor(ingestDb), siteDir, day);
      check(r, gen.lines);
      console.log(
        `  mariadb run ${i}: ${r.seconds.toFixed(2)} s, ${int(r.linesPerSec)} lines/s, ${int(r.inserted)} rows inserted, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB`,
      );
      mariadb.push(r);
      await admin.query(`DROP DATABASE IF EXISTS \`${ingestDb}\``);
    }

    // LOAD DATA LOCAL INFILE baseline.
    const [vars] = await admin.query(
      'SELECT @@GLOBAL.local_infile AS local_infile, VERSION() AS version',
    );
    const { local_infile: localInfile, version } = (
      vars as { local_infile: number | string; version: string }[]
    )[0];
    const loads: LoadReport[] = [];
    let baselineNote = '';
    if (Number(localInfile) !== 1) {
      baselineNote = `LOAD DATA baseline SKIPPED: the server has local_infile=${localInfile} (enable it with SET GLOBAL local_infile=1)`;
      console.log(`  ${baselineNote}`);
    } else {
      t0 = Date.now();
      const tsv = await writeTsv(gen.file, tmp, cfg);
      const tsvRows = tsv.cpu.rows + tsv.mem.rows + tsv.disk.rows;
      console.log(
        `  baseline: ${int(tsvRows)} rows (cpu ${int(tsv.cpu.rows)}, mem ${int(tsv.mem.rows)}, disk ${int(tsv.disk.rows)}) written as TSV in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      for (let i = 1; i <= opts.runs; i++) {
        const r = await loadDataRun(mysql, admin, loadDb, tsv);
        console.log(`  loaddata run ${i}: ${r.seconds.toFixed(2)} s, ${int(r.rowsPerSec)} rows/s`);
        loads.push(r);
        await admin.query(`DROP DATABASE IF EXISTS \`${loadDb}\``);
      }
    }

    // Summary.
    const mb = (kb: number) => (kb / 1024).toFixed(0);
    const sqliteRate = median(sqlite.map((r) => r.linesPerSec));
    const mariaRate = median(mariadb.map((r) => r.linesPerSec));
    const loadRate = loads.length > 0 ? median(loads.map((r) => r.rowsPerSec)) : NaN;
    const ratio = mariaRate / loadRate;
    const sqliteRss = Math.max(...sqlite.map((r) => r.maxRssKb));
    const mariaRss = Math.max(...mariadb.map((r) => r.maxRssKb));
    const rows: string[][] = [
      ['engine', 'lines', 'median s', 'median lines/s', 'peak RSS MB', 'vs LOAD DATA'],
      [
        'sqlite (ingest)',
        int(sqlite[0].lines),
        median(sqlite.map((r) => r.seconds)).toFixed(2),
        int(sqliteRate),
        mb(sqliteRss),
        '-',
      ],
      [
        'mariadb (ingest)',
        int(mariadb[0].lines),
        median(mariadb.map((r) => r.seconds)).toFixed(2),
        int(mariaRate),
        mb(mariaRss),
        loads.length ? ratio.toFixed(3) : 'n/a',
      ],
    ];
    if (loads.length > 0) {
      rows.push([
        'mariadb LOAD DATA',
        int(loads[0].rows),
        median(loads.map((r) => r.seconds)).toFixed(2),
        `${int(loadRate)} rows/s`,
        '-',
        '1.000',
      ]);
    }
    console.log('');
    console.log(
      `Results (median of ${opts.runs}; peak RSS is the largest of the runs; MariaDB ${version})`,
    );
    console.log(table(rows));
    console.log('');
    const goal = (ok: boolean, text: string) =>
      console.log(`  [${ok ? 'met   ' : 'MISSED'}] ${text}`);
    console.log('Goals');
    goal(
      sqliteRate >= GOAL_SQLITE_LINES_PER_S,
      `SQLite >= ${int(GOAL_SQLITE_LINES_PER_S)} lines/s (got ${int(sqliteRate)})`,
    );
    if (loads.length > 0)
      goal(
        ratio >= GOAL_MYSQL_RATIO,
        `MariaDB >= ${GOAL_MYSQL_RATIO} x LOAD DATA rate (got ${ratio.toFixed(3)})`,
      );
    else console.log(`  [n/a   ] MariaDB ratio: ${baselineNote}`);
    goal(
      sqliteRss / 1024 < GOAL_RSS_MB,
      `SQLite peak RSS < ${GOAL_RSS_MB} MB (got ${mb(sqliteRss)})`,
    );
    goal(
      mariaRss / 1024 < GOAL_RSS_MB,
      `MariaDB peak RSS < ${GOAL_RSS_MB} MB (got ${mb(mariaRss)})`,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

/** A run that did not ingest every generated line is a broken benchmark, not a slow one. */
function check(r: WorkerReport, expected: number): void {
  if (r.lines !== expected || r.quarantined !== 0) {
    throw new Error(
      `${r.engine} ingest read ${r.lines} of ${expected} lines and quarantined ${r.quarantined}: generator and parser disagree`,
    );
  }
}

const argv = process.argv.slice(2);
const done = (p: Promise<void>) =>
  p.catch((err: unknown) => {
    console.error(`bench-ingest: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
if (argv[0] === '--worker') {
  const [, engine, url, dir, day] = argv;
  if ((engine !== 'sqlite' && engine !== 'mysql') || !url || !dir || !day) {
    console.error('usage: bench-ingest --worker sqlite|mysql <db url> <site dir> <YYYYmmdd>');
    process.exitCode = 2;
  } else void done(worker(engine, url, dir, day));
} else {
  let opts: Options | null = null;
  try {
    opts = parseOptions(argv);
  } catch (err) {
    console.error(`bench-ingest: ${(err as Error).message}`);
    process.exitCode = 2;
  }
  if (opts) void done(main(opts));
}
