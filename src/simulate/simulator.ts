// Deterministic site simulator: writes a site's three daily files for K days, and keeps appending them live.
import { closeSync, fstatSync, mkdirSync, openSync, promises as fsp, readSync } from 'node:fs';
import path from 'node:path';
import { addDays, dayKey, fromWallClock, startOfDay } from '../time';
import { type FileKind, type SimLine, Timeline } from './generator';
import { planSite } from './model';

export interface SimOptions {
  /** Site root: writes sys_monitor/system_info_D.txt, sys_alarm/system_alarm_D.txt, sys_service/system_service_D.txt. */
  dir: string;
  /** site_id written in every line; server names are `<site>-app01`, `<site>-db01`… */
  site: string;
  /** Number of servers, e.g. 5. */
  servers: number;
  /** K days ending today (today written only up to `now`). */
  days: number;
  seed: number;
  /** IANA zone of the times in the files. */
  tz: string;
  /** Epoch ms; "today" is dayKey(now, tz). */
  now: number;
  /** Sample period in minutes, default 5. */
  intervalMinutes?: number;
}

export interface SimResult {
  files: string[];
  lines: number;
}

const FILES: Record<FileKind, { dir: string; prefix: string }> = {
  info: { dir: 'sys_monitor', prefix: 'system_info' },
  alarm: { dir: 'sys_alarm', prefix: 'system_alarm' },
  service: { dir: 'sys_service', prefix: 'system_service' },
};
const KINDS: readonly FileKind[] = ['info', 'alarm', 'service'];

/** Path of one of the site's files for `day` (YYYYmmdd). */
export function simFilePath(dir: string, kind: FileKind, day: string): string {
  const f = FILES[kind];
  return path.join(dir, f.dir, `${f.prefix}_${day}.txt`);
}

function check(o: SimOptions): number {
  const interval = o.intervalMinutes ?? 5;
  const bad: string[] = [];
  if (!o.site || /[|\r\n]/.test(o.site)) bad.push('site must be non-empty without "|" or newlines');
  if (!Number.isInteger(o.servers) || o.servers < 1) bad.push('servers must be an integer >= 1');
  if (!Number.isInteger(o.days) || o.days < 1) bad.push('days must be an integer >= 1');
  if (!Number.isFinite(o.seed)) bad.push('seed must be a number');
  if (!Number.isFinite(o.now)) bad.push('now must be epoch milliseconds');
  if (!(interval > 0 && interval <= 1440 && Number.isInteger(interval * 60))) {
    bad.push('intervalMinutes must be a whole number of seconds between 1 second and 1 day');
  }
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: o.tz });
  } catch {
    bad.push(`tz "${o.tz}" is not an IANA time zone`);
  }
  if (bad.length > 0) throw new RangeError(`simulate: ${bad.join('; ')}`);
  return interval;
}

function timeline(o: SimOptions): Timeline {
  const intervalMinutes = check(o);
  const today = dayKey(o.now, o.tz);
  return new Timeline(planSite({ ...o, intervalMinutes }, today));
}

function makeDirs(dir: string): void {
  for (const k of KINDS) mkdirSync(path.join(dir, FILES[k].dir), { recursive: true });
}

/** Lines grouped by file path, each group in time order. */
function byFile(dir: string, lines: SimLine[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const l of lines) {
    const p = simFilePath(dir, l.kind, l.day);
    let g = out.get(p);
    if (!g) out.set(p, (g = []));
    g.push(l.text);
  }
  return out;
}

/** Writes (overwrites) the K days' files, every line dated up to `now`; empty files where nothing happened. */
export async function simulate(o: SimOptions): Promise<SimResult> {
  const tl = timeline(o);
  makeDirs(o.dir);
  const today = dayKey(o.now, o.tz);
  const files: string[] = [];
  let lines = 0;
  // A day at a time, so that memory holds one day's lines however many servers and days.
  for (let i = o.days - 1; i >= 0; i--) {
    const day = addDays(today, -i);
    const end = i === 0 ? o.now : startOfDay(addDays(day, 1), o.tz) - 1;
    const due = tl.advanceTo(end);
    lines += due.length;
    const groups = byFile(o.dir, due);
    const paths = KINDS.map((k) => simFilePath(o.dir, k, day));
    await Promise.all(paths.map((f) => fsp.writeFile(f, (groups.get(f) ?? []).join(''))));
    files.push(...paths);
  }
  return { files, lines };
}

/** Appends `text` with a single write call (looping only if the kernel takes part of it). */
async function appendOnce(file: string, text: string): Promise<void> {
  const buf = Buffer.from(text, 'utf8');
  const fh = await fsp.open(file, 'a');
  try {
    let off = 0;
    while (off < buf.length) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
  } finally {
    await fh.close();
  }
}

const TIME_RE = /\|(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\r?\n?$/;

/** record_time of the last whole line of `file`, or null (missing, empty, or not ours). */
function lastRecordTime(file: string, tz: string): number | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 4096);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return null;
    const m = TIME_RE.exec(text.slice(text.lastIndexOf('\n', end - 1) + 1, end + 1));
    if (!m) return null;
    const [year, month, day, hour, minute, second] = m.slice(1).map(Number);
    return fromWallClock({ year, month, day, hour, minute, second }, tz);
  } finally {
    closeSync(fd);
  }
}

/** The newest record_time already in the site's files over the last `days` days, or null. */
function resumePoint(dir: string, tz: string, today: string, days: number): number | null {
  for (let i = 0; i < days; i++) {
    const day = addDays(today, -i);
    let newest: number | null = null;
    for (const k of KINDS) {
      const t = lastRecordTime(simFilePath(dir, k, day), tz);
      if (t !== null && (newest === null || t > newest)) newest = t;
    }
    // Every line sits in the file of its own day, so the newest day with lines holds the newest line.
    if (newest !== null) return newest;
  }
  return null;
}

/**
 * Keeps the site going after `simulate(...)`: every `everyMs` the lines due since the last tick
 * (samples, alarms and recoveries, the daily business line after 01:00) are appended to their
 * day's files, one write of whole lines per file, rolling to a new day's file after midnight.
 * `now` is the clock (default Date.now). It resumes after the newest line already in the files
 * (or at the clock's first reading when there is none) on the same timeline as simulate, so the
 * files read as if one long run wrote them, however long after simulate it starts.
 */
export function startLive(o: Omit<SimOptions, 'now'> & { everyMs: number; now?: () => number }): {
  stop(): Promise<void>;
} {
  if (!(o.everyMs > 0)) throw new RangeError('startLive: everyMs must be > 0');
  const clock = o.now ?? Date.now;
  const started = clock();
  // The plan is anchored where the files end, so it matches the simulate run that wrote them.
  let done = resumePoint(o.dir, o.tz, dayKey(started, o.tz), o.days) ?? started;
  const tl = timeline({ ...o, now: done });
  tl.advanceTo(done); // already on disk
  makeDirs(o.dir);
  let stopped = false;
  let running: Promise<void> = Promise.resolve();

  const tick = async () => {
    const now = clock();
    if (stopped || now <= done) return;
    done = now;
    for (const [file, texts] of byFile(o.dir, tl.advanceTo(now))) {
      await appendOnce(file, texts.join(''));
    }
  };
  const schedule = () => {
    // Ticks never overlap: each waits for the one before it.
    running = running.then(tick).catch((err: unknown) => {
      process.emitWarning(`sitewatch simulator: ${(err as Error).message}`);
    });
  };
  const first = setTimeout(schedule, 0);
  const timer = setInterval(schedule, o.everyMs);
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
