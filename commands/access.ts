// Which sites a command may talk about, and resolving a site argument (code, name, or an unambiguous part of either).
import type { Site } from '../entities';
import { siteItem } from '../src/present/format';
import { visibleSites } from '../src/queries';
import { loggedText } from './log-text';
import { text } from './reply';
import type { CommandContext, Reply } from './types';

/** Log a refused request (who, where, what) and return the reply to send. */
export function refuse(
  ctx: CommandContext,
  command: string,
  reason: string,
  message: string,
): Reply[] {
  ctx.deps.log.warn(
    {
      login: ctx.caller.login,
      room: ctx.room?.topic ?? null,
      text: loggedText(ctx.args ? `${command} ${ctx.args}` : command),
      reason,
    },
    'command refused',
  );
  return [text(message)];
}

/**
 * Sites this request may see: the caller's sites (admins: all enabled sites); in a room only
 * those the room subscribes to.
 */
export async function requestSites(ctx: CommandContext): Promise<Site[]> {
  const mine = await visibleSites(ctx.deps.ds, ctx.caller);
  if (!ctx.room) return mine;
  const allowed = new Set(ctx.room.siteIds);
  return mine.filter((s) => allowed.has(s.id));
}

/** The list of sites for a hint: 'BJ01 北京一号、SH01 上海' or a plain sentence when none. */
export function siteList(sites: readonly Site[]): string {
  return sites.length === 0 ? '（无）' : sites.map(siteItem).join('、');
}

export type Resolved = { ok: true; site: Site } | { ok: false; replies: Reply[] };

/**
 * Match `arg` against `sites` (case-insensitive): an exact code or name first, else the sites
 * whose code or name contains it. Sites outside `sites` are never mentioned, so a site the
 * caller may not see is answered exactly like one that does not exist.
 */
export function matchSites(sites: readonly Site[], arg: string): Site[] {
  const a = arg.trim().toLowerCase();
  if (a === '') return [];
  const exact = sites.filter((s) => s.code.toLowerCase() === a || s.name.toLowerCase() === a);
  if (exact.length > 0) return exact;
  return sites.filter((s) => s.code.toLowerCase().includes(a) || s.name.toLowerCase().includes(a));
}

/**
 * Resolve a site argument among `sites` (default: the request's sites). With no argument the
 * only visible site is taken. Failures are logged as refusals and come back as replies.
 */
export async function resolveSite(
  ctx: CommandContext,
  command: string,
  arg: string,
  sites?: readonly Site[],
): Promise<Resolved> {
  const pool = sites ?? (await requestSites(ctx));
  const where = ctx.room ? '本群' : '您';
  if (arg.trim() === '') {
    if (pool.length === 1) return { ok: true, site: pool[0] };
    if (pool.length === 0) {
      return {
        ok: false,
        replies: refuse(ctx, command, 'no sites', `${where}没有可查询的局点。`),
      };
    }
    return {
      ok: false,
      replies: refuse(
        ctx,
        command,
        'site missing',
        `请指定局点，例如：${command} ${pool[0].code}\n可查询的局点：${siteList(pool)}`,
      ),
    };
  }
  const found = matchSites(pool, arg);
  if (found.length === 1) return { ok: true, site: found[0] };
  if (found.length > 1) {
    return {
      ok: false,
      replies: refuse(
        ctx,
        command,
        'ambiguous site',
        `“${arg}”对应多个局点：${siteList(found)}，请说得更具体些。`,
      ),
    };
  }
  return {
    ok: false,
    replies: refuse(
      ctx,
      command,
      'unknown site',
      `没有找到该局点。${where}可查询的局点：${siteList(pool)}`,
    ),
  };
}
