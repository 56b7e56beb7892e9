// Administration of users: list, create, reset a password, assign sites, notification settings, WeChat bind codes.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { In, type DataSource } from 'typeorm';
import { z } from 'zod';
import { Site, User, WechatBinding } from '../../../entities';
import { createBindCode } from '../../admin/bind-codes';
import { listSites } from '../../admin/sites';
import {
  addUser,
  endUserSessions,
  listUsers,
  setNotifySettings,
  setPassword,
  setUserSites,
} from '../../admin/users';
import { SitewatchError } from '../../errors';
import { type WebDeps, renderPage, userOf } from '../context';
import { requireAdmin } from '../guards';
import { redirectLocal } from '../redirect';
import {
  adminAction,
  adminMessages,
  doneOf,
  flag,
  formatAt,
  optionalText,
  parseBody,
  redirectDone,
  stringList,
} from './admin';
import type { WebRoute } from './types';

/** The portal asks more of a password than the CLI's minimum. */
const password = z.string().min(10, 'must be at least 10 characters').max(1024);

const createBody = z.object({
  login: z.string().trim().min(1).max(64),
  name: optionalText.optional(),
  email: optionalText.optional(),
  role: z.enum(['admin', 'operator']).default('operator'),
  sites: stringList,
  password,
});

const passwordBody = z.object({ password });
const sitesBody = z.object({ sites: stringList });
const notifyBody = z.object({
  notifyEmail: flag.optional(),
  notifyWechat: flag.optional(),
  reportEmail: flag.optional(),
  email: optionalText.optional(),
});

export interface UserJson {
  login: string;
  name: string;
  role: 'admin' | 'operator';
  email: string | null;
  sites: string[];
  notifyEmail: boolean;
  notifyWechat: boolean;
  reportEmail: boolean;
  wechatBound: boolean;
  wechatContact: string | null;
  createdAt: number;
}

function userJson(u: User, binding: WechatBinding | undefined): UserJson {
  return {
    login: u.login,
    name: u.displayName,
    role: u.role,
    email: u.email,
    sites: (u.sites ?? []).map((s) => s.code).sort(),
    notifyEmail: u.notifyEmail,
    notifyWechat: u.notifyWechat,
    reportEmail: u.reportEmail,
    wechatBound: binding !== undefined,
    wechatContact: binding?.contactName ?? null,
    createdAt: u.createdAt,
  };
}

async function loadUsers(ds: DataSource): Promise<UserJson[]> {
  const users = await listUsers(ds);
  const bindings = new Map(
    (await ds.getRepository(WechatBinding).find({ where: { transport: 'wechat' } })).map((b) => [
      b.userId,
      b,
    ]),
  );
  return users.map((u) => userJson(u, bindings.get(u.id)));
}

async function loadUser(ds: DataSource, login: string): Promise<UserJson> {
  const u = await ds.getRepository(User).findOne({ where: { login }, relations: { sites: true } });
  if (!u) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
  const b = await ds
    .getRepository(WechatBinding)
    .findOne({ where: { transport: 'wechat', userId: u.id } });
  return userJson(u, b ?? undefined);
}

/** The sites named by `codes`, or a USAGE error naming the unknown ones (a form value, not a URL). */
async function sitesByCode(ds: DataSource, codes: string[]): Promise<Site[]> {
  const unique = [...new Set(codes)];
  const sites = unique.length
    ? await ds.getRepository(Site).find({ where: { code: In(unique) } })
    : [];
  const unknown = unique.filter((c) => !sites.some((s) => s.code === c));
  if (unknown.length > 0)
    throw new SitewatchError('USAGE', `sites: no site ${unknown.map((c) => `"${c}"`).join(', ')}`);
  return sites;
}

async function setSitesOf(ds: DataSource, login: string, codes: string[]): Promise<void> {
  const user = await ds.getRepository(User).findOne({ where: { login } });
  if (!user) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
  const sites = await sitesByCode(ds, codes);
  await setUserSites(
    ds,
    user.id,
    sites.map((s) => s.id),
  );
}

const loginOf = (req: FastifyRequest) => (req.params as { login: string }).login;

export const adminUsersRoutes: WebRoute = {
  name: 'admin-users',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireAdmin);
    const { ds } = deps;
    const tz = deps.config.timezone;
    const allSites = async () => (await listSites(ds)).map((s) => ({ code: s.code, name: s.name }));

    const listPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      extra: { formError?: string; form?: Record<string, unknown> } = {},
    ) =>
      renderPage(
        req,
        reply,
        deps,
        'admin-users.eta',
        {
          title: null,
          nav: 'admin',
          section: 'users',
          users: await loadUsers(ds),
          sites: await allSites(),
          done: doneOf(req),
          formError: extra.formError ?? null,
          form: extra.form ?? {},
        },
        [adminMessages],
      );

    const userPage = async (
      req: FastifyRequest,
      reply: FastifyReply,
      extra: {
        formError?: string;
        errorIn?: string;
        bind?: { code: string; expiresAt: number };
      } = {},
    ) => {
      const user = await loadUser(ds, loginOf(req));
      return renderPage(
        req,
        reply,
        deps,
        'admin-user.eta',
        {
          title: user.login,
          nav: 'admin',
          section: 'users',
          u: user,
          sites: await allSites(),
          done: doneOf(req),
          formError: extra.formError ?? null,
          errorIn: extra.errorIn ?? null,
          bind: extra.bind
            ? { code: extra.bind.code, expiresText: formatAt(extra.bind.expiresAt, tz) }
            : null,
        },
        [adminMessages],
      );
    };

    app.get('/admin', async (_req, reply) => redirectLocal(reply, '/admin/users'));
    app.get('/admin/users', async (req, reply) => listPage(req, reply));
    app.get('/api/admin/users', async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { users: await loadUsers(ds) };
    });
    app.get('/admin/users/:login', async (req, reply) => userPage(req, reply));
    app.get('/api/admin/users/:login', async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return { user: await loadUser(ds, loginOf(req)) };
    });

    adminAction(app, {
      path: '/users',
      async run(req) {
        const b = parseBody(createBody, req.body);
        await sitesByCode(ds, b.sites);
        const u = await addUser(
          ds,
          {
            login: b.login,
            password: b.password,
            displayName: b.name ?? undefined,
            email: b.email ?? null,
            role: b.role,
            sites: b.sites,
          },
          deps.now(),
        );
        req.log.info({ admin: userOf(req).login, user: u.login, role: u.role }, 'user created');
        return u.login;
      },
      json: async (login) => ({ user: await loadUser(ds, login) }),
      done: (_req, reply) => redirectDone(reply, '/admin/users', 'userCreated'),
      failed: (req, reply, message) => {
        // The form comes back filled in, except the password.
        const { login, name, email, role, sites } = (req.body ?? {}) as Record<string, unknown>;
        return listPage(req, reply, {
          formError: message,
          form: { login, name, email, role, sites },
        });
      },
    });

    adminAction(app, {
      path: '/users/:login/password',
      async run(req) {
        const b = parseBody(passwordBody, req.body);
        await setPassword(ds, loginOf(req), b.password);
        const user = await ds.getRepository(User).findOneByOrFail({ login: loginOf(req) });
        // A stolen session is worthless after the reset; the admin's own one stays.
        const ended = await endUserSessions(ds, user.id, req.session.sessionId);
        req.log.info({ admin: userOf(req).login, user: user.login, ended }, 'password reset');
        return loginOf(req);
      },
      json: () => ({ ok: true }),
      done: (req, reply) =>
        redirectDone(reply, `/admin/users/${encodeURIComponent(loginOf(req))}`, 'passwordReset'),
      failed: (req, reply, message) =>
        userPage(req, reply, { formError: message, errorIn: 'password' }),
    });

    adminAction(app, {
      path: '/users/:login/sites',
      async run(req) {
        const b = parseBody(sitesBody, req.body);
        await setSitesOf(ds, loginOf(req), b.sites);
        req.log.info(
          { admin: userOf(req).login, user: loginOf(req), sites: b.sites },
          'user sites set',
        );
        return loginOf(req);
      },
      json: async (login) => ({ user: await loadUser(ds, login) }),
      done: (req, reply) =>
        redirectDone(reply, `/admin/users/${encodeURIComponent(loginOf(req))}`, 'sitesSaved'),
      failed: (req, reply, message) =>
        userPage(req, reply, { formError: message, errorIn: 'sites' }),
    });

    adminAction(app, {
      path: '/users/:login/notify',
      async run(req, form) {
        const body = { ...((req.body ?? {}) as Record<string, unknown>) };
        // An unticked checkbox is simply absent from a form: off. In JSON, absent means unchanged.
        if (form)
          for (const k of ['notifyEmail', 'notifyWechat', 'reportEmail'])
            body[k] = body[k] ?? false;
        const b = parseBody(notifyBody, body);
        await setNotifySettings(ds, loginOf(req), b);
        req.log.info({ admin: userOf(req).login, user: loginOf(req) }, 'user notifications set');
        return loginOf(req);
      },
      json: async (login) => ({ user: await loadUser(ds, login) }),
      done: (req, reply) =>
        redirectDone(reply, `/admin/users/${encodeURIComponent(loginOf(req))}`, 'notifySaved'),
      failed: (req, reply, message) =>
        userPage(req, reply, { formError: message, errorIn: 'notify' }),
    });

    adminAction(app, {
      path: '/users/:login/bind-code',
      async run(req) {
        const code = await createBindCode(ds, loginOf(req), deps.now());
        req.log.info({ admin: userOf(req).login, user: loginOf(req) }, 'bind code created');
        return code;
      },
      json: (c) => ({
        code: c.code,
        expiresAt: c.expiresAt,
        expiresText: formatAt(c.expiresAt, tz),
      }),
      // Shown once, on this answer only: never in a URL, never stored in clear.
      done: (req, reply, c) => userPage(req, reply, { bind: c }),
      failed: (req, reply, message) =>
        userPage(req, reply, { formError: message, errorIn: 'bind' }),
    });
  },
};
