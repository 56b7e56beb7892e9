// What the answers share: figure keys of the intents' figures, a time's days, instants and label (src/nlu/time's timeLabel), the request's sites and server by code or id, refusals.
import type { Site } from '../../entities';
import { timeLabel } from '../../src/nlu/time';
import type { Figure, IntentKind, TimeSpec } from '../../src/nlu/types';
import { FIGURE_KEYS, type FigureKey, serverOf, type ServerRef } from '../../src/queries';
import { addDays, isoDay, startOfDay } from '../../src/time';
import { requestSites, siteList } from '../access';
import { loggedText } from '../log-text';
import { text } from '../reply';
import type { CommandContext, Reply } from '../types';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** The read models' key of each figure an intent names. */
export const FIGURE_KEY: Record<Figure, FigureKey> = {
  opens: 'sub',
  closes: 'unsub',
  totalUsers: 'total',
  calls: 'calls',
  pushes: 'shows',
  mo: 'mo',
  mt: 'mt',
};

/** The keys of the requested figures in the commands' order; every figure when none is named. */
export function figureKeys(figures: readonly Figure[]): FigureKey[] {
  const wanted = new Set(figures.map((f) => FIGURE_KEY[f]).filter(Boolean));
  return FIGURE_KEYS.filter((k) => wanted.size === 0 || wanted.has(k));
}

/** Log a refused question (who, where, what was asked, which intent) and return the reply. */
export function refuseQuestion(
  ctx: CommandContext,
  kind: IntentKind,
  reason: string,
  message: string,
): Reply[] {
  ctx.deps.log.warn(
    {
      login: ctx.caller.login,
      room: ctx.room?.topic ?? null,
      text: loggedText(ctx.args),
      intent: kind,
      reason,
    },
    'question refused',
  );
  return [text(message)];
}

/** The days (YYYY-MM-DD, inclusive, in `tz`) a time covers. */
export function daysOf(t: TimeSpec, tz: string): { from: string; to: string } {
  if (t.kind === 'day') return { from: t.day, to: t.day };
  if (t.kind === 'days') return t.from <= t.to ? t : { from: t.to, to: t.from };
  const last = Math.max(t.fromMs, t.toMs - 1);
  return { from: isoDay(t.fromMs, tz), to: isoDay(last, tz) };
}

/** The instants [fromMs, toMs) a time covers: days from the first midnight (in `tz`) to the one after the last. */
export function instantsOf(t: TimeSpec, tz: string): { fromMs: number; toMs: number } {
  if (t.kind === 'hours') return { fromMs: t.fromMs, toMs: t.toMs };
  const { from, to } = daysOf(t, tz);
  return { fromMs: midnight(from, tz), toMs: midnight(addDays(to, 1), tz) };
}

/** The instant a day (YYYY-MM-DD) starts in `tz`. */
export function midnight(day: string, tz: string): number {
  return startOfDay(day.replace(/-/g, ''), tz);
}

/** Days from `from` to `to` (YYYY-MM-DD), both counted. */
export function dayCount(from: string, to: string): number {
  const utc = (d: string) => Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10));
  return Math.round((utc(to) - utc(from)) / DAY_MS) + 1;
}

/** Days as people read them (timeLabel): '2026-11-24', '2026-11-20 至 2026-11-24'. */
export function daysText(from: string, to: string): string {
  return timeLabel({ kind: 'days', from, to }, 'UTC');
}

/** A time as the answers name it (timeLabel): its days (earliest first), or '11-25 08:00 至 12:00'. */
export function timeText(t: TimeSpec, tz: string): string {
  return t.kind === 'days' ? timeLabel({ kind: 'days', ...daysOf(t, tz) }, tz) : timeLabel(t, tz);
}

/** Yesterday (YYYY-MM-DD) in `tz` at `now`: the default day of the figures. */
export function yesterday(now: number, tz: string): string {
  return addDays(isoDay(now, tz), -1);
}

/**
 * Days from..to without figures among `days`. Days after yesterday (in `tz` at `now`) have no
 * figures yet, so they are not missing.
 */
export function missingDays(
  days: readonly { date: string }[],
  from: string,
  to: string,
  now: number,
  tz: string,
): number {
  const y = yesterday(now, tz);
  const last = to < y ? to : y;
  if (last < from) return 0;
  return dayCount(from, last) - days.filter((d) => d.date >= from && d.date <= last).length;
}

/** The zone of a group of sites: theirs when they share one, else the hub's. */
export function zoneOf(sites: readonly Site[], ctx: CommandContext): string {
  const zones = new Set(sites.map((s) => s.timezone ?? ctx.deps.config.timezone));
  return zones.size === 1 ? [...zones][0] : ctx.deps.config.timezone;
}

export type PickedSites = { ok: true; sites: Site[] } | { ok: false; replies: Reply[] };

export interface PickOptions {
  /** No site named: 'all' the request's sites (at most `cap`), or the 'one' site it may see. */
  none: 'all' | 'one';
  /** At most this many sites when none is named (default: no limit). */
  cap?: number;
  /** Said when the request may see no site at all (default '您/本群没有可查询的局点。'). */
  noSites?: string;
}

/**
 * The sites an intent names (site codes, case-insensitive) among the request's sites, in the order
 * named. A code the caller may not see is answered exactly like one that does not exist, as
 * resolveSite answers it.
 */
export async function pickSites(
  ctx: CommandContext,
  kind: IntentKind,
  codes: readonly string[],
  opts: PickOptions,
): Promise<PickedSites> {
  const pool = await requestSites(ctx);
  const where = ctx.room ? '本群' : '您';
  if (pool.length === 0) {
    return {
      ok: false,
      replies: refuseQuestion(ctx, kind, 'no sites', opts.noSites ?? `${where}没有可查询的局点。`),
    };
  }
  if (codes.length > 0) {
    const byCode = new Map(pool.map((s) => [s.code.toLowerCase(), s]));
    const sites: Site[] = [];
    for (const code of codes) {
      const site = byCode.get(String(code).toLowerCase());
      if (!site) {
        return {
          ok: false,
          replies: refuseQuestion(
            ctx,
            kind,
            'unknown site',
            `没有找到该局点。${where}可查询的局点：${siteList(pool)}`,
          ),
        };
      }
      if (!sites.includes(site)) sites.push(site);
    }
    return { ok: true, sites };
  }
  if (opts.none === 'one' ? pool.length === 1 : pool.length <= (opts.cap ?? Infinity)) {
    return { ok: true, sites: pool };
  }
  return {
    ok: false,
    replies: refuseQuestion(
      ctx,
      kind,
      'site missing',
      `请说明是哪个局点。${where}可查询的局点：${siteList(pool)}`,
    ),
  };
}

export type PickedServer =
  { ok: true; server: ServerRef; site: Site } | { ok: false; replies: Reply[] };

/** The server an intent names (its id) if it belongs to the request's sites; else answered like a nonexistent one. */
export async function pickServer(
  ctx: CommandContext,
  kind: IntentKind,
  serverId: number,
): Promise<PickedServer> {
  const sites = await requestSites(ctx);
  const server = await serverOf(
    ctx.deps.ds,
    sites.map((s) => s.id),
    serverId,
  );
  const site = server ? sites.find((s) => s.id === server.siteId) : undefined;
  if (!server || !site) {
    return {
      ok: false,
      replies: refuseQuestion(ctx, kind, 'unknown server', '没有找到该服务器。'),
    };
  }
  return { ok: true, server, site };
}
