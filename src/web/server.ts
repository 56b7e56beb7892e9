// The web portal: Fastify with its maintained plugins (helmet, cookie, session, CSRF, rate limit, form body, static, view).
import { randomBytes } from 'node:crypto';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import path from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import session from '@fastify/session';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import { describeError, SitewatchError } from '../errors';
import { bundledFontPaths } from '../render/fonts';
import { projectRoot } from '../workers/worker-file';
import { type WebDeps, isApi, langOf } from './context';
import { translator } from './i18n';
import { createLoginLimitStore, loginLimitStoreCtor } from './login-limit-store';
import { createSessionStore } from './session-store';
import { webRoutes } from './routes';

export const SESSION_COOKIE = 'sw_sid';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function webDir(...parts: string[]): string {
  return path.join(projectRoot(), 'src', 'web', ...parts);
}

/** The status and plain message a failure shows to the user: never a stack trace. */
function publicError(err: FastifyError | SitewatchError): {
  status: number;
  key: string;
  message: string;
} {
  if (err instanceof SitewatchError) {
    if (err.code === 'NOT_FOUND') return { status: 404, key: 'notFound', message: '' };
    if (err.code === 'USAGE' || err.code === 'CONFLICT')
      return { status: err.code === 'USAGE' ? 400 : 409, key: 'badRequest', message: err.message };
    return { status: 500, key: 'serverError', message: '' };
  }
  const code = (err as FastifyError).code ?? '';
  const status = (err as FastifyError).statusCode ?? 500;
  if (code.startsWith('FST_CSRF')) return { status: 403, key: 'csrf', message: '' };
  if (status === 403) return { status, key: 'forbidden', message: '' };
  if (status === 429) return { status, key: 'loginThrottled', message: '' };
  if (status >= 400 && status < 500) return { status, key: 'badRequest', message: err.message };
  return { status: 500, key: 'serverError', message: '' };
}

/** The names of headers Node would refuse to write ('location: /北'): writeHead would throw. */
function invalidHeaders(headers: Record<string, unknown>): string[] {
  const bad: string[] = [];
  for (const [name, value] of Object.entries(headers)) {
    try {
      validateHeaderName(name);
      for (const v of Array.isArray(value) ? value : [value]) validateHeaderValue(name, v);
    } catch {
      bad.push(name);
    }
  }
  return bad;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function createWebServer(deps: WebDeps): Promise<FastifyInstance> {
  const { config, log } = deps;
  const web = config.web;
  const app = Fastify({
    loggerInstance: log.child({ component: 'web' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: web.trustProxy,
    bodyLimit: 256 * 1024,
  });
  let secret = web.sessionSecret;
  if (!secret) {
    secret = randomBytes(32).toString('hex');
    log.warn(
      'web.sessionSecret is not set: a random one is used, so sessions end when the hub restarts',
    );
  }
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // ECharts positions its tooltip with inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'self'"],
        // Portals on a LAN address are often plain http: upgrading their requests would break every page.
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(cookie);
  await app.register(session, {
    secret,
    cookieName: SESSION_COOKIE,
    store: createSessionStore({
      ds: deps.ds,
      idleMs: web.idleMinutes * 60_000,
      now: deps.now,
      onCallbackThrew: (err) =>
        app.log.error({ err: describeError(err) }, 'web session store callback threw'),
    }),
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      // Secure when the request came over HTTPS (directly, or through a trusted proxy).
      secure: 'auto',
      path: '/',
      maxAge: web.idleMinutes * 60_000,
    },
  });
  // After the session's own onSend, which may resume from a database callback: a header Node would
  // refuse is dropped here and the request gets the error page. Left to writeHead, the throw would
  // escape from that callback, and the process would end.
  app.addHook('onSend', (_req, reply, _payload, done) => {
    const bad = invalidHeaders(reply.getHeaders());
    if (!bad.length) return done();
    for (const name of bad) reply.removeHeader(name);
    done(
      Object.assign(new Error(`invalid response header: ${bad.join(', ')}`), {
        statusCode: 500,
        code: 'SW_INVALID_HEADER',
      }),
    );
  });
  await app.register(csrf, {
    sessionPlugin: '@fastify/session',
    getToken: (req) => {
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string') return header;
      const body = req.body as { _csrf?: unknown } | undefined;
      return typeof body?._csrf === 'string' ? body._csrf : undefined;
    },
  });
  await app.register(formbody);
  // Counted in the database: with several hubs behind one address, the limit is still the limit.
  await app.register(rateLimit, {
    global: false,
    store: loginLimitStoreCtor(
      createLoginLimitStore(deps.ds, deps.now, (err) =>
        app.log.error({ err: describeError(err) }, 'web login limit callback threw'),
      ),
    ),
  });
  await app.register(view, {
    engine: { eta: new Eta({ autoEscape: true, autoTrim: false, cache: true }) },
    templates: webDir('views'),
  });
  await app.register(fastifyStatic, {
    root: webDir('static'),
    prefix: '/static/',
    index: false,
    list: false,
    maxAge: '1h',
  });
  // Browsers ask for /favicon.ico by themselves wherever no page names an icon (the layout names
  // /static/favicon.svg): the same icon, so that no request of theirs logs a 404.
  app.get('/favicon.ico', (_req, reply) => reply.sendFile('favicon.ico'));
  await app.register(fastifyStatic, {
    root: path.join(projectRoot(), 'node_modules', 'echarts', 'dist'),
    prefix: '/static/vendor/',
    decorateReply: false,
    index: false,
    list: false,
    allowedPath: (p) => p === '/echarts.min.js',
    maxAge: '1d',
  });
  // The charts' bundled Noto Sans SC, for browsers without a Chinese font of their own (app.css
  // tries the local ones first); without it Chinese labels would show as empty boxes.
  const font = path.parse(bundledFontPaths().regular);
  await app.register(fastifyStatic, {
    root: font.dir,
    prefix: '/static/fonts/',
    decorateReply: false,
    index: false,
    list: false,
    allowedPath: (p) => p === `/${font.base}`,
    maxAge: '30d',
    immutable: true,
  });

  // Every state-changing request carries the session's CSRF token (form field or X-CSRF-Token header).
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE_METHODS.has(req.method)) return done();
    app.csrfProtection(req, reply, done);
  });

  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    const e = publicError(err);
    if (e.status >= 500)
      req.log.error({ err: describeError(err), url: req.routeOptions.url }, 'web request failed');
    const t = translator(langOf(req, deps));
    const message = t(e.key, { message: e.message });
    // A redirect that failed must not lead anywhere from the error page.
    reply.removeHeader('location');
    reply.status(e.status).header('cache-control', 'no-store');
    if (isApi(req)) return reply.send({ error: message });
    const user = req.session?.get('user') ?? null;
    // The layout's logout form needs a valid token; without a session there is nothing to protect.
    let csrfToken = '';
    if (user) {
      try {
        csrfToken = await reply.generateCsrf();
      } catch {
        csrfToken = '';
      }
    }
    reply.type('text/html; charset=utf-8');
    try {
      return await reply.viewAsync('error.eta', {
        t,
        lang: langOf(req, deps),
        user,
        status: e.status,
        message,
        path: req.url,
        csrfToken,
      });
    } catch (viewErr) {
      // Not Fastify's fallback, which would show the template's error message.
      req.log.error({ err: describeError(viewErr) }, 'web error page failed');
      return `<!doctype html><meta charset="utf-8"><h1>${e.status}</h1><p>${escapeHtml(message)}</p>`;
    }
  });
  app.setNotFoundHandler(async (req) => {
    throw new SitewatchError('NOT_FOUND', `No page ${req.url}`);
  });

  for (const r of webRoutes)
    await app.register((scope, _o, done) => {
      r.register(scope, deps);
      done();
    });
  return app;
}
