// Login and logout: one error for unknown user and wrong password, rate limits per address and per account, session id rotated.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { User } from '../../../entities';
import { hashPassword, verifyPassword } from '../../auth/password';
import { type WebDeps, renderPage } from '../context';
import { localPath, redirectLocal } from '../redirect';
import type { WebRoute } from './types';

const loginBody = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
  next: z.string().optional(),
});

/** An account's attempts from all addresses together may reach this many times the per-address limit. */
export const ACCOUNT_CEILING_FACTOR = 10;

let dummyHash: Promise<string> | null = null;

export const authRoutes: WebRoute = {
  name: 'auth',
  register(app: FastifyInstance, deps: WebDeps) {
    const perMinute = deps.config.web.loginPerMinute;
    const limiter = (max: number, key: (req: FastifyRequest) => string) =>
      app.createRateLimit({ max, timeWindow: 60_000, keyGenerator: key });
    // Per address, whatever the account: this also caps each account from that address. Per account
    // from all addresses, a higher ceiling: an attacker's wrong passwords from a few addresses do not
    // lock the real user out, but a spread-out guessing attack still stops.
    const limits = [
      limiter(perMinute, (req) => `addr:${req.ip}`),
      limiter(perMinute * ACCOUNT_CEILING_FACTOR, (req) => {
        const login = (req.body as { login?: unknown } | undefined)?.login;
        return `acct:${typeof login === 'string' ? login.trim().toLowerCase() : ''}`;
      }),
    ];
    // Every limit counts every attempt. (Two app.rateLimit() hooks on one route would not: the
    // plugin marks the request after the first and skips the second.)
    const limitLogin = async (req: FastifyRequest, reply: FastifyReply) => {
      let retryAfter: number | null = null;
      for (const limit of limits) {
        const l = await limit(req);
        if (!l.isAllowed && l.isExceeded) retryAfter = Math.max(retryAfter ?? 0, l.ttlInSeconds);
      }
      if (retryAfter === null) return;
      reply.header('retry-after', retryAfter);
      throw Object.assign(new Error('too many login attempts'), {
        statusCode: 429,
        code: 'SW_LOGIN_THROTTLED',
      });
    };

    app.get('/login', async (req, reply) => {
      if (req.session.get('user')) return redirectLocal(reply, '/');
      const q = req.query as { next?: unknown; out?: unknown };
      return renderPage(req, reply, deps, 'login.eta', {
        next: localPath(q.next),
        error: null,
        notice: q.out === '1' ? 'loggedOut' : null,
      });
    });

    app.post('/login', { preHandler: limitLogin }, async (req, reply) => {
      const parsed = loginBody.safeParse(req.body);
      const next = localPath(parsed.success ? parsed.data.next : undefined);
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
      return redirectLocal(reply, next);
    });

    app.post('/logout', async (req, reply) => {
      const login = req.session.get('user')?.login;
      await req.session.destroy();
      if (login) req.log.info({ login }, 'portal logout');
      return redirectLocal(reply, '/login?out=1');
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
      return redirectLocal(reply, (req.query as { next?: unknown }).next);
    });
  },
};
