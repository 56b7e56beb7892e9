// The simulator's timeline: walks the sample grid in time order and yields the site's file lines as they fall due.
import { addDays, dayKey, fromWallClock, startOfDay, zoneOffset, type WallClock } from '../time';
import {
  DAY,
  DISK_FULL_AT,
  HOUR,
  MINUTE,
  ROOT_TOTAL,
  type ServerPlan,
  type SitePlan,
  businessFigures,
  businessRecordTime,
  diskShare,
  isWeekend,
} from './model';
import { type Rng, gauss, intIn, stream, uniform } from './prng';

export type FileKind = 'info' | 'alarm' | 'service';

/** One line of one file: `day` names the file (YYYYmmdd), `text` ends with a newline. */
export interface SimLine {
  at: number;
  day: string;
  kind: FileKind;
  text: string;
}

const CPU_HIGH_ON = 90;
const CPU_HIGH_OFF = 80;
/** Chance per sample that a CPU spike starts (about one a day per server at 5-minute samples). */
const SPIKE_CHANCE = 0.004;
/** Chance per server per day of a process going down for 1–3 hours. */
const PROCESS_DOWN_CHANCE = 0.3;
/** Chance per server per day of a quiet planned reboot around 03:00 (no samples lost). */
const REBOOT_CHANCE = 0.05;

const DESC = {
  CPU_HIGH: 'CPU使用率超过90%',
  DISK_FULL: `磁盘/data使用率超过${DISK_FULL_AT * 100}%`,
  LINK_DOWN: '服务器链路中断|心跳超时',
  PROCESS_DOWN: (p: string) => `进程${p}停止运行`,
};

interface Episode {
  process: string;
  from: number;
  to: number;
}

interface ServerState {
  plan: ServerPlan;
  rng: Rng;
  bootAt: number;
  noise: number;
  spikeLeft: number;
  memFrac: number;
  memLeak: number;
  rebootAt: number | null;
  episodes: Episode[];
  /** Processes reported down, with the time their PROCESS_DOWN alarm was raised. */
  down: Map<string, number>;
  cpuHighSince: number | null;
  diskFullRaised: boolean;
  linkDownSince: number | null;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

function wallOf(t: number, tz: string): WallClock {
  const d = new Date(t + zoneOffset(t, tz));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const fmtWall = (w: WallClock) =>
  `${w.year}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;

/** Hundredths of a percent as "12.34". */
const pct = (c: number) => `${Math.floor(c / 100)}.${pad(c % 100)}`;

/** 0 at night (minimum about 03:30), 1 in the afternoon, with an evening bump around 20:30. */
function diurnal(hour: number): number {
  const day = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 3.5)) / 24);
  const evening = 0.3 * Math.exp(-(((hour - 20.5) / 1.4) ** 2));
  return Math.min(1, (day + evening) / 1.1);
}

export class Timeline {
  private readonly servers: ServerState[];
  private day = '';
  private dayStart = 0;
  private nextDayStart = 0;
  private weekend = false;
  private k = 0;
  private prevHour = -1;
  private readonly pending: SimLine[] = [];

  constructor(private readonly plan: SitePlan) {
    this.servers = plan.servers.map((s) => {
      const r = stream(plan.seed, plan.site, s.name, 'state');
      return {
        plan: s,
        rng: r,
        bootAt: s.bootAt,
        noise: 0,
        spikeLeft: 0,
        memFrac: s.memTarget + gauss(r) * 0.02,
        memLeak: s.memLeak0,
        rebootAt: null,
        episodes: [],
        down: new Map<string, number>(),
        cpuHighSince: null,
        diskFullRaised: false,
        linkDownSince: null,
      };
    });
    this.enterDay(plan.firstDay);
  }

  /** Every line whose time is at most `limit` and not yet returned, in time order. */
  advanceTo(limit: number): SimLine[] {
    const out: SimLine[] = [];
    for (;;) {
      const { t, wall } = this.nextGrid();
      if (t > limit) break;
      while (this.pending.length > 0 && this.pending[0].at < t) out.push(this.pending.shift()!);
      this.step(t, wall, out);
      this.k++;
    }
    while (this.pending.length > 0 && this.pending[0].at <= limit) out.push(this.pending.shift()!);
    return out;
  }

  private enterDay(day: string): void {
    const p = this.plan;
    this.day = day;
    this.dayStart = startOfDay(day, p.tz);
    this.nextDayStart = startOfDay(addDays(day, 1), p.tz);
    this.weekend = isWeekend(day);
    this.k = 0;
    this.prevHour = -1;
    // Yesterday's business figures are written between 01:00 and 02:00.
    const at = businessRecordTime(p.seed, p.site, day, p.tz);
    const f = businessFigures(p.seed, p.site, addDays(day, -1));
    this.pending.push({
      at,
      day: dayKey(at, p.tz),
      kind: 'service',
      text: `${p.site}|${f.sub}|${f.unsub}|${f.total}|${f.calls}|${f.shows}|${f.mo}|${f.mt}|${fmtWall(wallOf(at, p.tz))}\n`,
    });
    for (const s of this.servers) {
      const r = stream(p.seed, p.site, s.plan.name, day, 'day');
      s.rng = stream(p.seed, p.site, s.plan.name, day, 'samples');
      s.episodes = s.episodes.filter((e) => e.to > this.dayStart);
      if (r() < PROCESS_DOWN_CHANCE) {
        const process = s.plan.processes[intIn(r, 0, s.plan.processes.length - 1)];
        const from = this.dayStart + intIn(r, 0, 23) * HOUR;
        s.episodes.push({ process, from, to: from + intIn(r, 1, 3) * HOUR });
      }
      s.rebootAt = r() < REBOOT_CHANCE ? this.dayStart + 3 * HOUR + intIn(r, 0, 59) * MINUTE : null;
    }
  }

  /** The next grid instant, rolling over days and skipping the second pass of a repeated hour. */
  private nextGrid(): { t: number; wall: WallClock } {
    for (;;) {
      const t = this.dayStart + this.k * this.plan.stepMs;
      if (t >= this.nextDayStart) {
        this.enterDay(addDays(this.day, 1));
        continue;
      }
      const wall = wallOf(t, this.plan.tz);
      if (fromWallClock(wall, this.plan.tz) !== t) {
        this.k++;
        continue;
      }
      return { t, wall };
    }
  }

  private alarm(
    out: SimLine[],
    name: string,
    node: string,
    desc: string,
    raisedAt: number,
    resumedAt: number | null,
  ) {
    const tz = this.plan.tz;
    const at = resumedAt ?? raisedAt;
    const resume = resumedAt === null ? '' : fmtWall(wallOf(resumedAt, tz));
    out.push({
      at,
      day: this.day,
      kind: 'alarm',
      text: `${this.plan.site}|${name}|${node}|${desc}|${fmtWall(wallOf(raisedAt, tz))}|${resume}|${fmtWall(wallOf(at, tz))}\n`,
    });
  }

  private step(t: number, wall: WallClock, out: SimLine[]): void {
    const p = this.plan;
    const ts = fmtWall(wall);
    const report = wall.hour !== this.prevHour;
    this.prevHour = wall.hour;
    const hour = wall.hour + wall.minute / 60;
    for (const s of this.servers) {
      const sp = s.plan;
      const silent =
        (sp.stopAt !== null && t >= sp.stopAt) ||
        (sp.outage !== null && t >= sp.outage.from && t < sp.outage.to);
      if (silent) {
        if (s.linkDownSince === null) {
          s.linkDownSince = t;
          this.alarm(out, 'LINK_DOWN', sp.name, DESC.LINK_DOWN, t, null);
        }
        continue;
      }
      if (s.linkDownSince !== null) {
        // Back after an outage: it was rebooted.
        this.alarm(out, 'LINK_DOWN', sp.name, DESC.LINK_DOWN, s.linkDownSince, t);
        s.linkDownSince = null;
        this.reboot(s, t - 2 * MINUTE);
      }
      if (s.rebootAt !== null && t >= s.rebootAt) {
        this.reboot(s, t - intIn(s.rng, 40, 100) * 1000);
        s.rebootAt = null;
      }
      const head = `${sp.name}|${sp.ip}|${p.site}|`;
      const r = s.rng;

      // cpu: diurnal load, AR(1) noise, occasional spikes, the db's nightly backup.
      s.noise = 0.8 * s.noise + 1.8 * gauss(r);
      let busy = sp.cpuBase + sp.cpuAmp * diurnal(hour) * (this.weekend ? 0.7 : 1) + s.noise;
      busy = Math.min(88, Math.max(1.5, busy));
      let ioShare = uniform(r, 0.03, 0.1);
      if (s.spikeLeft === 0 && r() < SPIKE_CHANCE) s.spikeLeft = intIn(r, 1, 4);
      if (sp.role === 'db' && wall.hour === 2 && wall.minute < 20) {
        busy = uniform(r, 92, 97);
        ioShare = uniform(r, 0.45, 0.55);
      } else if (s.spikeLeft > 0) {
        busy = uniform(r, 91, 99);
        s.spikeLeft--;
      }
      const busyC = Math.round(busy * 100);
      const userC = Math.round(busyC * (1 - ioShare) * uniform(r, 0.72, 0.8));
      const ioC = Math.round(busyC * ioShare);
      const sysC = busyC - userC - ioC;
      out.push({
        at: t,
        day: this.day,
        kind: 'info',
        text: `${head}cpu|${pct(userC)}|${pct(sysC)}|${pct(ioC)}|${pct(10000 - busyC)}|${ts}\n`,
      });
      const shown = busyC / 100;
      if (s.cpuHighSince === null && shown >= CPU_HIGH_ON) {
        s.cpuHighSince = t;
        this.alarm(out, 'CPU_HIGH', sp.name, DESC.CPU_HIGH, t, null);
      } else if (s.cpuHighSince !== null && shown < CPU_HIGH_OFF) {
        this.alarm(out, 'CPU_HIGH', sp.name, DESC.CPU_HIGH, s.cpuHighSince, t);
        s.cpuHighSince = null;
      }

      // mem (MiB): drifts toward a target that follows the day and a slow leak.
      s.memLeak += (sp.memLeakPerDay * p.stepMs) / DAY;
      const target = sp.memTarget + s.memLeak + 0.05 * diurnal(hour);
      s.memFrac += 0.05 * (target - s.memFrac) + 0.004 * gauss(r);
      s.memFrac = Math.min(0.9, Math.max(0.2, s.memFrac));
      const memUsed = Math.round(sp.memTotal * s.memFrac);
      const memBuf = Math.round(sp.memTotal * (0.06 + 0.01 * Math.sin(hour / 3.8)));
      out.push({
        at: t,
        day: this.day,
        kind: 'info',
        text: `${head}mem|${memUsed}|${sp.memTotal - memUsed - memBuf}|${memBuf}|${sp.memTotal}|${ts}\n`,
      });

      // disks (MiB): constant totals, slowly filling day over day.
      const rootUsed = Math.round(ROOT_TOTAL * (diskShare(p, sp, '/', t) + 0.0002 * gauss(r)));
      const dataShare = diskShare(p, sp, '/data', t);
      const dataUsed = Math.min(sp.dataTotal, Math.round(sp.dataTotal * dataShare));
      out.push(
        {
          at: t,
          day: this.day,
          kind: 'info',
          text: `${head}disk|/|${rootUsed}|${ROOT_TOTAL}|${ts}\n`,
        },
        {
          at: t,
          day: this.day,
          kind: 'info',
          text: `${head}disk|/data|${dataUsed}|${sp.dataTotal}|${ts}\n`,
        },
      );
      if (!s.diskFullRaised && dataShare >= DISK_FULL_AT) {
        s.diskFullRaised = true;
        this.alarm(out, 'DISK_FULL', sp.name, DESC.DISK_FULL, t, null);
      }

      // The agent's hourly report: os, uptime and the state of each watched process.
      if (report) {
        out.push(
          {
            at: t,
            day: this.day,
            kind: 'info',
            text: `${head}os|${sp.os[0]}|${sp.os[1]}|${ts}\n`,
          },
          {
            at: t,
            day: this.day,
            kind: 'info',
            text: `${head}uptime|${Math.floor((t - s.bootAt) / 1000)}|${ts}\n`,
          },
        );
        let raisedNow = false;
        for (const proc of sp.processes) {
          const isDown = s.episodes.some((e) => e.process === proc && e.from <= t && t < e.to);
          out.push({
            at: t,
            day: this.day,
            kind: 'info',
            text: `${head}node|${proc}|${isDown ? 'down' : 'up'}|${ts}\n`,
          });
          const since = s.down.get(proc);
          if (isDown && since === undefined && !raisedNow) {
            // Alarms are keyed by (name, node, time): one PROCESS_DOWN per server and instant.
            raisedNow = true;
            s.down.set(proc, t);
            this.alarm(out, 'PROCESS_DOWN', sp.name, DESC.PROCESS_DOWN(proc), t, null);
          } else if (!isDown && since !== undefined) {
            s.down.delete(proc);
            this.alarm(out, 'PROCESS_DOWN', sp.name, DESC.PROCESS_DOWN(proc), since, t);
          }
        }
      }
    }
  }

  private reboot(s: ServerState, bootAt: number): void {
    s.bootAt = bootAt;
    s.memLeak = 0;
    s.memFrac = s.plan.memTarget;
    s.noise = 0;
  }
}
