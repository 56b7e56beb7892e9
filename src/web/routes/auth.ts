// Login and logout: one error for unknown user and wrong password, rate limits per address and account, session id rotated.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { User } from '../../../entities';
import { hashPassword, verifyPassword } from '../../auth/password';
import { type WebDeps, renderPage } from '../context';
import type { WebRoute } from './types';

const loginBody = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
  next: z.string().optional(),
});

/** Only local paths are followed after login: never another site (open redirect). */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  // Browsers drop tabs and newlines from URLs and read a backslash as "/": "/<tab>/evil" would become "//evil".
  for (const ch of next) {
    const c = ch.charCodeAt(0);
    if (c < 0x20 || c === 0x7f || ch === '\\') return '/';
  }
  return next;
}

let dummyHash: Promise<string> | null = null;

export const authRoutes: WebRoute = {
  name: 'auth',
  register(app: FastifyInstance, deps: WebDeps) {
    const perMinute = deps.config.web.loginPerMinute;
    const byAddress = app.createRateLimit({
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => `addr:${req.ip}`,
    });
    const byAccount = app.createRateLimit({
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: (req) => {
        const login = (req.body as { login?: unknown } | undefined)?.login;
        return `acct:${typeof login === 'string' ? login.trim().toLowerCase() : ''}`;
      },
    });
    // Both limits count every attempt. (Two app.rateLimit() hooks on one route would not: the
    // plugin marks the request after the first and skips the second.)
    const limitLogin = async (req: FastifyRequest, reply: FastifyReply) => {
      const limits = [await byAddress(req), await byAccount(req)];
      const hit = limits.find((l) => !l.isAllowed && l.isExceeded);
      if (!hit || hit.isAllowed) return;
      reply.header('retry-after', hit.ttlInSeconds);
      throw Object.assign(new Error('too many login attempts'), {
        statusCode: 429,
        code: 'SW_LOGIN_THROTTLED',
      });
    };

    app.get('/login', async (req, reply) => {
      if (req.session.get('user')) return reply.redirect('/', 303);
      const q = req.query as { next?: string; out?: string };
      return renderPage(req, reply, deps, 'login.eta', {
        next: safeNext(q.next),
        error: null,
        notice: q.out === '1' ? 'loggedOut' : null,
      });
    });

    app.post('/login', { preHandler: limitLogin }, async (req, reply) => {
      const parsed = loginBody.safeParse(req.body);
      const next = safeNext(parsed.success ? parsed.data.next : undefined);
      const fail = () => {
        reply.code(401);
        return renderPage(req, reply, deps, 'login.eta', {
          next,
          error: 'loginFailed',
          notice: null,
        });
      };
      if (!parsed.success) return fail();
      const user = await deps.ds
        .getRepository(User)
        .findOne({ where: { login: parsed.data.login } });
      // An unknown user costs the same scrypt work as a wrong password: the answer and its timing match.
      dummyHash ??= hashPassword('sitewatch-dummy-password');
      const ok = await verifyPassword(
        parsed.data.password,
        user?.passwordHash ?? (await dummyHash),
      );
      if (!user || !ok) {
        req.log.warn({ login: parsed.data.login, ip: req.ip }, 'portal login refused');
        return fail();
      }
      // A new session id at login: an id planted before login is worthless afterwards.
      await req.session.regenerate();
      // Id first: an admin's password reset finds the user's sessions by it (admin-users.ts).
      req.session.set('user', {
        id: user.id,
        login: user.login,
        displayName: user.displayName,
        role: user.role,
      });
      req.log.info({ login: user.login, ip: req.ip }, 'portal login');
      return reply.redirect(next, 303);
    });

    app.post('/logout', async (req, reply) => {
      const login = req.session.get('user')?.login;
      await req.session.destroy();
      if (login) req.log.info({ login }, 'portal logout');
      return reply.redirect('/login?out=1', 303);
    });

    app.get('/lang/:lang', async (req, reply) => {
      const { lang } = req.params as { lang: string };
      if (lang === 'zh' || lang === 'en')
        reply.setCookie('sw_lang', lang, {
          path: '/',
          sameSite: 'lax',
          httpOnly: true,
          maxAge: 365 * 86400,
        });
      const back = safeNext((req.query as { next?: string }).next);
      return reply.redirect(back, 303);
    });
  },
};
