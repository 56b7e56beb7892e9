// Tests for the collector agent on this machine: real samples, round trip through the hub's parser, node checks, concurrent appends and the loop.
import { createScheduler } from '../../src/scheduler/scheduler';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import {
  type CollectOptions,
  collectOnce,
  defaultIdentity,
  createCollectJob,
} from '../../src/agent/collect';
import { cpuShares, parseProcStat } from '../../src/agent/collect-cpu';
import { mebibytes, percent, recordTime, sanitizeField } from '../../src/agent/collect-lines';
import { isRealLocal } from '../../src/agent/collect-system';
import { type SystemInfoRecord, systemInfo } from '../../src/ingest/formats/system-info';
import type { ParseContext } from '../../src/ingest/formats/types';
import { parseBatch } from '../../src/ingest/parse-batch';
import { createTimeParser } from '../../src/ingest/values';
import { captureLog } from '../helpers/log';

const TZ = 'Asia/Shanghai';
const MIB = 1024 * 1024;
// 2026-11-25 00:30:05 in Shanghai (16:30:05 UTC the day before).
const AT = Date.UTC(2026, 10, 24, 16, 30, 5);
const ctx: ParseContext = {
  siteCode: 'S1',
  tz: TZ,
  time: createTimeParser(TZ),
  units: { memory: 'M', disk: 'M' },
};

const dirs: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sitewatch-collect-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const base = (dir: string, extra: Partial<CollectOptions> = {}): CollectOptions => ({
  dir,
  server: 'web01',
  ip: '10.0.0.1',
  siteCode: 'S1',
  tz: TZ,
  cpuIntervalMs: 50,
  ...extra,
});

/** Parse a whole file the way the hub does; every line must be a record. */
function parseFile(file: string): SystemInfoRecord[] {
  const bytes = fs.readFileSync(file);
  const out = parseBatch([{ lines: bytes }], {
    format: systemInfo,
    parse: ctx,
    encoding: 'utf8',
    firstLine: 0,
    atFileStart: true,
    maxLineBytes: 65536,
  });
  expect(out.bad).toEqual([]);
  expect(out.skipped).toBe(0);
  return out.records as SystemInfoRecord[];
}

const ofType = <T extends SystemInfoRecord['type']>(rs: SystemInfoRecord[], t: T) =>
  rs.filter((r): r is Extract<SystemInfoRecord, { type: T }> => r.type === t);

/** Lines of every file in `dir`. */
function allLines(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n'))
    .filter((l) => l !== '');
}

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function capture() {
  const { log, lines } = captureLog('warn');
  return { log, entries: lines };
}

describe('line helpers', () => {
  it('replaces |, CR, LF and other control characters so a value stays one field', () => {
    expect(sanitizeField('Foo|Bar\r\nBaz\tQux\u2028')).toBe('Foo/Bar  Baz Qux');
    expect(sanitizeField('  /data \n')).toBe('/data');
  });

  it('writes percentages with at most 2 decimals and MiB as whole numbers', () => {
    expect(percent(12.3456)).toBe('12.35');
    expect(percent(0.004)).toBe('0');
    expect(percent(100.2)).toBe('100');
    expect(percent(-0.1)).toBe('0');
    expect(percent(50)).toBe('50');
    expect(mebibytes(1536 * 1024)).toBe('2');
    expect(mebibytes(25276502016)).toBe('24106');
  });

  it('formats record_time in the zone', () => {
    expect(recordTime(AT, TZ)).toBe('2026-11-25 00:30:05');
    expect(recordTime(AT, 'UTC')).toBe('2026-11-24 16:30:05');
  });

  it('skips virtual, container and network filesystems by type', () => {
    for (const t of ['ext4', 'xfs', 'btrfs', 'zfs', 'vfat', 'NTFS', 'APFS']) {
      expect(isRealLocal(t)).toBe(true);
    }
    for (const t of ['tmpfs', 'devtmpfs', 'overlay', 'proc', 'sysfs', 'squashfs', 'nfs4']) {
      expect(isRealLocal(t)).toBe(false);
    }
    expect(isRealLocal('fuse.lxcfs')).toBe(false);
  });
});

describe('cpu arithmetic', () => {
  it('splits /proc/stat deltas into user, sys, iowait and idle', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const a = parseProcStat('cpu  100 10 40 700 50 5 5 0 30 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n');
    const b = parseProcStat('cpu  180 30 80 1400 150 10 10 20 90 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n');
    // user 80+20=100, sys 40+5+5+20=70, io 100, idle 700: 970 ticks; guest is inside user already.
    const s = cpuShares(a, b)!;
    expect(s.user).toBeCloseTo((100 * 100) / 970, 10);
    expect(s.sys).toBeCloseTo((100 * 70) / 970, 10);
    expect(s.io).toBeCloseTo((100 * 100) / 970, 10);
    expect(s.idle).toBeCloseTo((100 * 700) / 970, 10);
    expect(s.user + s.sys + s.io + s.idle).toBeCloseTo(100, 10);
  });

  it('never reports a negative share when a counter steps back, and null when nothing moved', () => {
    const a = { user: 10, sys: 10, io: 10, idle: 10 };
    expect(cpuShares(a, { user: 20, sys: 10, io: 5, idle: 20 })).toEqual({
      user: 50,
      sys: 0,
      io: 0,
      idle: 50,
    });
    expect(cpuShares(a, a)).toBeNull();
  });
});

describe('collectOnce', () => {
  it('writes a sample that the hub parses back, in the zone’s day file', async () => {
    const dir = path.join(tempDir(), 'not', 'yet', 'there');
    const started = Date.now();
    const r = await collectOnce(base(dir, { now: () => AT, cpuIntervalMs: undefined }));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(990); // the default 1000 ms cpu window
    expect(r.file).toBe(path.join(dir, 'system_info_20261125.txt'));
    expect(r.warnings).toEqual([]);
    const text = fs.readFileSync(r.file, 'utf8');
    expect(text).toBe(r.lines.map((l) => `${l}\n`).join(''));
    for (const l of r.lines) {
      expect(l.startsWith('web01|10.0.0.1|S1|')).toBe(true);
      expect(l.endsWith('|2026-11-25 00:30:05')).toBe(true);
    }

    const rs = parseFile(r.file);
    expect(rs).toHaveLength(r.lines.length);
    for (const rec of rs) expect(rec).toMatchObject({ server: 'web01', ip: '10.0.0.1', at: AT });
    expect(ofType(rs, 'cpu')).toHaveLength(1);
    expect(ofType(rs, 'mem')).toHaveLength(1);
    expect(ofType(rs, 'disk').length).toBeGreaterThanOrEqual(1);
    expect(ofType(rs, 'node')).toHaveLength(0);

    const [osLine] = ofType(rs, 'os');
    expect(osLine.osName).not.toBe('');
    expect(osLine.osVersion).toBe(os.release());
    const [up] = ofType(rs, 'uptime');
    expect(Math.abs(up.seconds - os.uptime())).toBeLessThan(10);

    // Each filesystem as statfs sees it: total exact to the MiB, used within what a test run writes.
    for (const d of ofType(rs, 'disk')) {
      const st = fs.statfsSync(d.mount);
      expect(Math.abs(d.total - st.blocks * st.bsize)).toBeLessThanOrEqual(MIB);
      expect(Math.abs(d.used - (st.blocks - st.bfree) * st.bsize)).toBeLessThan(64 * MIB);
    }
  });

  it('cpu shares add up to 100 ± 1 and have at most 2 decimals', async () => {
    const r = await collectOnce(base(tempDir()));
    const cpuLine = r.lines.find((l) => l.split('|')[3] === 'cpu')!;
    for (const v of cpuLine.split('|').slice(4, 8)) expect(v).toMatch(/^\d{1,3}(\.\d{1,2})?$/);
    const [cpu] = ofType(parseFile(r.file), 'cpu');
    expect(Math.abs(cpu.user + cpu.sys + cpu.io + cpu.idle - 100)).toBeLessThanOrEqual(1);
  });

  it('measures cpu over the interval: a busy thread shows up as user time', async () => {
    const worker = new Worker('const end = Date.now() + 3000; while (Date.now() < end) {}', {
      eval: true,
    });
    try {
      await sleep(100);
      const r = await collectOnce(base(tempDir(), { cpuIntervalMs: 500 }));
      const [cpu] = ofType(parseFile(r.file), 'cpu');
      // One core of os.cpus().length kept busy: at least half of that share, whatever else runs.
      expect(cpu.user).toBeGreaterThan(50 / os.cpus().length);
      expect(cpu.idle).toBeLessThan(100 - 50 / os.cpus().length);
    } finally {
      await worker.terminate();
    }
  });

  it('reports real iowait while synchronous direct writes run', async () => {
    const dir = tempDir();
    let dd: ChildProcess | undefined;
    try {
      dd = spawn(
        'sh',
        [
          '-c',
          'while :; do dd if=/dev/zero of=io.bin bs=4k count=500 oflag=direct,dsync 2>/dev/null || exit 3; done',
        ],
        { cwd: dir, stdio: 'ignore' },
      );
      await sleep(200);
      if (dd.exitCode === 3) {
        console.warn(`O_DIRECT is not supported under ${dir}: iowait test skipped`);
        return;
      }
      const r = await collectOnce(base(dir, { cpuIntervalMs: 1000 }));
      const [cpu] = ofType(parseFile(r.file), 'cpu');
      expect(cpu.io).toBeGreaterThan(1);
    } finally {
      if (dd?.pid && dd.exitCode === null) dd.kill();
    }
  });

  it('mem total is os.totalmem() in MiB, and used + free + buffer = total', async () => {
    const r = await collectOnce(base(tempDir()));
    const [mem] = ofType(parseFile(r.file), 'mem');
    expect(Math.abs(mem.total - os.totalmem())).toBeLessThanOrEqual(MIB);
    expect(Math.abs(mem.used + mem.free + mem.buffer - mem.total)).toBeLessThanOrEqual(2 * MIB);
    expect(mem.used).toBeGreaterThan(0);
    expect(mem.free).toBeGreaterThan(0);
  });

  it('checks nodes: a listening port and this process are up, a closed port and a nonsense name down', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const open = (server.address() as net.AddressInfo).port;
    const closing = net.createServer();
    await new Promise<void>((res) => closing.listen(0, '127.0.0.1', res));
    const closed = (closing.address() as net.AddressInfo).port;
    await new Promise((res) => closing.close(res));
    try {
      const nodes = [`tcp:${open}`, `tcp:${closed}`, 'node', 'no-such-process-7f3a'];
      const r = await collectOnce(base(tempDir(), { nodes }));
      expect(r.warnings).toEqual([]);
      const got = ofType(parseFile(r.file), 'node').map((n) => [n.node, n.status]);
      expect(got).toEqual([
        [`tcp:${open}`, 'up'],
        [`tcp:${closed}`, 'down'],
        ['node', 'up'],
        ['no-such-process-7f3a', 'down'],
      ]);
    } finally {
      await new Promise((res) => server.close(res));
    }
  });

  it('writes the mounts it is given and warns about one that is not mounted', async () => {
    const { log, entries } = capture();
    const r = await collectOnce(base(tempDir(), { mounts: ['/', '/no/such/mount'], log }));
    const disks = r.lines.filter((l) => l.split('|')[3] === 'disk').map((l) => l.split('|')[4]);
    expect(disks).toEqual(['/']);
    expect(r.warnings).toEqual([
      'disk /no/such/mount: not a mounted filesystem (or df could not read it); skipped',
    ]);
    expect(entries.map((e) => e.msg)).toEqual([`collector: ${r.warnings[0]}`]);
  });

  it('rejects options that would make every line unreadable', async () => {
    const dir = tempDir();
    await expect(collectOnce(base(dir, { siteCode: 'S|1' }))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
    await expect(collectOnce(base(dir, { tz: 'Mars/Olympus' }))).rejects.toThrow(/tz/);
    await expect(collectOnce(base(dir, { nodes: ['tcp:70000'] }))).rejects.toThrow(/1-65535/);
    await expect(collectOnce(base(dir, { server: '' }))).rejects.toThrow(/server/);
    await expect(collectOnce(base(dir, { ip: 'db-host' }))).rejects.toThrow(
      'collector: ip "db-host" is not an IPv4 or IPv6 address',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('where the platform has no iowait, warns naming the field and still writes the cpu line', async () => {
    const real = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { ...real, value: 'darwin' });
    try {
      const r = await collectOnce(base(tempDir()));
      expect(r.warnings).toContain('cpu io_use (iowait) cannot be read on darwin; written as 0');
      const [cpu] = ofType(parseFile(r.file), 'cpu');
      expect(cpu.io).toBe(0);
      expect(Math.abs(cpu.user + cpu.sys + cpu.idle - 100)).toBeLessThanOrEqual(1);
    } finally {
      Object.defineProperty(process, 'platform', real);
    }
  });

  it('two collectors appending at once to one file leave only whole lines, each sample in one piece', async () => {
    const dir = tempDir();
    // Many long node names make each sample several KiB, so a split write would show.
    const nodes = Array.from({ length: 80 }, (_, i) => `no-such-process-${'x'.repeat(60)}-${i}`);
    const run = (server: string) =>
      Array.from({ length: 20 }, (_, i) =>
        collectOnce(base(dir, { server, nodes, cpuIntervalMs: 20, now: () => AT + i * 1000 })),
      );
    const results = await Promise.all([...run('web01'), ...run('web02')]);
    const file = path.join(dir, 'system_info_20261125.txt');
    expect(fs.readdirSync(dir)).toEqual(['system_info_20261125.txt']);
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    const expected = results.reduce((n, r) => n + r.lines.length, 0);
    expect(expected).toBeGreaterThan(40 * 80);
    expect(lines).toHaveLength(expected);
    expect(parseFile(file)).toHaveLength(expected);
    for (const r of results) {
      const at = lines.indexOf(r.lines[0]);
      expect(lines.slice(at, at + r.lines.length)).toEqual(r.lines);
    }
  });
});

describe('createCollectJob', () => {
  it('samples on its cron schedule until the scheduler stops', async () => {
    const dir = tempDir();
    const s = createScheduler(
      [createCollectJob({ ...base(dir), cpuIntervalMs: 10, schedule: '* * * * * *' })],
      capture().log,
    );
    const samples = () => allLines(dir).filter((l) => l.split('|')[3] === 'uptime').length;
    s.start();
    try {
      await until('two samples', () => samples() >= 2);
    } finally {
      await s.stop();
    }
    const after = allLines(dir).length;
    await sleep(1500);
    expect(allLines(dir).length).toBe(after);
    for (const f of fs.readdirSync(dir)) parseFile(path.join(dir, f));
  });

  it('logs a failed sample as a warning and carries on', async () => {
    const root = tempDir();
    const blocker = path.join(root, 'blocker');
    fs.writeFileSync(blocker, 'a file where the directory should be');
    const dir = path.join(blocker, 'out');
    const { log, entries } = capture();
    const job = createCollectJob({ ...base(dir), cpuIntervalMs: 10, schedule: '*/5 * * * *', log });
    await job.run({ firedAt: new Date(), scheduled: true });
    await job.run({ firedAt: new Date(), scheduled: true });
    const failures = entries.filter((e) => e.msg === 'collector: sample failed and was skipped');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ level: 40, server: 'web01', dir });
    expect(String(failures[0].err)).toMatch(/ENOTDIR|EEXIST/);
    fs.rmSync(blocker);
    await job.run({ firedAt: new Date(), scheduled: true });
    expect(allLines(dir).length).toBeGreaterThan(0);
    for (const f of fs.readdirSync(dir)) parseFile(path.join(dir, f));
  });

  it('refuses bad options at once', () => {
    expect(() =>
      createCollectJob({ ...base(tempDir()), tz: 'Nowhere/Else', schedule: '* * * * *' }),
    ).toThrow(/tz/);
  });
});

describe('defaultIdentity', () => {
  it('is the hostname and a non-internal IPv4 address of this machine', async () => {
    const id = await defaultIdentity();
    expect(id.server).toBe(os.hostname());
    const mine = Object.values(os.networkInterfaces())
      .flatMap((l) => l ?? [])
      .filter((a) => a.family === 'IPv4' && !a.internal)
      .map((a) => a.address);
    expect(mine).toContain(id.ip);
  });
});
