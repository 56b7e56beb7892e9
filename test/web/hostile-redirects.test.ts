// Hostile redirect targets on every redirecting route, with and without a session and when its row is rewritten: a local ASCII Location or the portal's error page, and the hub lives on.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse, Session } from 'fastify';
import { processEnv } from '../../config/schema';
import { createLoginLimitStore } from '../../src/web/login-limit-store';
import { MAX_REDIRECT_LENGTH, localPath } from '../../src/web/redirect';
import { SESSION_COOKIE } from '../../src/web/server';
import { REWRITE_AFTER_MS, createSessionStore } from '../../src/web/session-store';
import { describeEachEngine, resetDb } from '../helpers/db';
import { REGISTER } from '../helpers/ts-process';
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

const ROOT = join(__dirname, '..', '..');
const FORM = 'application/x-www-form-urlencoded';
const SERVER_ERROR = '服务器出错，请稍后再试。';
const CSRF_TEXT = '页面已过期，请刷新后重试。';
const IDLE_MS = 30 * MIN;
/** Long enough after a session's last write that the store writes its row again. */
const LATER = REWRITE_AFTER_MS + 2_000;

/** Hostile `next` values and the Location each must come out as. */
const HOSTILE: [string, string][] = [
  ['/北', '/%E5%8C%97'],
  ['/%E5%8C%97', '/%E5%8C%97'],
  ['/\u3000/evil.example', '/%E3%80%80/evil.example'],
  ['\u3000//evil.example', '/'],
  ['/\u2028/evil.example', '/%E2%80%A8/evil.example'],
  ['/\uff0f/evil.example', '/%EF%BC%8F/evil.example'],
  ['/\u0085/evil.example', '/%C2%85/evil.example'],
  ['/sites/BJ01?q=北 京#图', '/sites/BJ01?q=%E5%8C%97%20%E4%BA%AC#%E5%9B%BE'],
  ['/x\r\nSet-Cookie: sw_sid=planted', '/'],
  ['/\r/evil.example', '/'],
  ['/\n/evil.example', '/'],
  ['/\0', '/'],
  ['/%00', '/%00'],
  [`/${'a'.repeat(10_000)}`, '/'],
  ['//evil.example', '/'],
  ['/\\evil.example', '/'],
];

/** A Location a browser resolves on this site, as a header Node can write. */
function expectLocalAscii(what: unknown, location: unknown) {
  expect([what, typeof location]).toEqual([what, 'string']);
  const l = location as string;
  expect([what, /^\/(?![/\\])[\x21-\x7e]*$/.test(l), l.length <= MAX_REDIRECT_LENGTH]).toEqual([
    what,
    true,
    true,
  ]);
}

/** Marks of a stack trace or of source paths. */
function expectNoTrace(body: string) {
  expect(body).not.toMatch(/\n\s*at \S/);
  expect(body).not.toContain('.ts:');
  expect(body).not.toContain('node_modules');
  expect(body).not.toContain('Error');
}

/** The session id inside a signed session cookie ("sw_sid=<id>.<signature>"). */
const sidOf = (cookie: string) =>
  decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)).split('.')[0];

describe('localPath', () => {
  it('keeps local paths, encodes what a header cannot carry, refuses other sites', () => {
    for (const [next, location] of [
      ...HOSTILE,
      ['/sites/BJ01?range=24h', '/sites/BJ01?range=24h'],
      ['/a b"<>^`{|}', '/a%20b%22%3C%3E%5E%60%7B%7C%7D'],
      ['/\ud800', '/%EF%BF%BD'],
      ['/\t/evil.example', '/'],
      ['/\x7f', '/'],
      ['https://evil.example', '/'],
      ['evil.example', '/'],
      ['', '/'],
    ])
      expect([next, localPath(next)]).toEqual([next, location]);
    for (const v of [undefined, null, 42, ['/a', '/b'], { next: '/' }])
      expect([v, localPath(v)]).toEqual([v, '/']);
    // A second pass changes nothing: the login form carries the value on to POST /login.
    for (const [next] of HOSTILE) expect(localPath(localPath(next))).toBe(localPath(next));
    const longest = `/${'a'.repeat(MAX_REDIRECT_LENGTH - 1)}`;
    expect(localPath(longest)).toBe(longest);
    expect(localPath(`${longest}a`)).toBe('/');
    // Encoding counts: 700 Chinese characters are 6300 characters encoded.
    expect(localPath(`/${'北'.repeat(700)}`)).toBe('/');
  });

  it('is the one way out of src/web: no other file calls reply.redirect', () => {
    const dir = join(ROOT, 'src', 'web');
    const callers = readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => readFileSync(join(dir, f), 'utf8').includes('.redirect('));
    expect(callers).toEqual(['redirect.ts']);
  });
});

describeEachEngine('web hostile redirects', (db) => {
  let app: FastifyInstance | null = null;
  let clock = NOW;

  beforeEach(async () => {
    await resetDb(db());
    await seedPortal(db().ds);
    clock = NOW;
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });

  const web = async (o: Parameters<typeof createTestWeb>[1] = {}) => {
    app = await createTestWeb(db().ds, {
      now: () => clock,
      ...o,
      web: { loginPerMinute: 1000, ...o.web },
    });
    return app;
  };

  const expiresAt = async (cookie: string) => {
    const rows = (await db().ds.query('SELECT expires_at FROM web_session WHERE sid = ?', [
      sidOf(cookie),
    ])) as { expires_at: number | string }[];
    return rows.length ? Number(rows[0].expires_at) : null;
  };

  /** The hub still answers: the login page of a new visitor. */
  const expectAlive = async (a: FastifyInstance, what: unknown) => {
    const page = await a.inject({ url: '/login' });
    expect([what, 'then GET /login', page.statusCode]).toEqual([what, 'then GET /login', 200]);
  };

  type Mode = 'no cookie' | 'visitor' | 'visitor, rewritten' | 'signed in' | 'signed in, rewritten';
  const MODES: Mode[] = [
    'no cookie',
    'visitor',
    'visitor, rewritten',
    'signed in',
    'signed in, rewritten',
  ];

  /** The cookie (and a CSRF token) of a fresh session in `mode`. */
  const sessionIn = async (a: FastifyInstance, mode: Mode) => {
    if (mode === 'no cookie') return { cookie: undefined, csrf: 'none' };
    if (mode.startsWith('signed in')) return login(a, 'li', PASSWORD);
    const form = await a.inject({ url: '/login' });
    return { cookie: sessionCookie(form)!, csrf: csrfOf(form.body) };
  };

  /**
   * `send` in `mode`; in a rewritten mode the clock first moves past the store's rewrite interval,
   * and afterwards the row shows it was written (so the answer was finished from a store callback).
   */
  const inMode = async (
    mode: Mode,
    cookie: string | undefined,
    send: () => Promise<LightMyRequestResponse>,
    sessionKept = true,
  ) => {
    if (mode.endsWith('rewritten')) clock += LATER;
    const res = await send();
    if (mode.endsWith('rewritten') && sessionKept)
      expect([mode, await expiresAt(cookie!)]).toEqual([mode, clock + IDLE_MS]);
    return res;
  };

  it('GET /lang/* and GET /login: any next= becomes a local ASCII path, in every kind of session', async () => {
    const a = await web();
    for (const mode of MODES) {
      const s = await sessionIn(a, mode);
      const headers = s.cookie ? { cookie: s.cookie } : {};
      for (const [next, location] of HOSTILE) {
        const q = `next=${encodeURIComponent(next)}`;
        for (const lang of ['en', 'zh', '%E5%8C%97']) {
          const what = [mode, `/lang/${lang}`, next.slice(0, 40)];
          const res = await inMode(mode, s.cookie, () =>
            a.inject({ url: `/lang/${lang}?${q}`, headers }),
          );
          expect([what, res.statusCode, res.headers.location]).toEqual([what, 303, location]);
          expectLocalAscii(what, res.headers.location);
          await expectAlive(a, what);
        }
        const what = [mode, '/login', next.slice(0, 40)];
        const page = await inMode(mode, s.cookie, () => a.inject({ url: `/login?${q}`, headers }));
        if (mode.startsWith('signed in')) {
          expect([what, page.statusCode, page.headers.location]).toEqual([what, 303, '/']);
        } else {
          expect([what, page.statusCode]).toEqual([what, 200]);
          expect([what, /name="next" value="([^"]*)"/.exec(page.body)?.[1]]).toEqual([
            what,
            location,
          ]);
        }
        await expectAlive(a, what);
      }
      // The same next= twice is an array: not a path.
      const twice = await a.inject({ url: '/lang/en?next=/a&next=/b', headers });
      expect([mode, twice.statusCode, twice.headers.location]).toEqual([mode, 303, '/']);
    }
  });

  it('POST /login: any next= becomes a local ASCII path, also from a session old enough to be rewritten', async () => {
    const a = await web();
    for (const mode of ['no cookie', 'visitor', 'visitor, rewritten'] as Mode[]) {
      for (const [next, location] of HOSTILE) {
        for (const password of [PASSWORD, 'wrong-password']) {
          const what = [mode, password, next.slice(0, 40)];
          const s = await sessionIn(a, mode);
          const res = await inMode(
            mode,
            s.cookie,
            () =>
              a.inject({
                method: 'POST',
                url: '/login',
                headers: { ...(s.cookie ? { cookie: s.cookie } : {}), 'content-type': FORM },
                payload: new URLSearchParams({
                  _csrf: s.csrf,
                  login: 'li',
                  password,
                  next,
                }).toString(),
              }),
            password !== PASSWORD,
          );
          if (mode === 'no cookie') {
            expect([what, res.statusCode, res.headers.location]).toEqual([what, 403, undefined]);
            expect(res.body).toContain(CSRF_TEXT);
          } else if (password === PASSWORD) {
            expect([what, res.statusCode, res.headers.location]).toEqual([what, 303, location]);
            expectLocalAscii(what, res.headers.location);
            // Signed in under a new session id.
            const after = sessionCookie(res)!;
            expect(sidOf(after)).not.toBe(sidOf(s.cookie!));
            const sites = await a.inject({ url: '/api/sites', headers: { cookie: after } });
            expect([what, sites.statusCode]).toEqual([what, 200]);
          } else {
            expect([what, res.statusCode]).toEqual([what, 401]);
            expect([what, /name="next" value="([^"]*)"/.exec(res.body)?.[1]]).toEqual([
              what,
              location,
            ]);
          }
          await expectAlive(a, what);
        }
      }
    }
    // JSON may carry what a form cannot: a lone surrogate.
    const s = await sessionIn(a, 'visitor');
    const json = await a.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: s.cookie!, 'content-type': 'application/json' },
      payload: `{"_csrf":"${s.csrf}","login":"li","password":"${PASSWORD}","next":"/\\ud800/x"}`,
    });
    expect([json.statusCode, json.headers.location]).toEqual([303, '/%EF%BF%BD/x']);
    await expectAlive(a, 'lone surrogate');
  });

  it('POST /logout goes to the login page whatever next= says, in every kind of session', async () => {
    const a = await web();
    for (const mode of MODES) {
      for (const [next] of HOSTILE) {
        const what = [mode, next.slice(0, 40)];
        const s = await sessionIn(a, mode);
        const res = await inMode(
          mode,
          s.cookie,
          () =>
            a.inject({
              method: 'POST',
              url: `/logout?next=${encodeURIComponent(next)}`,
              headers: { ...(s.cookie ? { cookie: s.cookie } : {}), 'content-type': FORM },
              payload: new URLSearchParams({ _csrf: s.csrf, next }).toString(),
            }),
          false,
        );
        if (mode === 'no cookie') {
          expect([what, res.statusCode]).toEqual([what, 403]);
          expect(res.body).toContain(CSRF_TEXT);
        } else {
          expect([what, res.statusCode, res.headers.location]).toEqual([what, 303, '/login?out=1']);
          expect(await expiresAt(s.cookie!)).toBeNull();
        }
        await expectAlive(a, what);
      }
    }
  });

  it('the admin forms and the sign-in guard redirect to percent-encoded local paths, and those pages open', async () => {
    const a = await web();
    const admin = await login(a, 'admin', PASSWORD);
    const post = (url: string, form: Record<string, string>) => {
      clock += LATER;
      return a.inject({
        method: 'POST',
        url,
        headers: { cookie: admin.cookie, 'content-type': FORM },
        payload: new URLSearchParams({ _csrf: admin.csrf, ...form }).toString(),
      });
    };
    const get = (url: string, cookie?: string) => {
      clock += LATER;
      return a.inject({ url, headers: cookie ? { cookie } : {} });
    };
    for (const code of ['北京', '//evil.example', '%E5%8C%97', '\\evil.example', '北/../x']) {
      const c = encodeURIComponent(code);
      const added = await post('/admin/sites', {
        code,
        name: '局点',
        baseUrl: 'http://10.0.0.1/',
        encoding: 'auto',
      });
      expect([code, added.statusCode, added.headers.location]).toEqual([
        code,
        303,
        '/admin/sites?done=siteAdded',
      ]);
      const saved = await post(`/admin/sites/${c}`, { name: '新名称' });
      expect([code, saved.statusCode, saved.headers.location]).toEqual([
        code,
        303,
        `/admin/sites/${c}?done=siteSaved`,
      ]);
      expectLocalAscii(code, saved.headers.location);
      const page = await get(saved.headers.location as string, admin.cookie);
      expect([code, page.statusCode]).toEqual([code, 200]);
      expect(page.body).toContain('已保存局点。');
      expect(page.body).toContain('value="新名称"');
      const disabled = await post(`/admin/sites/${c}/enabled`, { enabled: '0' });
      expect([code, disabled.statusCode, disabled.headers.location]).toEqual([
        code,
        303,
        '/admin/sites?done=siteDisabled',
      ]);
      // Signed out, the guard sends the page itself along as next=, and the login follows it back.
      const url = `/admin/sites/${c}?x=${encodeURIComponent('北')}`;
      const guarded = await get(url);
      expect([code, guarded.statusCode, guarded.headers.location]).toEqual([
        code,
        303,
        `/login?next=${encodeURIComponent(url)}`,
      ]);
      await expectAlive(a, code);
    }
    const reset = await post('/admin/users/li/password', { password: 'a-new-password-1' });
    expect([reset.statusCode, reset.headers.location]).toEqual([
      303,
      '/admin/users/li?done=passwordReset',
    ]);
    const nobody = await post(`/admin/users/${encodeURIComponent('北')}/password`, {
      password: 'a-new-password-1',
    });
    expect([nobody.statusCode, nobody.headers.location]).toEqual([404, undefined]);
    expect(nobody.body).toContain('页面不存在。');
    const refused = await post('/admin/users', {
      login: '北京',
      password: 'a-new-password-1',
      role: 'operator',
    });
    expect([refused.statusCode, refused.headers.location]).toEqual([400, undefined]);
    expect(refused.body).toContain('may use letters, digits and . _ @ - only');
    // A page address too long to carry along: the login page all the same.
    const long = await get(`/admin/sites?x=${'北'.repeat(300)}`);
    expect([long.statusCode, long.headers.location]).toEqual([303, '/login']);
    const adminHome = await get('/admin', admin.cookie);
    expect([adminHome.statusCode, adminHome.headers.location]).toEqual([303, '/admin/users']);

    // The user's intended page, typed in Chinese, still opens after login.
    const form = await a.inject({ url: '/login' });
    const res = await a.inject({
      method: 'POST',
      url: '/login',
      headers: { cookie: sessionCookie(form)!, 'content-type': FORM },
      payload: new URLSearchParams({
        _csrf: csrfOf(form.body),
        login: 'admin',
        password: PASSWORD,
        next: '/admin/sites/北京',
      }).toString(),
    });
    expect([res.statusCode, res.headers.location]).toEqual([
      303,
      '/admin/sites/%E5%8C%97%E4%BA%AC',
    ]);
    const target = await get(res.headers.location as string, sessionCookie(res)!);
    expect(target.statusCode).toBe(200);
    expect(target.body).toContain('<h1>编辑局点 北京</h1>');
  });

  it("answers the portal's 500 page for a header Node refuses, an answer that does not serialise, an error page that does not render", async () => {
    const a = await web({
      setup: (s) => {
        s.get('/test/bad-header', async (_req, reply) => {
          reply.header('x-test', '北');
          return 'not sent';
        });
        s.get('/api/test/bad-header', async (_req, reply) => {
          reply.header('x-test', '北');
          return { ok: true };
        });
        s.get('/test/bad-redirect', async (_req, reply) => reply.redirect('/北', 303));
        s.get('/api/test/bigint', async () => ({ n: 1n }));
        // The error page itself fails to render: data with a getter that throws.
        s.get('/test/broken-view', async (_req, reply) => {
          // @fastify/view merges reply.locals into the page data (its types do not declare it).
          (reply as unknown as { locals: object }).locals = {
            get boom(): string {
              throw new Error('view broke in /work/main/src/secret/place.ts:42');
            },
          };
          throw new Error('first failure');
        });
      },
    });
    for (const mode of ['no cookie', 'visitor, rewritten', 'signed in, rewritten'] as Mode[]) {
      const s = await sessionIn(a, mode);
      const headers = s.cookie ? { cookie: s.cookie } : {};
      for (const url of ['/test/bad-header', '/test/bad-redirect']) {
        const what = [mode, url];
        const res = await inMode(mode, s.cookie, () => a.inject({ url, headers }));
        expect([what, res.statusCode, res.headers['content-type']]).toEqual([
          what,
          500,
          'text/html; charset=utf-8',
        ]);
        expect([what, res.headers.location, res.headers['x-test']]).toEqual([
          what,
          undefined,
          undefined,
        ]);
        expect(res.body).toContain('<section class="error-page">\n  <h1>500</h1>');
        expect(res.body).toContain(`<p>${SERVER_ERROR}</p>`);
        expectNoTrace(res.body);
        await expectAlive(a, what);
      }
      const broken = await inMode(mode, s.cookie, () =>
        a.inject({ url: '/test/broken-view', headers }),
      );
      expect([mode, broken.statusCode, broken.headers['content-type']]).toEqual([
        mode,
        500,
        'text/html; charset=utf-8',
      ]);
      expect(broken.body).toBe(
        `<!doctype html><meta charset="utf-8"><h1>500</h1><p>${SERVER_ERROR}</p>`,
      );
      await expectAlive(a, [mode, 'broken view']);
      for (const url of ['/api/test/bad-header', '/api/test/bigint']) {
        const what = [mode, url];
        const res = await inMode(mode, s.cookie, () => a.inject({ url, headers }));
        expect([what, res.statusCode, res.headers['x-test']]).toEqual([what, 500, undefined]);
        expect([what, res.json()]).toEqual([what, { error: SERVER_ERROR }]);
        await expectAlive(a, what);
      }
    }
  });

  it('a throw out of a store callback is reported, never left to reject a promise', async () => {
    const { ds } = db();
    const threw = jest.fn();
    const boom = new Error('thrown by the continuation');
    /** Calls the store with a callback that throws, and resumes once the callback ran. */
    const throwing = (call: (cb: () => void) => void) =>
      new Promise<void>((resolve) =>
        call(() => {
          resolve();
          throw boom;
        }),
      );

    const sessions = createSessionStore({
      ds,
      idleMs: IDLE_MS,
      now: () => NOW,
      onCallbackThrew: threw,
    });
    const session = { cookie: {}, user: { id: 1 } } as unknown as Session;
    for (const [name, call] of [
      ['set', (cb: () => void) => sessions.set('sid-1', session, cb)],
      ['get', (cb: () => void) => sessions.get('sid-1', cb)],
      ['destroy', (cb: () => void) => sessions.destroy('sid-1', cb)],
    ] as const) {
      threw.mockClear();
      await throwing(call);
      expect([name, threw.mock.calls]).toEqual([name, [[boom]]]);
    }
    // A row that does not parse is this request's error, handed to the callback.
    await ds.query('INSERT INTO web_session (sid, data, expires_at) VALUES (?, ?, ?)', [
      'sid-2',
      '{not json',
      NOW + MIN,
    ]);
    threw.mockClear();
    const err = await new Promise((resolve) => sessions.get('sid-2', (e) => resolve(e)));
    expect(err).toBeInstanceOf(SyntaxError);
    expect(threw).not.toHaveBeenCalled();

    const limits = createLoginLimitStore(ds, () => NOW, threw);
    for (const [name, call] of [
      ['incr', (cb: () => void) => limits.incr('addr:10.0.0.1', cb, 60_000, 5)],
      ['read', (cb: () => void) => limits.read('addr:10.0.0.1', cb, 60_000)],
    ] as const) {
      threw.mockClear();
      await throwing(call);
      expect([name, threw.mock.calls]).toEqual([name, [[boom]]]);
    }
  });
});

/** One raw HTTP/1.1 exchange on a fresh connection; `answer` is null if it closed without one. */
function rawRequest(
  port: number,
  head: Buffer | string,
  body = '',
): Promise<{ status: number; headers: Record<string, string[]>; body: string } | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /^HTTP\/1\.1 (\d{3}) [^\r\n]*\r\n([\s\S]*?)\r\n\r\n/.exec(text);
      if (!m) return resolve(null);
      const headers: Record<string, string[]> = {};
      for (const line of m[2].split('\r\n')) {
        const i = line.indexOf(':');
        const name = line.slice(0, i).toLowerCase();
        (headers[name] ??= []).push(line.slice(i + 1).trim());
      }
      resolve({ status: Number(m[1]), headers, body: text.slice(m[0].length) });
    });
    const length = Buffer.byteLength(body);
    // Written, not ended: the server closes after its answer (Connection: close).
    socket.write(
      Buffer.concat([
        Buffer.isBuffer(head) ? head : Buffer.from(head, 'latin1'),
        Buffer.from(
          `\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
            (body ? `Content-Type: ${FORM}\r\nContent-Length: ${length}\r\n` : '') +
            `\r\n${body}`,
          'utf8',
        ),
      ]),
    );
  });
}

describe('the portal process', () => {
  let child: ChildProcess | null = null;
  afterEach(async () => {
    const c = child;
    child = null;
    if (c && c.exitCode === null && c.signalCode === null) {
      const gone = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      await gone;
    }
  });

  it('survives hostile redirects on a real port, each request finished from a store callback', async () => {
    // The portal from its TypeScript sources, compiled as jest does (SWC).
    const register = REGISTER;
    const c = spawn(
      process.execPath,
      [
        '--disable-warning=ExperimentalWarning',
        '-e',
        register,
        join(__dirname, 'portal-process.ts'),
      ],
      { cwd: ROOT, env: { PATH: processEnv().PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = c;
    let stderr = '';
    c.stderr!.on('data', (d) => (stderr += String(d)));
    const exited = new Promise<string>((resolve) =>
      c.once('exit', (code, signal) => resolve(`exited: ${code ?? signal}`)),
    );
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      c.stdout!.on('data', (d) => {
        out += String(d);
        const m = /listening on (\d+)\n/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      void exited.then((how) => reject(new Error(`portal process ${how}: ${stderr}`)));
    });

    const get = (path: Buffer | string, cookie?: string) =>
      rawRequest(
        port,
        Buffer.concat([
          Buffer.from('GET '),
          Buffer.isBuffer(path) ? path : Buffer.from(path),
          Buffer.from(` HTTP/1.1${cookie ? `\r\nCookie: ${cookie}` : ''}`),
        ]),
      );
    /** The answer's status and Location; then the process is still there and answers the login page. */
    const check = async (step: string, answer: Awaited<ReturnType<typeof rawRequest>>) => {
      const after = answer && (await get('/login'));
      // Without an answer, wait for whichever comes first: the process's end, or another answer.
      const state =
        answer && after
          ? 'running'
          : await Promise.race([
              exited,
              get('/login').then((r) => (r ? `answers ${r.status}` : exited)),
            ]);
      expect({
        step,
        answer: answer && { status: answer.status, location: answer.headers.location },
        thenLogin: after?.status,
        state,
        stderr,
      }).toEqual({
        step,
        answer: expect.anything(),
        thenLogin: 200,
        state: 'running',
        stderr: '',
      });
      return answer!;
    };
    const cookieOf = (answer: { headers: Record<string, string[]> }) =>
      answer.headers['set-cookie']
        ?.map((l) => l.split(';')[0])
        .find((l) => l.startsWith(`${SESSION_COOKIE}=`));

    const visitor = cookieOf((await get('/login'))!)!;
    expect(visitor).toBeDefined();
    for (const [step, path, status, location] of [
      ['encoded', '/lang/en?next=/%E5%8C%97', 303, ['/%E5%8C%97']],
      // UTF-8 bytes straight in the request line: Node's parser refuses them before the portal.
      ['raw UTF-8', Buffer.from('/lang/en?next=/北', 'utf8'), 400, undefined],
      ['CR LF', '/lang/en?next=/x%0D%0ASet-Cookie:%20a=b', 303, ['/']],
      ['NUL', '/lang/en?next=/%00', 303, ['/']],
      ['10 KB', `/lang/en?next=/${'a'.repeat(10_000)}`, 303, ['/']],
      ['other site', '/lang/en?next=//evil.example', 303, ['/']],
      ['backslash', '/lang/en?next=/%5Cevil.example', 303, ['/']],
    ] as const) {
      const answer = await check(`visitor ${step}`, await get(path, visitor));
      expect([step, answer.status, answer.headers.location]).toEqual([step, status, location]);
    }

    // The sign-in of the issue: good credentials, an ideographic space in next=.
    const loginPage = await check('login page', await get('/login', visitor));
    expect(loginPage.status).toBe(200);
    const signIn = await check(
      'sign-in',
      await rawRequest(
        port,
        `POST /login HTTP/1.1\r\nCookie: ${visitor}`,
        new URLSearchParams({
          _csrf: csrfOf(loginPage.body),
          login: 'li',
          password: PASSWORD,
          next: '/\u3000/evil.example',
        }).toString(),
      ),
    );
    expect([signIn.status, signIn.headers.location]).toEqual([303, ['/%E3%80%80/evil.example']]);
    const user = cookieOf(signIn)!;
    const signedIn = await check('signed in', await get('/lang/en?next=/%E5%8C%97', user));
    expect([signedIn.status, signedIn.headers.location]).toEqual([303, ['/%E5%8C%97']]);
    const noCookie = await check('no cookie', await get('/lang/en?next=/%E5%8C%97'));
    expect([noCookie.status, noCookie.headers.location]).toEqual([303, ['/%E5%8C%97']]);
    const sites = await get('/api/sites', user);
    expect(sites?.status).toBe(200);
    expect([c.exitCode, c.signalCode, stderr]).toEqual([null, null, '']);
  });
});
