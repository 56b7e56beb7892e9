// Tests for the site simulator: determinism, parseable lines, exact line counts, business rhythm, alarms, live appends.
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSystemAlarm, type AlarmRecord } from '../../src/ingest/formats/system-alarm';
import { parseSystemInfo, type SystemInfoRecord } from '../../src/ingest/formats/system-info';
import { parseSystemService, type ServiceRecord } from '../../src/ingest/formats/system-service';
import type { ParseContext } from '../../src/ingest/formats/types';
import { createTimeParser } from '../../src/ingest/values';
import { type SimOptions, simFilePath, simulate, startLive } from '../../src/simulate/simulator';
import { addDays, dayKey, dayKey as dayOf, fromWallClock, isoDay, wallClock } from '../../src/time';

const TZ = 'Asia/Shanghai';
const SITE = 'GZ01';
const at = (day: string, hour: number, minute = 0, second = 0, tz = TZ) =>
  fromWallClock(
    {
      year: Number(day.slice(0, 4)),
      month: Number(day.slice(4, 6)),
      day: Number(day.slice(6, 8)),
      hour,
      minute,
      second,
    },
    tz,
  );
/** A Wednesday. */
const TODAY = '20261125';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'sitewatch-sim-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ctxOf = (tz = TZ, site = SITE): ParseContext => ({
  siteCode: site,
  tz,
  time: createTimeParser(tz),
  units: { memory: 'M', disk: 'M' },
});

const linesOf = (file: string): string[] => {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
};

/** Every file under a site root, by relative path, as bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const sub of readdirSync(dir).sort()) {
    for (const f of readdirSync(path.join(dir, sub)).sort()) {
      out.set(`${sub}/${f}`, readFileSync(path.join(dir, sub, f)));
    }
  }
  return out;
}

type Info = SystemInfoRecord & { day: string };
type InfoOf<T extends Info['type']> = Extract<SystemInfoRecord, { type: T }> & { day: string };
const ofType = <T extends Info['type']>(xs: Info[], type: T) =>
  xs.filter((x) => x.type === type) as InfoOf<T>[];

interface Parsed {
  info: Info[];
  alarm: (AlarmRecord & { day: string; order: number })[];
  service: (ServiceRecord & { day: string })[];
  errors: string[];
}

/** Parses every line of every file of the run with the real ingest parsers. */
function parseAll(o: SimOptions, files: string[]): Parsed {
  const ctx = ctxOf(o.tz, o.site);
  const p: Parsed = { info: [], alarm: [], service: [], errors: [] };
  let order = 0;
  for (const file of files) {
    const day = /_(\d{8})\.txt$/.exec(file)![1];
    for (const line of linesOf(file)) {
      const f = line.split('|');
      try {
        if (file.includes('system_info_')) p.info.push({ ...parseSystemInfo(f, ctx), day });
        else if (file.includes('system_alarm_'))
          p.alarm.push({ ...parseSystemAlarm(f, ctx), day, order: order++ });
        else p.service.push({ ...parseSystemService(f, ctx), day });
      } catch (err) {
        p.errors.push(`${path.basename(file)}: ${(err as Error).message}: ${line}`);
      }
    }
  }
  return p;
}

const base = (dir: string, over: Partial<SimOptions> = {}): SimOptions => ({
  dir,
  site: SITE,
  servers: 5,
  days: 7,
  seed: 42,
  tz: TZ,
  now: at(TODAY, 14, 7, 30),
  ...over,
});

describe('simulate: determinism', () => {
  it('gives byte-identical files for the same options, other files for another seed', async () => {
    const a = tmp();
    const b = tmp();
    const c = tmp();
    const ra = await simulate(base(a));
    const rb = await simulate(base(b));
    await simulate(base(c, { seed: 43 }));

    expect(rb.lines).toBe(ra.lines);
    expect(ra.files).toHaveLength(7 * 3);
    const sa = snapshot(a);
    const sb = snapshot(b);
    expect([...sb.keys()]).toEqual([...sa.keys()]);
    for (const [k, v] of sa) expect(sb.get(k)!.equals(v)).toBe(true);
    const sc = snapshot(c);
    expect([...sc.keys()]).toEqual([...sa.keys()]);
    const info = `sys_monitor/system_info_${TODAY}.txt`;
    expect(sc.get(info)!.equals(sa.get(info)!)).toBe(false);
  });

  it('overwrites the files of an earlier run', async () => {
    const d = tmp();
    await simulate(base(d, { seed: 7 }));
    await simulate(base(d));
    const fresh = tmp();
    await simulate(base(fresh));
    const s1 = snapshot(d);
    for (const [k, v] of snapshot(fresh)) expect(s1.get(k)!.equals(v)).toBe(true);
  });

  it('rejects impossible options', async () => {
    await expect(simulate(base(tmp(), { servers: 0 }))).rejects.toThrow(/servers/);
    await expect(simulate(base(tmp(), { tz: 'Mars/Olympus' }))).rejects.toThrow(/tz/);
    await expect(simulate(base(tmp(), { site: 'a|b' }))).rejects.toThrow(/site/);
  });
});

describe('simulate: every line parses', () => {
  it('has zero parse errors, realistic names and values, and no record time after now', async () => {
    const o = base(tmp());
    const r = await simulate(o);
    const p = parseAll(o, r.files);
    expect(p.errors).toEqual([]);
    expect(p.info.length + p.alarm.length + p.service.length).toBe(r.lines);
    const times = [...p.info.map((x) => x.at), ...p.alarm.map((x) => x.recordedAt)];
    times.push(...p.service.map((x) => x.recordedAt));
    expect(Math.max(...times)).toBeLessThanOrEqual(o.now);
    // Each line sits in the file of its own day; values are consistent (checked in bulk: 40k lines).
    const bad: string[] = [];
    const days = new Map<number, string>();
    const dayKey = (ms: number, tz: string) => {
      let d = days.get(ms);
      if (d === undefined) days.set(ms, (d = dayOf(ms, tz)));
      return d;
    };
    const mib = 1024 * 1024;
    for (const x of p.info) {
      if (dayKey(x.at, TZ) !== x.day) bad.push(`info in wrong file ${x.day}`);
      if (!/^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(x.ip)) bad.push(`ip ${x.ip}`);
      if (x.type === 'cpu' && Math.round((x.user + x.sys + x.io + x.idle) * 100) !== 10000)
        bad.push(`cpu sum at ${x.server} ${x.at}`);
      if (x.type === 'mem' && (x.used + x.free + x.buffer !== x.total || x.total % mib !== 0))
        bad.push(`mem at ${x.server} ${x.at}`);
      if (x.type === 'disk' && (!['/', '/data'].includes(x.mount) || x.used > x.total))
        bad.push(`disk at ${x.server} ${x.at}`);
    }
    for (const x of p.alarm) if (dayKey(x.recordedAt, TZ) !== x.day) bad.push('alarm file');
    for (const x of p.service) if (dayKey(x.recordedAt, TZ) !== x.day) bad.push('service file');
    expect(bad).toEqual([]);

    const names = [...new Set(p.info.map((x) => x.server))].sort();
    expect(names).toEqual(['GZ01-app01', 'GZ01-app02', 'GZ01-db01', 'GZ01-gw01', 'GZ01-web01']);
    // Disk totals are constant; /data fills day over day.
    const data = ofType(p.info, 'disk').filter(
      (x) => x.server === 'GZ01-app02' && x.mount === '/data',
    );
    expect(new Set(data.map((x) => x.total)).size).toBe(1);
    const firstOf = (day: string) => data.find((x) => x.day === day)!.used;
    for (let i = 6; i > 0; i--) {
      expect(firstOf(addDays(TODAY, -i + 1))).toBeGreaterThan(firstOf(addDays(TODAY, -i)));
    }
    // Busy afternoons, quiet nights.
    const cpuAt = (hour: number) => {
      const xs = ofType(p.info, 'cpu').filter(
        (x) => x.day !== TODAY && wallClock(x.at, TZ).hour === hour,
      );
      return xs.reduce((s, x) => s + 100 - x.idle, 0) / xs.length;
    };
    expect(cpuAt(15)).toBeGreaterThan(cpuAt(4) + 15);
    // Uptime grows between reboots.
    const up = ofType(p.info, 'uptime').filter((x) => x.server === 'GZ01-app01');
    expect(up.length).toBeGreaterThan(100);
    const rises = up.filter((x, i) => i > 0 && x.seconds > up[i - 1].seconds).length;
    expect(rises).toBeGreaterThanOrEqual(up.length - 3);
    // Processes: mostly up, some down now and then.
    const nodes = ofType(p.info, 'node');
    const down = nodes.filter((x) => x.status === 'down').length;
    expect(down).toBeGreaterThan(0);
    expect(down / nodes.length).toBeLessThan(0.1);
  });

  it('writes a DST zone without repeated or skipped-hour times', async () => {
    // Europe/Berlin falls back on 2026-10-25 (25 hours) and springs forward on 2026-03-29 (23 hours).
    for (const [day, samples] of [
      ['20261025', 288],
      ['20260329', 276],
    ] as const) {
      const o = base(tmp(), {
        tz: 'Europe/Berlin',
        servers: 1,
        days: 2,
        now: at(addDays(day, 1), 0, 30, 0, 'Europe/Berlin'),
      });
      const r = await simulate(o);
      const p = parseAll(o, r.files);
      expect(p.errors).toEqual([]);
      const cpu = p.info.filter((x) => x.type === 'cpu' && x.day === day);
      expect(cpu).toHaveLength(samples);
      expect(new Set(cpu.map((x) => x.at)).size).toBe(samples);
    }
  });
});

describe('simulate: line counts', () => {
  it('writes servers × samples × (cpu + mem + 2 disks) plus hourly os/uptime/node lines, minus the stopped server', async () => {
    // 2 servers (app01: 3 processes, db01: 2), yesterday in full and today up to 06:00:00.
    // db01 is the last server: it stops 3 hours before now, at 03:00 today.
    const o = base(tmp(), { servers: 2, days: 2, now: at(TODAY, 6) });
    const r = await simulate(o);
    const yesterday = addDays(TODAY, -1);
    const infoLines = (day: string) => linesOf(simFilePath(o.dir, 'info', day));

    // Full day: 288 samples × 4 lines per server, 24 hourly reports of os + uptime + nodes.
    const fullDay = 2 * 288 * 4 + 24 * (2 + 3) + 24 * (2 + 2);
    expect(fullDay).toBe(2520);
    expect(infoLines(yesterday)).toHaveLength(2520);
    // Today: app01 has 00:00…06:00 (73 samples, 7 reports); db01 00:00…02:55 (36 samples, 3 reports).
    const today = 73 * 4 + 7 * (2 + 3) + (36 * 4 + 3 * (2 + 2));
    expect(today).toBe(483);
    expect(infoLines(TODAY)).toHaveLength(483);

    const p = parseAll(o, r.files);
    const count = (server: string, type: string, day: string) =>
      p.info.filter((x) => x.server === `GZ01-${server}` && x.type === type && x.day === day)
        .length;
    expect(count('app01', 'cpu', TODAY)).toBe(73);
    expect(count('db01', 'cpu', TODAY)).toBe(36);
    expect(count('db01', 'disk', TODAY)).toBe(72);
    expect(count('app01', 'node', TODAY)).toBe(21);
    expect(count('db01', 'uptime', yesterday)).toBe(24);
    const lastDb = Math.max(...p.info.filter((x) => x.server === 'GZ01-db01').map((x) => x.at));
    expect(lastDb).toBe(at(TODAY, 2, 55));
    // One business line per day (today's was written between 01:00 and 02:00).
    expect(p.service).toHaveLength(2);
    expect(r.lines).toBe(2520 + 483 + p.alarm.length + 2);
  });

  it('honours intervalMinutes', async () => {
    const o = base(tmp(), { servers: 1, days: 1, now: at(TODAY, 23, 59, 59), intervalMinutes: 15 });
    const r = await simulate(o);
    expect(linesOf(r.files[0])).toHaveLength(96 * 4 + 24 * (2 + 3));
  });
});

describe('simulate: business figures', () => {
  it('writes yesterday’s figures at 01:00–02:00, quieter at weekends, totals moving by sub − unsub', async () => {
    const o = base(tmp(), { servers: 1, days: 15, now: at(TODAY, 6) });
    const r = await simulate(o);
    const p = parseAll(o, r.files);
    expect(p.errors).toEqual([]);
    expect(p.service).toHaveLength(15);
    for (const s of p.service) {
      // The day-before rule: the line in the file of D+1 describes D.
      expect(s.statDate).toBe(isoDay(at(addDays(s.day, -1), 12), TZ));
      expect(s.recordedAt).toBeGreaterThanOrEqual(at(s.day, 1));
      expect(s.recordedAt).toBeLessThan(at(s.day, 2));
      expect(s.sub).toBeGreaterThan(0);
      expect(s.unsub).toBeGreaterThan(0);
      expect(s.shows).toBeGreaterThan(s.calls);
      expect(s.mt).toBeGreaterThan(s.mo);
    }
    for (let i = 1; i < p.service.length; i++) {
      const [prev, cur] = [p.service[i - 1], p.service[i]];
      expect(cur.statDate).toBe(addDays(prev.statDate, 1));
      expect(cur.total).toBe(prev.total + cur.sub - cur.unsub);
    }
    const weekend = (s: ServiceRecord) => [0, 6].includes(new Date(s.statDate).getUTCDay());
    const avg = (xs: ServiceRecord[], k: 'calls' | 'shows' | 'mo' | 'mt' | 'sub') =>
      xs.reduce((a, s) => a + s[k], 0) / xs.length;
    const we = p.service.filter(weekend);
    const wd = p.service.filter((s) => !weekend(s));
    expect(we).toHaveLength(4);
    for (const k of ['calls', 'shows', 'mo', 'mt', 'sub'] as const) {
      expect(avg(we, k)).toBeLessThan(avg(wd, k) * 0.8);
    }
  });

  it('agrees on a day’s figures whatever the window', async () => {
    const a = base(tmp(), { servers: 1, days: 3, now: at(TODAY, 6) });
    const b = base(tmp(), { servers: 1, days: 6, now: at(TODAY, 6) });
    await simulate(a);
    await simulate(b);
    for (const day of [TODAY, addDays(TODAY, -1), addDays(TODAY, -2)]) {
      expect(readFileSync(simFilePath(b.dir, 'service', day), 'utf8')).toBe(
        readFileSync(simFilePath(a.dir, 'service', day), 'utf8'),
      );
    }
  });
});

describe('simulate: alarms', () => {
  it('raises alarms that recover later (same key, with a resume time) and some that never do', async () => {
    const o = base(tmp());
    const r = await simulate(o);
    const p = parseAll(o, r.files);
    expect(p.errors).toEqual([]);
    const byKey = new Map<string, Parsed['alarm']>();
    for (const a of p.alarm) {
      const k = `${a.name}|${a.node}|${a.raisedAt}`;
      byKey.set(k, [...(byKey.get(k) ?? []), a]);
    }
    let recovered = 0;
    const open: string[] = [];
    for (const [k, lines] of byKey) {
      expect(lines[0].resumedAt).toBeNull();
      expect(lines[0].recordedAt).toBe(lines[0].raisedAt);
      expect(lines.length).toBeLessThanOrEqual(2);
      if (lines.length === 2) {
        const [raised, resumed] = lines;
        expect(resumed.order).toBeGreaterThan(raised.order);
        expect(resumed.resumedAt).not.toBeNull();
        expect(resumed.resumedAt!).toBeGreaterThan(raised.raisedAt);
        expect(resumed.recordedAt).toBe(resumed.resumedAt);
        expect(resumed.description).toBe(raised.description);
        recovered++;
      } else open.push(k.split('|').slice(0, 2).join('|'));
    }
    expect(recovered).toBeGreaterThan(0);
    const names = new Set(p.alarm.map((a) => a.name));
    for (const n of ['CPU_HIGH', 'DISK_FULL', 'PROCESS_DOWN', 'LINK_DOWN'])
      expect(names).toContain(n);
    // The last server stopped reporting 3 hours ago; app01's /data filled past 85% and stays there.
    expect(open).toEqual(expect.arrayContaining(['LINK_DOWN|GZ01-gw01', 'DISK_FULL|GZ01-app01']));
    const link = p.alarm.find((a) => a.name === 'LINK_DOWN')!;
    expect(link.description).toBe('服务器链路中断|心跳超时');
    expect(p.alarm.find((a) => a.name === 'CPU_HIGH')!.description).toBe('CPU使用率超过90%');
    // web01 (second to last) was down yesterday 14:00–15:30, then came back rebooted.
    const outage = byKey.get(`LINK_DOWN|GZ01-web01|${at(addDays(TODAY, -1), 14)}`)!;
    expect(outage.map((a) => a.resumedAt)).toEqual([null, at(addDays(TODAY, -1), 15, 30)]);
    const webUp = ofType(p.info, 'uptime').filter(
      (x) => x.server === 'GZ01-web01' && x.at === at(addDays(TODAY, -1), 16),
    );
    expect(webUp[0].seconds).toBe(32 * 60);
  });
});

describe('startLive', () => {
  async function waitFor(ok: () => boolean, what: string): Promise<void> {
    const until = Date.now() + 5000;
    while (!ok()) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };

  it('appends due lines on a fake clock, rolls to the next day after midnight, and stops', async () => {
    const o = base(tmp(), { servers: 2, days: 1, now: at(TODAY, 23, 50) });
    await simulate(o);
    const tomorrow = addDays(TODAY, 1);
    const infoToday = simFilePath(o.dir, 'info', TODAY);
    const infoTomorrow = simFilePath(o.dir, 'info', tomorrow);
    const serviceTomorrow = simFilePath(o.dir, 'service', tomorrow);
    const before = read(infoToday);
    expect(before).toContain('|2026-11-25 23:50:00\n');
    expect(before).not.toContain('23:55:00');

    let clock = o.now;
    const live = startLive({ ...o, everyMs: 5, now: () => clock });
    try {
      clock = at(TODAY, 23, 57);
      // db01 stopped at 20:50; app01 reports cpu, mem and 2 disks at 23:55.
      await waitFor(() => read(infoToday).length > before.length, '23:55 lines');
      const added = read(infoToday).slice(before.length);
      expect(added.split('\n').filter(Boolean)).toHaveLength(4);
      expect(added).toMatch(/^GZ01-app01\|[^\n]*\|2026-11-25 23:55:00\n/);
      expect(read(infoToday).startsWith(before)).toBe(true);

      clock = at(tomorrow, 0, 12);
      // 00:00, 00:05, 00:10 samples, and the 00:00 report (os, uptime, 3 processes).
      await waitFor(() => read(infoTomorrow).split('\n').length - 1 === 3 * 4 + 5, 'new day');
      expect(read(infoToday)).toBe(before + added);
      const ctx = ctxOf();
      for (const line of read(infoTomorrow).trimEnd().split('\n')) {
        const rec = parseSystemInfo(line.split('|'), ctx);
        expect(dayKey(rec.at, TZ)).toBe(tomorrow);
        expect(rec.at).toBeLessThanOrEqual(clock);
      }

      clock = at(tomorrow, 2, 0);
      await waitFor(() => read(serviceTomorrow) !== '', 'business line');
      const s = parseSystemService(read(serviceTomorrow).trimEnd().split('|'), ctx);
      expect(s.statDate).toBe('2026-11-25');
    } finally {
      await live.stop();
    }
    const size = statSync(infoTomorrow).size;
    clock = at(tomorrow, 5, 0);
    await new Promise((r) => setTimeout(r, 60));
    expect(statSync(infoTomorrow).size).toBe(size);
    expect(read(infoTomorrow).endsWith('\n')).toBe(true);
  });

  it('resumes after the newest line already written, losing nothing between simulate and start', async () => {
    const o = base(tmp(), { servers: 1, days: 1, now: at(TODAY, 23, 54, 30) });
    await simulate(o);
    const infoToday = simFilePath(o.dir, 'info', TODAY);
    expect(read(infoToday)).not.toContain('23:55:00');
    let clock = at(TODAY, 23, 55, 30);
    const live = startLive({ ...o, everyMs: 5, now: () => clock });
    try {
      clock = at(TODAY, 23, 56);
      await waitFor(() => read(infoToday).includes('23:55:00'), 'the 23:55 sample');
      const lines = read(infoToday)
        .split('\n')
        .filter((l) => l.endsWith('23:55:00'));
      expect(lines).toHaveLength(4);
      expect(
        read(infoToday)
          .split('\n')
          .filter((l) => l.endsWith('23:50:00')),
      ).toHaveLength(4);
    } finally {
      await live.stop();
    }
  });
});
