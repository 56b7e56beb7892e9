// Portal test helpers: a web app on a test database, logging in through the real login form, and the portal seed.
import type { FastifyInstance } from 'fastify';
import type { DataSource } from 'typeorm';
import { Alarm, CpuSample, IngestCursor, IngestError, MemSample, Server } from '../../entities';
import { loadAlarmDict } from '../../config/alarm-dict';
import { addUser } from '../../src/admin/users';
import { silentLogger } from '../../src/log';
import { type WebDeps } from '../../src/web/context';
import { createWebServer, SESSION_COOKIE } from '../../src/web/server';
import { testConfig } from '../helpers/db';
import { type Seeded, HOUR, MIN, NOW, seed } from '../commands/seed';

export { NOW, MIN, HOUR };

/** A fixed secret so that signed cookies stay valid across app instances of one test. */
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef';

/**
 * The portal on `ds` with a fixed clock (NOW unless given) and test config (web overrides merged);
 * `setup` may add routes or hooks of a test before the app is ready.
 */
export async function createTestWeb(
  ds: DataSource,
  o: {
    now?: () => number;
    web?: Record<string, unknown>;
    deps?: Partial<WebDeps>;
    setup?: (app: FastifyInstance) => void;
  } = {},
): Promise<FastifyInstance> {
  const config = testConfig({
    web: { enabled: true, port: 0, sessionSecret: TEST_SESSION_SECRET, ...o.web },
  });
  const app = await createWebServer({
    ds,
    config,
    log: silentLogger,
    now: o.now ?? (() => NOW),
    dict: loadAlarmDict(config.alarms.dictPath),
    ...o.deps,
  });
  o.setup?.(app);
  await app.ready();
  return app;
}

export interface WebSession {
  /** The `cookie` request header carrying the signed-in session. */
  cookie: string;
  /** A CSRF token valid for that session (form field `_csrf` or header `x-csrf-token`). */
  csrf: string;
}

/** `name=value` of the session cookie in a response's set-cookie headers, or null. */
export function sessionCookie(res: { headers: Record<string, unknown> }): string | null {
  const raw = res.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  for (const c of list as string[]) {
    const first = c.split(';')[0];
    if (first.startsWith(`${SESSION_COOKIE}=`) && first.length > SESSION_COOKIE.length + 1)
      return first;
  }
  return null;
}

/** The CSRF token a page carries (login form field, or `data-csrf` of the body). */
export function csrfOf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html) ?? /<body[^>]*data-csrf="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in the page');
  return m[1];
}

/**
 * Log in the way a browser does: GET /login (session cookie + token from the form), POST the
 * form, then fetch a page with the new session for a fresh token. Throws unless the login
 * redirects (303) with a new session cookie.
 */
export async function login(
  app: FastifyInstance,
  loginName: string,
  password: string,
): Promise<WebSession> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  if (form.statusCode !== 200) throw new Error(`GET /login answered ${form.statusCode}`);
  const before = sessionCookie(form);
  if (!before) throw new Error('GET /login set no session cookie');
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: before, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: csrfOf(form.body),
      login: loginName,
      password,
      next: '/',
    }).toString(),
  });
  const cookie = sessionCookie(res);
  if (res.statusCode !== 303 || !cookie)
    throw new Error(`login of "${loginName}" failed: ${res.statusCode}`);
  const page = await app.inject({ method: 'GET', url: '/', headers: { cookie } });
  if (page.statusCode !== 200) throw new Error(`GET / after login answered ${page.statusCode}`);
  return { cookie, csrf: csrfOf(page.body) };
}

/** The test password of every seeded user. */
export const PASSWORD = 'password-1';
export const HOSTILE_DESCRIPTION = "<script>alert(1)</script>' OR 1=1 --";
export const HOSTILE_SERVER = '<img src=x onerror=alert(1)>';
export const HOSTILE_RAW = '<b>bad</b>|x|"quoted"';

export interface PortalSeed extends Seeded {
  /** Operator managing only site A (BJ01). */
  zhou: { userId: number; login: string; displayName: string };
  hostile: {
    /** Active alarm of BJ01 (LINK_DOWN on sw01) with HOSTILE_DESCRIPTION, raised NOW − 20 min. */
    alarmId: number;
    /** Server of BJ01 named HOSTILE_SERVER (ip 10.0.0.9) with one sample NOW − 1 min. */
    serverId: number;
  };
  /** Active alarm of site B (BJ02): PROCESS_DOWN on web01, raised NOW − 2 h. */
  siteBAlarmId: number;
  /** Ids of the seed's alarms by name (BJ01 CPU_HIGH / DISK_FULL / NODE_DOWN, SH01 MEM_HIGH). */
  alarmIds: Record<'CPU_HIGH' | 'DISK_FULL' | 'NODE_DOWN' | 'MEM_HIGH', number>;
}

/**
 * The commands seed (site A = BJ01 北京一号, site B = BJ02 北京二号, plus SH01 and the disabled
 * OFF1; users admin (admin), li (BJ01, SH01), wang (BJ02)) and for the portal: operator zhou
 * (BJ01 only), a server and an alarm with hostile text, an active alarm of BJ02, ingest cursors
 * (BJ01: system_info and system_alarm of 20261125; BJ02: system_info) and quarantined lines
 * (BJ01: system_info line 7 with HOSTILE_RAW; BJ02: system_service line 3).
 */
export async function seedPortal(ds: DataSource): Promise<PortalSeed> {
  const s = await seed(ds);
  const { bj01, bj02 } = s.sites;
  const zhouU = await addUser(
    ds,
    { login: 'zhou', password: PASSWORD, displayName: '周敏', sites: ['BJ01'] },
    NOW,
  );

  const srv = ds.getRepository(Server);
  const hostileServer = await srv.save(
    srv.create({
      siteId: bj01.id,
      name: HOSTILE_SERVER,
      ip: '10.0.0.9',
      osName: null,
      osVersion: null,
      uptimeSeconds: null,
      uptimeAt: null,
      firstSeenAt: NOW - 86_400_000,
      lastSeenAt: NOW - MIN,
    }),
  );
  const gib = 1024 ** 3;
  await ds.getRepository(CpuSample).insert({
    serverId: hostileServer.id,
    sampledAt: NOW - MIN,
    userPct: 3,
    sysPct: 1,
    ioPct: 0,
    idlePct: 96,
  });
  await ds.getRepository(MemSample).insert({
    serverId: hostileServer.id,
    sampledAt: NOW - MIN,
    usedBytes: 1 * gib,
    freeBytes: 3 * gib,
    bufferBytes: 0,
    totalBytes: 4 * gib,
  });

  const alarms = ds.getRepository(Alarm);
  const alarm = async (siteId: number, name: string, node: string, desc: string, at: number) =>
    (
      await alarms.save(
        alarms.create({
          siteId,
          name,
          node,
          description: desc,
          raisedAt: at,
          resumedAt: null,
          state: 'active',
          lastSeenAt: at,
          createdAt: at,
          updatedAt: at,
        }),
      )
    ).id;
  const hostileAlarm = await alarm(
    bj01.id,
    'LINK_DOWN',
    'sw01',
    HOSTILE_DESCRIPTION,
    NOW - 20 * MIN,
  );
  const siteBAlarm = await alarm(bj02.id, 'PROCESS_DOWN', 'web01', 'tomcat exited', NOW - 2 * HOUR);

  const cursor = (siteId: number, kind: string, extra: Partial<IngestCursor>) => ({
    siteId,
    kind,
    fileDate: '20261125',
    byteOffset: 0,
    lineNo: 0,
    etag: null,
    lastModified: null,
    fileSize: null,
    headHash: null,
    headLen: 0,
    tailHash: null,
    tailLen: 0,
    encoding: 'utf8',
    state: 'open' as const,
    resets: 0,
    lastFetchAt: NOW - 5 * MIN,
    lastStatus: '206',
    lastError: null,
    bytesRead: 0,
    rowsInserted: 0,
    rowsDuplicate: 0,
    rowsQuarantined: 0,
    ...extra,
  });
  await ds.getRepository(IngestCursor).insert([
    cursor(bj01.id, 'system_info', {
      byteOffset: 4096,
      lineNo: 40,
      bytesRead: 4096,
      rowsInserted: 38,
      rowsDuplicate: 1,
      rowsQuarantined: 1,
    }),
    cursor(bj01.id, 'system_alarm', {
      lastStatus: 'error',
      lastError: 'HTTP 500 <html>oops</html>',
      lastFetchAt: NOW - 10 * MIN,
    }),
    cursor(bj02.id, 'system_info', { bytesRead: 512, rowsInserted: 5, lineNo: 5 }),
  ]);
  await ds.getRepository(IngestError).insert([
    {
      siteId: bj01.id,
      kind: 'system_info',
      fileDate: '20261125',
      file: 'system_info_20261125.txt',
      lineNo: 7,
      raw: HOSTILE_RAW,
      reason: 'bad number in field 3',
      createdAt: NOW - 5 * MIN,
    },
    {
      siteId: bj02.id,
      kind: 'system_service',
      fileDate: '20261125',
      file: 'system_service_20261125.txt',
      lineNo: 3,
      raw: 'bj02-only-raw-line',
      reason: 'too few fields',
      createdAt: NOW - 6 * MIN,
    },
  ]);

  const ids = async (name: string) =>
    (await alarms.findOneOrFail({ where: { name }, order: { id: 'ASC' } })).id;
  return {
    ...s,
    zhou: { userId: zhouU.id, login: zhouU.login, displayName: zhouU.displayName },
    hostile: { alarmId: hostileAlarm, serverId: hostileServer.id },
    siteBAlarmId: siteBAlarm,
    alarmIds: {
      CPU_HIGH: await ids('CPU_HIGH'),
      DISK_FULL: await ids('DISK_FULL'),
      NODE_DOWN: await ids('NODE_DOWN'),
      MEM_HIGH: await ids('MEM_HIGH'),
    },
  };
}

/**
 * A page body with what legitimately differs between two requests blanked: CSRF tokens (fresh
 * per render) and the request URL `url` (the language switch links back to it), as given and
 * URL-encoded.
 */
export function normalizedBody(body: string, url: string): string {
  return body
    .replace(/data-csrf="[^"]*"/g, 'data-csrf="T"')
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="T"')
    .split(encodeURIComponent(url))
    .join('URL')
    .split(url)
    .join('URL');
}

/** Request headers of a signed-in session (with the CSRF token unless `csrf` is false). */
export function authHeaders(s: WebSession, csrf = true): Record<string, string> {
  return csrf ? { cookie: s.cookie, 'x-csrf-token': s.csrf } : { cookie: s.cookie };
}

/** The seeded portal on `ds`, signed in as the admin and as the operator zhou (who sees BJ01 only). */
export async function openPortal(ds: DataSource): Promise<{
  app: FastifyInstance;
  s: PortalSeed;
  admin: WebSession;
  zhou: WebSession;
}> {
  const s = await seedPortal(ds);
  const app = await createTestWeb(ds);
  return {
    app,
    s,
    admin: await login(app, 'admin', PASSWORD),
    zhou: await login(app, 'zhou', PASSWORD),
  };
}

/** GET `url` with `who`'s session, or signed out. */
export function getAs(app: FastifyInstance, url: string, who?: WebSession) {
  return app.inject({ method: 'GET', url, headers: who ? { cookie: who.cookie } : {} });
}
