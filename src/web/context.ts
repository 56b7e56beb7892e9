// What every portal route gets: dependencies, the signed-in user, page rendering and the site access rule.
import type { AlarmDict } from '../../config/alarm-dict';
import type {} from '@fastify/cookie';
import type {} from '@fastify/csrf-protection';
import type {} from '@fastify/session';
import type {} from '@fastify/view';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema';
import type { Site } from '../../entities';
import { SitewatchError } from '../errors';
import type { Logger } from '../log';
import { visibleSite } from '../queries';
import { type Messages, type WebLang, translator } from './i18n';

export interface WebUser {
  id: number;
  login: string;
  displayName: string;
  role: 'admin' | 'operator';
}

declare module 'fastify' {
  interface Session {
    user?: WebUser;
  }
}

export interface WebDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  now: () => number;
  /** The alarm dictionary (built-in entries plus the configured file), loaded once by the hub. */
  dict: AlarmDict;
  /** Put a failed notification back in the queue and send it (admin outbox page). */
  retryNotification?: (id: number) => Promise<boolean>;
}

export const LANG_COOKIE = 'sw_lang';

export function langOf(req: FastifyRequest, deps: WebDeps): WebLang {
  const c = req.cookies?.[LANG_COOKIE];
  return c === 'en' || c === 'zh' ? c : deps.config.web.lang;
}

/** The signed-in user; routes behind requireUser may rely on it. */
export function userOf(req: FastifyRequest): WebUser {
  const u = req.session.get('user');
  if (!u) throw new SitewatchError('USAGE', 'not signed in');
  return u;
}

/** API requests answer JSON; pages answer HTML. */
export const isApi = (req: FastifyRequest) => req.url.startsWith('/api/');

/**
 * The site `code` if the user may see it. Another user's site answers exactly like a site that
 * does not exist: 404, same body.
 */
export async function siteFor(req: FastifyRequest, deps: WebDeps, code: string): Promise<Site> {
  const user = userOf(req);
  const site = await visibleSite(deps.ds, { userId: user.id, role: user.role }, code);
  if (!site) throw new SitewatchError('NOT_FOUND', `No site "${code}".`);
  return site;
}

/** Render `template` inside the layout with the common page data (user, texts, CSRF token, language). */
export async function renderPage(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: WebDeps,
  template: string,
  data: Record<string, unknown>,
  messages: Messages[] = [],
): Promise<FastifyReply> {
  const lang = langOf(req, deps);
  const user = req.session.get('user') ?? null;
  const t = translator(lang, ...messages);
  // Pages show per-user data: never cached, so Back after logout cannot show them again.
  reply.header('cache-control', 'no-store');
  return reply.view(template, {
    ...data,
    t,
    lang,
    user,
    csrfToken: await reply.generateCsrf(),
    path: req.url,
  });
}
