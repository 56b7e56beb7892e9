// CPU user / sys / iowait / idle percentages measured over an interval (from /proc/stat on Linux).
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Ticks {
  user: number;
  sys: number;
  io: number;
  idle: number;
}

export interface CpuSample {
  user: number;
  sys: number;
  io: number;
  idle: number;
}

export interface CpuResult {
  sample: CpuSample;
  /** Set when iowait could not be measured on this platform (io is then 0). */
  warning?: string;
}

/*
 * Why not systeminformation.currentLoad(): measured on this machine (direct-I/O writes running),
 * /proc/stat showed user 20.7 / sys 26.9 / iowait 19.4 / idle 33.1 while currentLoad() said
 * user 26.8 / sys 29.3 / idle 43.9. It sums os.cpus(), and libuv drops the iowait column of
 * /proc/stat, so iowait vanishes from the total and every other share is inflated. It also keeps
 * one module-wide baseline ("since the previous call, by anyone") and returns the previous result
 * when called again within 200 ms, so two samples in one process would steal each other's
 * interval. The kernel's own counters, read twice `intervalMs` apart, have none of these problems.
 */

/** The aggregate `cpu` line of /proc/stat, in USER_HZ ticks. */
export function parseProcStat(text: string): Ticks {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate "cpu" line');
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 4 || v.some((x) => !Number.isFinite(x))) {
    throw new Error(`/proc/stat "cpu" line is not understood: ${line.slice(0, 120)}`);
  }
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  // guest and guest_nice (columns 9–10) are already included in user and nice: not added again.
  // steal (time the hypervisor gave to someone else) counts as sys: this machine could not use
  // it, and calling it idle would overstate the headroom.
  return { user: user + nice, sys: system + irq + softirq + steal, io: iowait, idle };
}

/** Fallback where /proc/stat does not exist: os.cpus() has no iowait, so io stays 0. */
function osTicks(): Ticks {
  const t = { user: 0, sys: 0, io: 0, idle: 0 };
  for (const c of os.cpus()) {
    t.user += c.times.user + c.times.nice;
    // libuv on Windows already counts interrupt time inside sys.
    t.sys += c.times.sys + (process.platform === 'win32' ? 0 : c.times.irq);
    t.idle += c.times.idle;
  }
  return t;
}

async function procTicks(): Promise<Ticks> {
  return parseProcStat(await readFile('/proc/stat', 'utf8'));
}

/** Percentages of CPU time spent over the next `intervalMs`, all CPUs together. */
export async function sampleCpu(intervalMs: number): Promise<CpuResult> {
  let read: () => Promise<Ticks> = procTicks;
  let warning: string | undefined;
  if (process.platform !== 'linux') {
    read = async () => osTicks();
    warning = `cpu io_use (iowait) cannot be read on ${process.platform}; written as 0`;
  }
  let a: Ticks;
  try {
    a = await read();
  } catch (err) {
    if (read !== procTicks) throw err;
    read = async () => osTicks();
    warning = `cpu io_use (iowait) cannot be read (${(err as Error).message}); written as 0`;
    a = await read();
  }
  await sleep(intervalMs);
  let sample = cpuShares(a, await read());
  // A very short interval can end before any counter has moved by a tick: wait a little longer.
  for (let i = 0; !sample && i < 5; i++) {
    await sleep(20);
    sample = cpuShares(a, await read());
  }
  if (!sample) throw new Error(`no CPU time was counted over ${intervalMs} ms`);
  return { sample, warning };
}

/** Percentages of the time between two readings of the counters; null if no time was counted. */
export function cpuShares(a: Ticks, b: Ticks): CpuSample | null {
  // A counter can step back (iowait does on some tickless kernels): never a negative share.
  const d = {
    user: Math.max(0, b.user - a.user),
    sys: Math.max(0, b.sys - a.sys),
    io: Math.max(0, b.io - a.io),
    idle: Math.max(0, b.idle - a.idle),
  };
  const total = d.user + d.sys + d.io + d.idle;
  if (total <= 0) return null;
  const pct = (x: number) => (100 * x) / total;
  return { user: pct(d.user), sys: pct(d.sys), io: pct(d.io), idle: pct(d.idle) };
}
