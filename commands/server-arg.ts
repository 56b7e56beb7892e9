// Resolving a server argument (full name, IP, or an unambiguous part of the name) among the servers of the sites visible to a request, and the hours argument.
import type { Site } from '../entities';
import { findServers, type ServerRef } from '../src/queries';
import { refuse, requestSites } from './access';
import { splitTrailingWhole } from './numbers';
import type { CommandContext, Reply } from './types';

export const HOURS_DEFAULT = 24;
export const HOURS_MAX = 720;

export type ResolvedServer =
  { ok: true; server: ServerRef; site: Site; hours: number } | { ok: false; replies: Reply[] };

/**
 * Parse '<server> [hours]' and find the server among the request's sites (findServers: full name
 * or IP, else a part of the name such as 'bj-app01' for 'BJ-CMCC-app01'). Several matches are
 * answered with the candidates; servers of other sites are never mentioned, so a server the
 * caller may not see is answered exactly like one that does not exist.
 */
export async function resolveServer(
  ctx: CommandContext,
  command: string,
  withHours: boolean,
): Promise<ResolvedServer> {
  let term = ctx.args.trim();
  let hours = HOURS_DEFAULT;
  if (withHours) {
    const { rest, n } = splitTrailingWhole(term, 1, HOURS_MAX);
    if (n !== undefined && rest !== '') {
      if (n === 'bad') {
        return {
          ok: false,
          replies: refuse(ctx, command, 'bad hours', `小时数应为 1 到 ${HOURS_MAX} 之间的整数。`),
        };
      }
      hours = n;
      term = rest;
    }
  }
  if (term === '') {
    return {
      ok: false,
      replies: refuse(
        ctx,
        command,
        'server missing',
        `请写服务器名称或 IP，例如：${command} app01`,
      ),
    };
  }
  const sites = await requestSites(ctx);
  const found = await findServers(
    ctx.deps.ds,
    sites.map((s) => s.id),
    term,
  );
  const byId = new Map(sites.map((s) => [s.id, s]));
  if (found.length === 1) {
    return { ok: true, server: found[0], site: byId.get(found[0].siteId)!, hours };
  }
  if (found.length === 0) {
    return {
      ok: false,
      replies: refuse(ctx, command, 'unknown server', `没有找到该服务器。`),
    };
  }
  const shown = found.slice(0, 10).map((s) => `${s.name}（${s.ip}，${byId.get(s.siteId)!.name}）`);
  const more = found.length > 10 ? ` 等 ${found.length} 台` : '';
  return {
    ok: false,
    replies: refuse(
      ctx,
      command,
      'ambiguous server',
      `“${term}”对应多台服务器：${shown.join('、')}${more}，请写完整名称或 IP。`,
    ),
  };
}
