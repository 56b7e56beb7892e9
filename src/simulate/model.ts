// The simulated site's fixed plan: servers (names, roles, IPs, sizes, boot, outages) and daily business figures.
import type { SimOptions } from './simulator';
import { addDays, fromWallClock, startOfDay } from '../time';
import type { BusinessFigures } from '../types/business-figures';
import { type Rng, gauss, intIn, pick, stream, uniform } from './prng';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Role = 'app' | 'db' | 'web' | 'gw';

/** Roles by server position: 2 servers are app01 + db01, 5 are app01, db01, app02, web01, gw01. */
const ROLE_ORDER: readonly Role[] = ['app', 'db', 'app', 'web', 'gw'];

interface RoleSpec {
  processes: readonly string[];
  cpuBase: number;
  cpuAmp: number;
  memTotal: number;
  memTarget: number;
  /** Share of memory leaked per day (reset by a reboot). */
  memLeak: number;
  dataTotal: number;
}

const ROLES: Record<Role, RoleSpec> = {
  app: {
    processes: ['tomcat', 'sms-agent', 'redis-server'],
    cpuBase: 8,
    cpuAmp: 46,
    memTotal: 16384,
    memTarget: 0.58,
    memLeak: 0.012,
    dataTotal: 409600,
  },
  db: {
    processes: ['mysqld', 'backup-agent'],
    cpuBase: 6,
    cpuAmp: 34,
    memTotal: 32768,
    memTarget: 0.74,
    memLeak: 0,
    dataTotal: 1048576,
  },
  web: {
    processes: ['nginx', 'php-fpm'],
    cpuBase: 5,
    cpuAmp: 40,
    memTotal: 8192,
    memTarget: 0.45,
    memLeak: 0.004,
    dataTotal: 204800,
  },
  gw: {
    processes: ['smsc-gw', 'mo-router', 'keepalived'],
    cpuBase: 10,
    cpuAmp: 30,
    memTotal: 16384,
    memTarget: 0.52,
    memLeak: 0,
    dataTotal: 307200,
  },
};

const OS_CHOICES: readonly (readonly [string, string])[] = [
  ['CentOS Linux', '7.9.2009'],
  ['Kylin Linux Advanced Server', 'V10 (Sword)'],
  ['Red Hat Enterprise Linux Server', '7.6 (Maipo)'],
  ['openEuler', '22.03 LTS SP1'],
];

export const ROOT_TOTAL = 51200;
/** Share of `/data` at which DISK_FULL fires. */
export const DISK_FULL_AT = 0.85;
/** Non-doomed disks never fill past this share. */
const DISK_CAP = 0.8;
/** The last server stops reporting this long before `now` (when there are at least 2 servers). */
export const STOP_BEFORE_NOW = 3 * HOUR;

export interface ServerPlan {
  index: number;
  name: string;
  ip: string;
  role: Role;
  processes: readonly string[];
  os: readonly [string, string];
  cpuBase: number;
  cpuAmp: number;
  memTotal: number;
  memTarget: number;
  memLeakPerDay: number;
  memLeak0: number;
  rootFrac0: number;
  rootRatePerDay: number;
  dataTotal: number;
  dataFrac0: number;
  dataRatePerDay: number;
  /** `/data` fills past DISK_FULL_AT during the window and is never cleaned (an alarm that never recovers). */
  doomed: boolean;
  bootAt: number;
  /** Reports nothing from this instant on (LINK_DOWN, never recovered). */
  stopAt: number | null;
  /** Reports nothing in [from, to), then comes back rebooted (LINK_DOWN raised and recovered). */
  outage: { from: number; to: number } | null;
}

export interface SitePlan {
  seed: number;
  site: string;
  tz: string;
  now: number;
  stepMs: number;
  today: string;
  firstDay: string;
  windowStart: number;
  servers: ServerPlan[];
}

/** What a plan is made from: the simulator's options less the directory, the interval resolved. */
export type PlanInput = Omit<SimOptions, 'dir' | 'intervalMinutes'> & { intervalMinutes: number };

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function wallAt(day: string, hour: number, minute: number, tz: string): number {
  return fromWallClock(
    {
      year: Number(day.slice(0, 4)),
      month: Number(day.slice(4, 6)),
      day: Number(day.slice(6, 8)),
      hour,
      minute,
      second: 0,
    },
    tz,
  );
}

export function planSite(o: PlanInput, today: string): SitePlan {
  const firstDay = addDays(today, -(o.days - 1));
  const windowStart = startOfDay(firstDay, o.tz);
  const siteRng = stream(o.seed, o.site, 'site');
  const net = [intIn(siteRng, 1, 250), intIn(siteRng, 0, 255)];
  const counters: Partial<Record<Role, number>> = {};
  const servers: ServerPlan[] = [];
  for (let i = 0; i < o.servers; i++) {
    const role = ROLE_ORDER[i % ROLE_ORDER.length];
    const n = (counters[role] = (counters[role] ?? 0) + 1);
    const name = `${o.site}-${role}${pad(n)}`;
    const r: Rng = stream(o.seed, o.site, name, 'plan');
    const spec = ROLES[role];
    const scale = uniform(r, 0.85, 1.15);
    const stopped = o.servers >= 2 && i === o.servers - 1;
    const outage = o.servers >= 3 && o.days >= 2 && i === o.servers - 2;
    const yesterday = addDays(today, -1);
    servers.push({
      index: i,
      name,
      ip: `10.${net[0]}.${net[1]}.${11 + i}`,
      role,
      processes: spec.processes,
      os: pick(r, OS_CHOICES),
      cpuBase: spec.cpuBase * scale,
      cpuAmp: spec.cpuAmp * scale,
      memTotal: spec.memTotal,
      memTarget: spec.memTarget + gauss(r) * 0.02,
      memLeakPerDay: spec.memLeak,
      memLeak0: uniform(r, 0, 0.04) * (spec.memLeak > 0 ? 1 : 0),
      rootFrac0: uniform(r, 0.25, 0.55),
      rootRatePerDay: uniform(r, 0.001, 0.004),
      dataTotal: spec.dataTotal,
      dataFrac0: uniform(r, 0.3, 0.65),
      dataRatePerDay: uniform(r, 0.002, 0.006),
      doomed: i === 0,
      bootAt: windowStart - intIn(r, 3, 200) * DAY - intIn(r, 0, 86_399) * 1000,
      stopAt: stopped ? o.now - STOP_BEFORE_NOW : null,
      outage: outage
        ? { from: wallAt(yesterday, 14, 0, o.tz), to: wallAt(yesterday, 15, 30, o.tz) }
        : null,
    });
  }
  return {
    seed: o.seed,
    site: o.site,
    tz: o.tz,
    now: o.now,
    stepMs: o.intervalMinutes * MINUTE,
    today,
    firstDay,
    windowStart,
    servers,
  };
}

/** Share of a disk in use at `t` (before any jitter). */
export function diskShare(plan: SitePlan, s: ServerPlan, mount: '/' | '/data', t: number): number {
  const days = (t - plan.windowStart) / DAY;
  if (mount === '/') return Math.min(DISK_CAP, s.rootFrac0 + s.rootRatePerDay * days);
  if (s.doomed) {
    // Crosses DISK_FULL_AT 60% of the way from the window start to `now`, then keeps filling.
    const span = Math.max(plan.now - plan.windowStart, HOUR);
    return Math.min(0.99, 0.82 + 0.05 * ((t - plan.windowStart) / span));
  }
  return Math.min(DISK_CAP, s.dataFrac0 + s.dataRatePerDay * days);
}

/** Day of the week of a YYYYMMDD day, 0 = Sunday. */
export function weekday(day: string): number {
  return new Date(
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))),
  ).getUTCDay();
}

export const isWeekend = (day: string): boolean => {
  const w = weekday(day);
  return w === 0 || w === 6;
};

const EPOCH_DAY = Date.UTC(2020, 0, 1);
const dayNumber = (day: string) =>
  Math.round(
    (Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8))) -
      EPOCH_DAY) /
      DAY,
  );

/** Subscribers at the end of `day`: a closed form, so any window agrees on every day's figure. */
function totalUsers(seed: number, site: string, day: string): number {
  const r = stream(seed, site, 'business');
  const base = intIn(r, 900_000, 1_600_000);
  const growth = uniform(r, 120, 320);
  const amp = uniform(r, 800, 2500);
  const phase = uniform(r, 0, 2 * Math.PI);
  const n = dayNumber(day);
  return Math.round(base + growth * n + amp * Math.sin((2 * Math.PI * n) / 23 + phase));
}

/** A statistics day's figures: weekends are quieter; total moves by exactly sub − unsub. */
export function businessFigures(seed: number, site: string, day: string): BusinessFigures {
  const total = totalUsers(seed, site, day);
  const net = total - totalUsers(seed, site, addDays(day, -1));
  const r = stream(seed, site, 'business', day);
  const w = isWeekend(day) ? uniform(r, 0.55, 0.68) : uniform(r, 0.95, 1.08);
  const churn = Math.round(total * 0.0018 * w * uniform(r, 0.85, 1.15));
  const sub = churn + Math.max(net, 0);
  const unsub = churn + Math.max(-net, 0);
  const calls = Math.round(total * 0.32 * w * uniform(r, 0.9, 1.1));
  const shows = Math.round(calls * uniform(r, 1.7, 2.3));
  const mo = Math.round(total * 0.075 * w * uniform(r, 0.9, 1.1));
  const mt = Math.round(mo * uniform(r, 2.6, 3.4) + shows * 0.05);
  return { sub, unsub, total, calls, shows, mo, mt };
}

/** When the figures for the day before `fileDay` are written: 01:00–01:59:59 of `fileDay`. */
export function businessRecordTime(seed: number, site: string, fileDay: string, tz: string) {
  const r = stream(seed, site, 'business-at', fileDay);
  return wallAt(fileDay, 1, intIn(r, 0, 59), tz) + intIn(r, 0, 59) * 1000;
}
