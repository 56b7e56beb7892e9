// The collector agent: samples this server and appends system_info lines to the day's file.
import { mkdir, open } from 'node:fs/promises';
import os from 'node:os';
import { isIP } from 'node:net';
import path from 'node:path';
import * as si from 'systeminformation';
import { SitewatchError, describeError } from '../errors';
import { type Logger, silentLogger } from '../log';
import { dayKey } from '../time';
import type { Job } from '../types/job';
import { sampleCpu } from './collect-cpu';
import { isSafeField, mebibytes, percent, recordTime, sanitizeField } from './collect-lines';
import { checkNodes, tcpPort } from './collect-nodes';
import { readDisks, readMem, readOs } from './collect-system';

export interface CollectOptions {
  /** Directory the daily file goes in: <dir>/system_info_YYYYmmdd.txt */
  dir: string;
  /** server_name */
  server: string;
  /** server_ip */
  ip: string;
  /** site_id */
  siteCode: string;
  /** IANA zone for the file's day and record_time. */
  tz: string;
  /** Default: every real local filesystem (no tmpfs, devtmpfs, overlay, proc, sysfs, squashfs…). */
  mounts?: string[];
  /** Process names, or 'tcp:PORT' for a TCP port on 127.0.0.1 that must accept connections. */
  nodes?: string[];
  /** CPU percentages are measured over this interval (default 1000), not since boot. */
  cpuIntervalMs?: number;
  now?: () => number;
  /** Warnings go here. */
  log?: Logger;
}

export interface CollectResult {
  file: string;
  lines: string[];
  warnings: string[];
}

/** A systeminformation call that hangs (df on a dead mount, ps) must not stall the agent. */
const PROBE_TIMEOUT_MS = 15_000;
/** How long a `tcp:PORT` node may take to accept a connection. */
const TCP_TIMEOUT_MS = 3_000;

function withTimeout<T>(what: string, p: Promise<T>, ms = PROBE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

function invalid(message: string): never {
  throw new SitewatchError('CONFIG_INVALID', `collector: ${message}`);
}

/** Problems a sample cannot work around: they would make every line unreadable to the hub. */
function checkOptions(o: CollectOptions): void {
  if (typeof o.dir !== 'string' || o.dir === '') invalid('dir is empty');
  const field = (name: string, v: unknown, max: number) => {
    if (typeof v !== 'string' || !isSafeField(v)) {
      invalid(`${name} "${String(v)}" is empty or contains |, a line break or spaces at its ends`);
    }
    if (v.length > max) invalid(`${name} is longer than ${max} characters`);
  };
  field('server', o.server, 128);
  field('ip', o.ip, 64);
  // The hub quarantines a line whose server_ip is not an address, so refuse it here, once.
  if (isIP(o.ip) === 0) invalid(`ip "${o.ip}" is not an IPv4 or IPv6 address`);
  field('siteCode', o.siteCode, 64);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: o.tz });
  } catch {
    invalid(`tz "${o.tz}" is not an IANA time zone`);
  }
  for (const n of o.nodes ?? []) {
    field('node', n, 128);
    try {
      tcpPort(n);
    } catch (err) {
      invalid((err as Error).message);
    }
  }
  for (const m of o.mounts ?? [])
    if (typeof m !== 'string' || m === '') invalid('a mount is empty');
  const ms = o.cpuIntervalMs;
  if (ms !== undefined && !(Number.isFinite(ms) && ms > 0)) invalid('cpuIntervalMs must be > 0');
}

const NL = Buffer.from('\n');

/**
 * Append `text` (whole lines) with one write() on an O_APPEND descriptor. On a local filesystem
 * the kernel appends one write() as a unit, so agents sharing the file never interleave within a
 * line. (There is deliberately no "does the file end in a newline?" check first: while another
 * agent's write is being copied in, the file can briefly end mid-line, and the check would add
 * blank lines.)
 */
async function appendLines(dir: string, file: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const fh = await open(file, 'a');
  try {
    const data = Buffer.from(text, 'utf8');
    const { bytesWritten } = await fh.write(data);
    if (bytesWritten !== data.length) {
      // Disk or quota full part-way: end the partial line so the next sample starts cleanly.
      await fh.write(NL).catch(() => undefined);
      throw new Error(`short write to ${file}: ${bytesWritten} of ${data.length} bytes`);
    }
  } finally {
    await fh.close();
  }
}

/** Take one sample and append it to `<dir>/system_info_<day in tz>.txt`. */
export async function collectOnce(o: CollectOptions): Promise<CollectResult> {
  checkOptions(o);
  const log = o.log ?? silentLogger;
  const at = (o.now ?? Date.now)();
  const time = recordTime(at, o.tz);
  const file = path.join(o.dir, `system_info_${dayKey(at, o.tz)}.txt`);
  const head = `${o.server}|${o.ip}|${o.siteCode}|`;
  const lines: string[] = [];
  const warnings: string[] = [];
  const put = (type: string, ...values: string[]) =>
    lines.push(`${head}${type}|${values.map(sanitizeField).join('|')}|${time}`);
  const failed = (fields: string, err: unknown) =>
    warnings.push(`${fields} could not be read: ${describeError(err)}`);

  // The CPU window runs alone: ps and df started during it would show up as load.
  const cpu = await sampleCpu(o.cpuIntervalMs ?? 1000).catch((err) => {
    failed('cpu (user, sys, io, idle)', err);
    return null;
  });
  const [mem, disks, osFacts, nodes] = await Promise.all([
    withTimeout('systeminformation.mem()', readMem()).catch((err) => {
      failed('mem (used, free, buffer, total)', err);
      return null;
    }),
    withTimeout('df (systeminformation.fsSize())', readDisks(o.mounts)).catch((err) => {
      failed('disk (used, total)', err);
      return null;
    }),
    withTimeout('systeminformation.osInfo()', readOs()).catch((err) => {
      failed('os (name, version)', err);
      return null;
    }),
    o.nodes && o.nodes.length > 0
      ? withTimeout('node checks', checkNodes(o.nodes, TCP_TIMEOUT_MS)).catch((err) => {
          failed(`node (${o.nodes!.join(', ')})`, err);
          return null;
        })
      : null,
  ]);

  if (cpu) {
    const c = cpu.sample;
    put('cpu', percent(c.user), percent(c.sys), percent(c.io), percent(c.idle));
    if (cpu.warning) warnings.push(cpu.warning);
  }
  if (mem) {
    const m = mem.mem;
    put('mem', mebibytes(m.used), mebibytes(m.free), mebibytes(m.buffer), mebibytes(m.total));
    if (mem.warning) warnings.push(mem.warning);
  }
  if (disks) {
    for (const d of disks.disks) put('disk', d.mount, mebibytes(d.used), mebibytes(d.total));
    warnings.push(...disks.warnings);
  }
  if (osFacts) {
    const name = sanitizeField(osFacts.name);
    if (name) put('os', name, osFacts.version);
    else warnings.push('os name could not be read');
  }
  put('uptime', String(Math.floor(os.uptime())));
  if (nodes) {
    for (const n of nodes.nodes) put('node', n.name, n.up ? 'up' : 'down');
    warnings.push(...nodes.warnings);
  }

  for (const w of warnings) log.warn({ server: o.server, file }, `collector: ${w}`);
  await appendLines(o.dir, file, lines.map((l) => `${l}\n`).join(''));
  return { file, lines, warnings };
}

const isV4 = (a: os.NetworkInterfaceInfo) =>
  !a.internal && (a.family === 'IPv4' || (a.family as unknown) === 4);

/** This machine's hostname and primary non-internal IPv4 (that of the default-route interface). */
export async function defaultIdentity(): Promise<{ server: string; ip: string }> {
  const server = sanitizeField(os.hostname()).slice(0, 128);
  if (!server) throw new SitewatchError('CONFIG_INVALID', 'collector: the hostname is empty');
  const ifaces = os.networkInterfaces();
  let primary = '';
  try {
    primary = await withTimeout('default interface', si.networkInterfaceDefault(), 5000);
  } catch {
    // No default route known: fall back to the first interface with an address.
  }
  const candidates = [
    ...(ifaces[primary] ?? []),
    ...Object.entries(ifaces)
      .filter(([name]) => name !== primary)
      .flatMap(([, list]) => list ?? []),
  ].filter(isV4);
  // A link-local 169.254.x.x address is what an interface has when DHCP failed: last resort.
  const best =
    candidates.find((a) => !a.address.startsWith('169.254.')) ??
    (candidates[0] as (typeof candidates)[0] | undefined);
  if (!best) {
    throw new SitewatchError(
      'CONFIG_INVALID',
      'collector: this machine has no non-internal IPv4 address; give the server IP explicitly',
    );
  }
  return { server, ip: best.address };
}

/**
 * The collector as a scheduled job (`sitewatch agent collect --every`): node-cron fires it on
 * wall-clock boundaries so that every server samples at the same moments, never two at once.
 * A failed sample is logged and skipped; the agent never exits on a transient error.
 */
export function createCollectJob(o: CollectOptions & { schedule: string }): Job {
  checkOptions(o);
  const log = o.log ?? silentLogger;
  return {
    name: 'collect',
    schedule: o.schedule,
    timezone: o.tz,
    async run() {
      try {
        const r = await collectOnce(o);
        log.info({ file: r.file, lines: r.lines.length }, 'collector: sample appended');
      } catch (err) {
        log.warn(
          { server: o.server, dir: o.dir, err: describeError(err) },
          'collector: sample failed and was skipped',
        );
      }
    },
  };
}
