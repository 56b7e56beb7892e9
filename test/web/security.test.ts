// The portal's security rules of issue 7, each tested: password storage and logs, login limits, cookies, session lifetime, CSRF, headers, errors, redirects.
import { statSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { DataSource } from 'typeorm';
import { User } from '../../entities';
import { verifyPassword } from '../../src/auth/password';
import { createLogger } from '../../src/log';
import { bundledFontPaths } from '../../src/render/fonts';
import { SESSION_COOKIE } from '../../src/web/server';
import { describeEachEngine, resetDb } from '../helpers/db';
import {
  MIN,
  NOW,
  PASSWORD,
  createTestWeb,
  csrfOf,
  login,
  seedPortal,
  sessionCookie,
} from './helpers';

const FORM = 'application/x-www-form-urlencoded';
const CSRF_TEXT = '页面已过期，请刷新后重试。';
const THROTTLED = '尝试次数过多，请稍后再试。';

/** The session id inside a signed session cookie ("sw_sid=<id>.<signature>"). */
function sidOf(cookie: string): string {
  return decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)).split('.')[0];
}

/** The full Set-Cookie line of the session cookie. */
function sessionSetCookie(res: LightMyRequestResponse): string {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const line = list.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!line) throw new Error('no session cookie set');
  return line;
}

const attributes = (setCookie: string) =>
  setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().split('=')[0].toLowerCase());

/** Every route with a state-changing method, from Fastify's route tree, e.g. ['POST', '/admin/users']. */
function stateChangingRoutes(app: FastifyInstance): [string, string][] {
  const out: [string, string][] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│]*)(?:├── |└── )(.+?) \(([^)]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    const path = (depth > 0 ? stack[depth - 1] : '') + m[2];
    stack.push(path);
    for (const method of m[3].split(',').map((s) => s.trim()))
      if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) out.push([method, path]);
  }
  return out;
}

/** A concrete URL for a route pattern: parameters filled with existing things. */
function fill(pattern: string): string {
  const values: Record<string, string> = { code: 'BJ01', login: 'li', id: '1', server: '1' };
  return pattern.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? 'x');
}

/** Marks of a stack trace or of source paths. */
function expectNoTrace(body: string) {
  expect(body).not.toMatch(/\n\s*at \S/);
  expect(body).not.toMatch(/\bat [\w.<>]+ \(/);
  expect(body).not.toContain('.ts:');
  expect(body).not.toContain('.js:');
  expect(body).not.toContain('node_modules');
  expect(body).not.toContain('Error:');
}

/** `ds` whose repositories throw once `broken` is set: a failure deep inside a handler. */
function breakable(ds: DataSource): { ds: DataSource; breakNow: () => void } {
  let broken = false;
  const proxy = new Proxy(ds, {
    get(target, prop, receiver) {
      if (prop === 'getRepository' && broken)
        return () => {
          throw new Error('boom in /work/main/src/secret/place.ts:42');
        };
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { ds: proxy, breakNow: () => (broken = true) };
}

describeEachEngine('web security', (db) => {
  let app: FastifyInstance | null = null;

  beforeEach(async () => {
    await resetDb(db());
    await seedPortal(db().ds);
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  const web = async (o: Parameters<typeof createTestWeb>[1] = {}) => {
    app = await createTestWeb(db().ds, o);
    return app;
  };

  /** GET /login, then POST the form, as a browser at `ip` would; extra headers go on both requests. */
  const attempt = async (
    a: FastifyInstance,
    loginName: string,
    password: string,
    o: { ip?: string; next?: string; headers?: Record<string, string> } = {},
  ) => {
    const form = await a.inject({
      method: 'GET',
      url: '/login',
      remoteAddress: o.ip,
      headers: o.headers,
    });
    const before = sessionCookie(form)!;
    const res = await a.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: o.ip,
      headers: { ...o.headers, cookie: before, 'content-type': FORM },
      payload: new URLSearchParams({
        _csrf: csrfOf(form.body),
        login: loginName,
        password,
        next: o.next ?? '/',
      }).toString(),
    });
    return { form, before, res, after: sessionCookie(res) };
  };

  const signedIn = async (a: FastifyInstance, cookie: string) => {
    const res = await a.inject({ method: 'GET', url: '/api/sites', headers: { cookie } });
    return res.statusCode === 200;
  };

  describe('passwords', () => {
    it('are stored as scrypt hashes', async () => {
      const users = await db()
        .ds.getRepository(User)
        .find({ order: { login: 'ASC' } });
      expect(users.map((u) => u.login)).toEqual(['admin', 'li', 'wang', 'zhou']);
      for (const u of users) {
        expect(u.passwordHash).toMatch(
          /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/,
        );
        expect(u.passwordHash).not.toContain(PASSWORD);
        expect(await verifyPassword(PASSWORD, u.passwordHash)).toBe(true);
        expect(await verifyPassword('password-2', u.passwordHash)).toBe(false);
      }
      // Salted: the same password gives different hashes.
      expect(new Set(users.map((u) => u.passwordHash)).size).toBe(4);
    });

    it('never appear in the logs: wrong, unknown-user, CSRF-less and right logins', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          lines.push(chunk.toString('utf8'));
          cb();
        },
      });
      const a = await web({ deps: { log: createLogger('trace', sink) } });
      const wrong = await attempt(a, 'li', 'Wr0ng-Secret-Pw!');
      expect(wrong.res.statusCode).toBe(401);
      const unknown = await attempt(a, 'nobody', 'An0ther-Secret-Pw');
      expect(unknown.res.statusCode).toBe(401);
      const noToken = await a.inject({
        method: 'POST',
        url: '/login',
        headers: { 'content-type': FORM },
        payload: 'login=li&password=Th1rd-Secret-Pw',
      });
      expect(noToken.statusCode).toBe(403);
      const right = await attempt(a, 'li', PASSWORD);
      expect(right.res.statusCode).toBe(303);
      const log = lines.join('');
      // The stream did capture the logins, so its silence about passwords means something.
      expect(log).toContain('"msg":"portal login refused"');
      expect(log).toContain('"login":"nobody"');
      expect(log).toContain('"msg":"portal login"');
      for (const secret of ['Wr0ng-Secret-Pw!', 'An0ther-Secret-Pw', 'Th1rd-Secret-Pw', PASSWORD])
        expect(log).not.toContain(secret);
    });
  });

  describe('login', () => {
    it('answers an unknown user exactly like a wrong password', async () => {
      const a = await web();
      const wrong = await attempt(a, 'li', 'not-the-password');
      const unknown = await attempt(a, 'no-such-user', 'not-the-password');
      expect(wrong.res.statusCode).toBe(401);
      expect(unknown.res.statusCode).toBe(401);
      // Only the per-render CSRF token differs.
      const norm = (b: string) => b.split(csrfOf(b)).join('TOKEN');
      expect(norm(unknown.res.body)).toBe(norm(wrong.res.body));
      expect(wrong.res.body).toContain('<p class="error" role="alert">用户名或密码错误。</p>');
      // Neither signs in: the pre-login session stays as it was.
      for (const r of [wrong, unknown]) {
        expect(r.after === null || sidOf(r.after) === sidOf(r.before)).toBe(true);
        expect(await signedIn(a, r.before)).toBe(false);
      }
    });

    it('does not let wrong passwords from one address lock the account out from another', async () => {
      const a = await web({ web: { loginPerMinute: 3 } });
      for (const name of ['li', 'LI', ' li ']) {
        const r = await attempt(a, name, 'wrong-password', { ip: '10.9.1.1' });
        expect([name, r.res.statusCode]).toEqual([name, 401]);
      }
      // The attacker's address is refused, even with the right password.
      const fourth = await attempt(a, 'li', PASSWORD, { ip: '10.9.1.1' });
      expect(fourth.res.statusCode).toBe(429);
      expect(fourth.res.headers['retry-after']).toBe('60');
      expect(fourth.res.body).toContain(THROTTLED);
      expect(fourth.after === null || !(await signedIn(a, fourth.after))).toBe(true);
      expect(await signedIn(a, fourth.before)).toBe(false);
      // The real user, at another address, signs in.
      const user = await attempt(a, 'li', PASSWORD, { ip: '10.9.1.2' });
      expect(user.res.statusCode).toBe(303);
      expect(await signedIn(a, user.after!)).toBe(true);
    });

    it('is rate-limited per account across all addresses at 10 × loginPerMinute', async () => {
      let clock = NOW;
      const a = await web({ now: () => clock, web: { loginPerMinute: 3 } });
      // One wrong password from each of 30 addresses, a second apart: no address is limited.
      for (let i = 1; i <= 30; i++) {
        const name = ['li', 'LI', ' li '][i % 3];
        const r = await attempt(a, name, 'wrong-password', { ip: `10.9.4.${i}` });
        expect([i, r.res.statusCode]).toEqual([i, 401]);
        clock += 1_000;
      }
      // The 31st, from a fresh address and with the right password, is refused until the window ends.
      const refused = await attempt(a, 'li', PASSWORD, { ip: '10.9.4.31' });
      expect(refused.res.statusCode).toBe(429);
      expect(refused.res.headers['retry-after']).toBe('30');
      expect(refused.res.body).toContain(THROTTLED);
      expect(refused.after === null || !(await signedIn(a, refused.after))).toBe(true);
      // Another account is not affected.
      const other = await attempt(a, 'wang', PASSWORD, { ip: '10.9.4.32' });
      expect(other.res.statusCode).toBe(303);
      // Once the window is over, the account opens again.
      clock = NOW + 60_000;
      const later = await attempt(a, 'li', PASSWORD, { ip: '10.9.4.33' });
      expect(later.res.statusCode).toBe(303);
      expect(await signedIn(a, later.after!)).toBe(true);
    });

    it('counts attempts on every hub of the database together', async () => {
      const hubs = [
        await web({ web: { loginPerMinute: 3 } }),
        await web({ web: { loginPerMinute: 3 } }),
      ];
      for (const hub of [0, 1, 0]) {
        const r = await attempt(hubs[hub], 'li', 'wrong-password', { ip: '10.9.3.1' });
        expect([hub, r.res.statusCode]).toEqual([hub, 401]);
      }
      // The fourth try goes to the other hub, which has seen one of them: refused all the same.
      const fourth = await attempt(hubs[1], 'li', PASSWORD, { ip: '10.9.3.1' });
      expect(fourth.res.statusCode).toBe(429);
      expect(fourth.res.body).toContain(THROTTLED);
    });

    it('is rate-limited per address, whatever the account', async () => {
      const a = await web({ web: { loginPerMinute: 3 } });
      for (const name of ['ghost-1', 'ghost-2', 'wang']) {
        const r = await attempt(a, name, 'wrong-password', { ip: '10.9.2.1' });
        expect([name, r.res.statusCode]).toEqual([name, 401]);
      }
      const fourth = await attempt(a, 'li', PASSWORD, { ip: '10.9.2.1' });
      expect(fourth.res.statusCode).toBe(429);
      expect(fourth.res.body).toContain(THROTTLED);
      expect(fourth.after === null || !(await signedIn(a, fourth.after))).toBe(true);
      // The same account from another address is fine.
      const elsewhere = await attempt(a, 'li', PASSWORD, { ip: '10.9.2.2' });
      expect(elsewhere.res.statusCode).toBe(303);
      expect(await signedIn(a, elsewhere.after!)).toBe(true);
    });
  });

  describe('session cookie', () => {
    it('is HttpOnly and SameSite=Lax, without Secure over plain http', async () => {
      const a = await web();
      const r = await attempt(a, 'li', PASSWORD);
      for (const res of [r.form, r.res]) {
        const line = sessionSetCookie(res);
        expect(line).toContain('; HttpOnly');
        expect(line).toContain('; SameSite=Lax');
        expect(line).toContain('; Path=/');
        expect(attributes(line)).not.toContain('secure');
      }
    });

    it('is Secure when the request came over https through a trusted proxy', async () => {
      const a = await web({ web: { trustProxy: true } });
      const https = { 'x-forwarded-proto': 'https' };
      const r = await attempt(a, 'li', PASSWORD, { headers: https });
      expect(r.res.statusCode).toBe(303);
      for (const res of [r.form, r.res]) {
        const line = sessionSetCookie(res);
        expect(attributes(line)).toEqual(
          expect.arrayContaining(['secure', 'httponly', 'samesite']),
        );
        expect(line).toContain('; SameSite=Lax');
      }
      const page = await a.inject({ url: '/', headers: { ...https, cookie: r.after! } });
      expect(page.statusCode).toBe(200);
      expect(attributes(sessionSetCookie(page))).toContain('secure');
    });

    it('ignores X-Forwarded-Proto from an untrusted client', async () => {
      const a = await web({ web: { trustProxy: false } });
      const r = await attempt(a, 'li', PASSWORD, { headers: { 'x-forwarded-proto': 'https' } });
      expect(attributes(sessionSetCookie(r.res))).not.toContain('secure');
    });
  });

  describe('session lifetime', () => {
    const rows = async (sid: string) =>
      Number(
        (
          (await db().ds.query('SELECT COUNT(*) AS n FROM web_session WHERE sid = ?', [sid])) as {
            n: number | string;
          }[]
        )[0].n,
      );

    it('gets a new id at login; the old id is destroyed and signs nobody in', async () => {
      const a = await web();
      const r = await attempt(a, 'li', PASSWORD);
      expect(r.res.statusCode).toBe(303);
      expect(r.after).not.toBeNull();
      expect(sidOf(r.after!)).not.toBe(sidOf(r.before));
      expect(await rows(sidOf(r.before))).toBe(0);
      expect(await rows(sidOf(r.after!))).toBe(1);
      expect(await signedIn(a, r.after!)).toBe(true);
      expect(await signedIn(a, r.before)).toBe(false);
      const page = await a.inject({ url: '/', headers: { cookie: r.before } });
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe('/login?next=%2F');
    });

    it('is destroyed at logout: the old cookie leads to the login page, the row is gone', async () => {
      const a = await web();
      const s = await login(a, 'li', PASSWORD);
      const sid = sidOf(s.cookie);
      expect(await rows(sid)).toBe(1);
      // Pages are never cached, so Back after logout cannot show them.
      expect(
        (await a.inject({ url: '/', headers: { cookie: s.cookie } })).headers['cache-control'],
      ).toBe('no-store');

      const forged = await a.inject({
        method: 'POST',
        url: '/logout',
        headers: { cookie: s.cookie, 'content-type': FORM },
        payload: '',
      });
      expect(forged.statusCode).toBe(403);
      expect(await signedIn(a, s.cookie)).toBe(true);

      const out = await a.inject({
        method: 'POST',
        url: '/logout',
        headers: { cookie: s.cookie, 'content-type': FORM },
        payload: new URLSearchParams({ _csrf: s.csrf }).toString(),
      });
      expect(out.statusCode).toBe(303);
      expect(out.headers.location).toBe('/login?out=1');
      expect(await rows(sid)).toBe(0);
      const back = await a.inject({ url: '/', headers: { cookie: s.cookie } });
      expect(back.statusCode).toBe(303);
      expect(back.headers.location).toBe('/login?next=%2F');
      expect(
        (await a.inject({ url: '/api/sites', headers: { cookie: s.cookie } })).statusCode,
      ).toBe(401);
      const notice = await a.inject({ url: '/login?out=1', headers: { cookie: s.cookie } });
      expect(notice.body).toContain('<p class="notice">已退出登录。</p>');
    });

    it('ends after idleMinutes without a request, and each request extends it', async () => {
      let clock = NOW;
      const a = await web({ now: () => clock, web: { idleMinutes: 30 } });
      const s = await login(a, 'li', PASSWORD);
      clock = NOW + 29 * MIN;
      expect(await signedIn(a, s.cookie)).toBe(true);
      // 58 minutes after login, but only 29 after the last request.
      clock = NOW + 58 * MIN;
      expect(await signedIn(a, s.cookie)).toBe(true);
      clock = NOW + 58 * MIN + 30 * MIN + 1;
      expect(await signedIn(a, s.cookie)).toBe(false);
      const page = await a.inject({ url: '/', headers: { cookie: s.cookie } });
      expect(page.statusCode).toBe(303);
      expect(page.headers.location).toBe('/login?next=%2F');
    });
  });

  describe('CSRF', () => {
    it('is required on every state-changing route (from the route table), signed in or not', async () => {
      const a = await web();
      const routes = stateChangingRoutes(a);
      // The walk over the route table found the routes we know of (so it is not vacuous).
      expect(routes).toEqual(
        expect.arrayContaining([
          ['POST', '/login'],
          ['POST', '/logout'],
          ['POST', '/admin/users'],
          ['POST', '/api/admin/users/:login/password'],
          ['POST', '/api/admin/outbox/:id/retry'],
          ['POST', '/admin/rooms/:id/delete'],
        ]),
      );
      const admin = await login(a, 'admin', PASSWORD);
      for (const [method, pattern] of routes) {
        const url = fill(pattern);
        for (const cookie of [admin.cookie, undefined]) {
          const form = await a.inject({
            method: method as 'POST',
            url,
            headers: { ...(cookie ? { cookie } : {}), 'content-type': FORM },
            payload: 'login=admin&password=x&enabled=0&sites=BJ01',
          });
          expect([method, url, !!cookie, form.statusCode]).toEqual([method, url, !!cookie, 403]);
          if (url.startsWith('/api/')) expect(JSON.parse(form.body)).toEqual({ error: CSRF_TEXT });
          else expect(form.body).toContain(CSRF_TEXT);
          const forged = await a.inject({
            method: method as 'POST',
            url,
            headers: { ...(cookie ? { cookie } : {}), 'x-csrf-token': 'forged' },
            payload: {},
          });
          expect([method, url, !!cookie, forged.statusCode]).toEqual([method, url, !!cookie, 403]);
        }
      }
      // The admin's session survived all that: nothing was logged out or changed.
      expect(await signedIn(a, admin.cookie)).toBe(true);
    });
  });

  describe('headers and errors', () => {
    it('sends the security headers on pages, API, errors and static files', async () => {
      const a = await web();
      const s = await login(a, 'li', PASSWORD);
      for (const url of [
        '/login',
        '/',
        '/api/sites',
        '/no-such-page',
        '/api/nope',
        '/static/app.js',
        '/static/fonts/NotoSansHans-Regular.otf',
      ]) {
        const res = await a.inject({ url, headers: { cookie: s.cookie } });
        const csp = String(res.headers['content-security-policy'] ?? '');
        const directives = new Map(
          csp.split(';').map((d) => {
            const [name, ...values] = d.trim().split(/\s+/);
            return [name, values] as const;
          }),
        );
        const script = directives.get('script-src') ?? directives.get('default-src');
        expect([url, script]).toEqual([url, ["'self'"]]);
        expect(csp).not.toContain("'unsafe-eval'");
        expect(directives.get('script-src-attr')).toEqual(["'none'"]);
        expect(directives.get('object-src')).toEqual(["'none'"]);
        expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
        // Plain http on a LAN address must keep working.
        expect(directives.has('upgrade-insecure-requests')).toBe(false);
        expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('no-referrer');
      }
    });

    it('serves the bundled Chinese font to anyone, cached for long, and no other file beside it', async () => {
      const a = await web();
      const font = await a.inject({ url: '/static/fonts/NotoSansHans-Regular.otf' });
      expect(font.statusCode).toBe(200);
      expect(font.headers['content-type']).toBe('font/otf');
      expect(font.headers['cache-control']).toBe('public, max-age=2592000, immutable');
      expect(font.rawPayload.subarray(0, 4).toString('latin1')).toBe('OTTO');
      expect(font.rawPayload.length).toBe(statSync(bundledFontPaths().regular).size);
      for (const url of [
        '/static/fonts/NotoSansHans-Bold.otf',
        '/static/fonts/',
        '/static/fonts/../fonts/NotoSansHans-Light.otf',
        '/static/fonts/%2e%2e/package.json',
      ])
        expect([url, (await a.inject({ url })).statusCode]).toEqual([url, 404]);
    });

    it('never shows a stack trace: 404, 400, 403 and 500, as pages and as JSON', async () => {
      const broken = breakable(db().ds);
      const a = await web({ deps: { ds: broken.ds } });
      const admin = await login(a, 'admin', PASSWORD);
      const h = { cookie: admin.cookie };

      const notFound = await a.inject({ url: '/no/such/page', headers: h });
      expect(notFound.statusCode).toBe(404);
      expect(notFound.body).toContain('页面不存在。');
      const notFoundApi = await a.inject({ url: '/api/no/such', headers: h });
      expect(notFoundApi.statusCode).toBe(404);
      expect(JSON.parse(notFoundApi.body)).toEqual({ error: '页面不存在。' });
      const badJson = await a.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers: { ...h, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
        payload: '{"login": ',
      });
      expect(badJson.statusCode).toBe(400);
      const csrf = await a.inject({ method: 'POST', url: '/admin/users', headers: h });
      expect(csrf.statusCode).toBe(403);

      broken.breakNow();
      const failedPage = await a.inject({ url: '/admin/users', headers: h });
      expect(failedPage.statusCode).toBe(500);
      expect(failedPage.body).toContain('服务器出错，请稍后再试。');
      const failedApi = await a.inject({ url: '/api/admin/users', headers: h });
      expect(failedApi.statusCode).toBe(500);
      expect(JSON.parse(failedApi.body)).toEqual({ error: '服务器出错，请稍后再试。' });
      const failedLogin = await attempt(a, 'li', PASSWORD);
      expect(failedLogin.res.statusCode).toBe(500);

      // The error page's logout button carries a working token.
      const logout = await a.inject({
        method: 'POST',
        url: '/logout',
        headers: { ...h, 'content-type': FORM },
        payload: new URLSearchParams({ _csrf: csrfOf(failedPage.body) }).toString(),
      });
      expect(logout.statusCode).toBe(303);
      expect(logout.headers.location).toBe('/login?out=1');

      for (const res of [
        notFound,
        notFoundApi,
        badJson,
        csrf,
        failedPage,
        failedApi,
        failedLogin.res,
      ]) {
        expectNoTrace(res.body);
        expect(res.body).not.toContain('boom');
        expect(res.body).not.toContain('secret/place');
      }
    });
  });

  describe('redirects', () => {
    const hostile = [
      '//evil.example',
      '//evil.example/path',
      'https://evil.example',
      'http:evil.example',
      '/\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '\\\\evil.example',
      ' //evil.example',
      'javascript:alert(1)',
    ];

    it('refuses next= pointing to another site, after login and on the language switch', async () => {
      const a = await web({ web: { loginPerMinute: 1000 } });
      for (const next of hostile) {
        const r = await attempt(a, 'li', PASSWORD, { next });
        expect([next, r.res.statusCode, r.res.headers.location]).toEqual([next, 303, '/']);
        const page = await a.inject({ url: `/login?next=${encodeURIComponent(next)}` });
        expect([next, /name="next" value="([^"]*)"/.exec(page.body)?.[1]]).toEqual([next, '/']);
        const lang = await a.inject({ url: `/lang/en?next=${encodeURIComponent(next)}` });
        expect([next, lang.headers.location]).toEqual([next, '/']);
      }
      // A local path (with its query) is followed.
      const local = await attempt(a, 'li', PASSWORD, { next: '/sites/BJ01?range=24h' });
      expect(local.res.headers.location).toBe('/sites/BJ01?range=24h');
      const guarded = await a.inject({ url: '/admin/users?tab=1' });
      expect(guarded.headers.location).toBe('/login?next=%2Fadmin%2Fusers%3Ftab%3D1');
    });
  });
});
