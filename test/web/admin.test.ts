// Administration pages and API: exact results in the database and on the page for an admin, 403 for an operator, CSRF on every POST.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import {
  BindCode,
  OutboxMessage,
  RoomSubscription,
  Site,
  User,
  WechatBinding,
} from '../../entities';
import { redeemBindCode } from '../../src/admin/bind-codes';
import { verifyPassword } from '../../src/auth/password';
import { createLogger } from '../../src/log';
import { retryMessage } from '../../src/outbox/store';
import { commonMessages } from '../../src/web/i18n';
import { adminMessages } from '../../src/web/routes/admin';
import { describeEachEngine, resetDb } from '../helpers/db';
import {
  HOUR,
  MIN,
  NOW,
  PASSWORD,
  type PortalSeed,
  type WebSession,
  createTestWeb,
  login,
  seedPortal,
} from './helpers';
import { noteChatSeen } from '../../src/admin/chat-seen';

/** Text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed. */
function text(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The inner HTML of the table row `<tr attr="value">`, or null. */
function row(html: string, attr: string, value: string | number): string | null {
  const re = new RegExp(`<tr ${attr}="${value}"[^>]*>([\\s\\S]*?)</tr>`);
  return re.exec(html)?.[1] ?? null;
}

/** The text of each cell of a row. */
function cells(rowHtml: string | null): string[] {
  if (rowHtml === null) throw new Error('no such row');
  return [...rowHtml.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => text(m[1]));
}

/** The values of the rows' `attr` attributes, in page order. */
function rowKeys(html: string, attr: string): string[] {
  return [...html.matchAll(new RegExp(`<tr ${attr}="([^"]*)"`, 'g'))].map((m) => m[1]);
}

/** The form error shown on a page (the `role="alert"` paragraph), or null. */
function formError(html: string): string | null {
  const m = /<p class="error" role="alert">([\s\S]*?)<\/p>/.exec(html);
  return m ? text(m[1]) : null;
}

const FORBIDDEN = '没有权限访问此页面。';

describe('administration texts', () => {
  it('has every text the admin templates use, in Chinese and in English', () => {
    const views = path.join(__dirname, '..', '..', 'src', 'web', 'views');
    const used = new Set<string>();
    for (const f of readdirSync(views).filter((n) => n.startsWith('admin-'))) {
      const src = readFileSync(path.join(views, f), 'utf8');
      // The quoted words in the first argument of each it.t(…) call (not those compared with).
      for (const m of src.matchAll(/it\.t\(([^,)]*)/g))
        for (const q of m[1].matchAll(/(?<![=!]== )'(\w+)'/g)) used.add(q[1]);
    }
    for (const s of ['pending', 'sending', 'sent', 'failed']) used.add(`status_${s}`);
    expect(used.size).toBeGreaterThan(60);
    for (const lang of ['zh', 'en'] as const) {
      const known = { ...commonMessages[lang], ...adminMessages[lang] };
      expect([lang, [...used].filter((k) => !(k in known) && k !== 'status_')]).toEqual([lang, []]);
    }
    expect(Object.keys(adminMessages.en).sort()).toEqual(Object.keys(adminMessages.zh).sort());
  });
});

describeEachEngine('web administration', (db) => {
  let app: FastifyInstance;
  let seeded: PortalSeed;
  let admin: WebSession;
  let logs: string[];
  let room: RoomSubscription;
  let msg: { failedEmail: number; pendingWechat: number; sentEmail: number; failedWecom: number };

  beforeEach(async () => {
    await resetDb(db());
    const ds = db().ds;
    seeded = await seedPortal(ds);
    logs = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        cb();
      },
    });
    app = await createTestWeb(ds, { deps: { log: createLogger('debug', sink) } });
    admin = await login(app, 'admin', PASSWORD);

    room = await ds.getRepository(RoomSubscription).save({
      roomTopic: '运维一群',
      roomId: 'room-1',
      siteId: seeded.sites.bj01.id,
      createdBy: seeded.admin.userId,
      createdAt: NOW - 2 * HOUR,
    });
    const outbox = ds.getRepository(OutboxMessage);
    const put = async (m: Partial<OutboxMessage>) =>
      (
        await outbox.save({
          channel: 'email',
          recipient: 'ops@example.com',
          dedupeKey: `key-${Math.random()}`,
          kind: 'alarms',
          siteId: seeded.sites.bj01.id,
          payload: JSON.stringify({ kind: 'alarms', note: '<b>CPU</b>' }),
          status: 'failed',
          attempts: 5,
          nextTryAt: NOW - HOUR,
          claimedBy: null,
          claimedUntil: null,
          lastError: '550 <script>alert(1)</script> rejected',
          createdAt: NOW - 2 * HOUR,
          updatedAt: NOW - HOUR,
          sentAt: null,
          ...m,
        })
      ).id;
    msg = {
      failedEmail: await put({}),
      pendingWechat: await put({
        channel: 'wechat',
        recipient: 'room:运维一群',
        kind: 'report',
        siteId: seeded.sites.sh01.id,
        status: 'pending',
        attempts: 1,
        // Its text went out; the image is still to come.
        partsSent: 1,
        nextTryAt: NOW + 5 * MIN,
        lastError: 'bot offline',
        payload: '{"kind":"report"}',
      }),
      sentEmail: await put({
        recipient: 'li@example.com',
        siteId: seeded.sites.bj02.id,
        status: 'sent',
        attempts: 1,
        lastError: null,
        sentAt: NOW - HOUR,
      }),
      failedWecom: await put({
        channel: 'wecom',
        recipient: 'robot-a',
        kind: 'bot',
        siteId: null,
        attempts: 3,
        lastError: 'HTTP 500',
        payload: 'not json',
      }),
    };
  });

  afterEach(async () => {
    await app.close();
  });

  const get = (s: WebSession | null, url: string) =>
    app.inject({ method: 'GET', url, headers: s ? { cookie: s.cookie } : {} });

  /** A browser form post (with the session's token unless `csrf` is false or a string to use instead). */
  const form = (
    s: WebSession,
    url: string,
    fields: [string, string][] = [],
    csrf: boolean | string = true,
  ) => {
    const token = csrf === true ? s.csrf : csrf === false ? null : csrf;
    return app.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams([
        ...(token === null ? [] : [['_csrf', token]]),
        ...fields,
      ]).toString(),
    });
  };

  /** A JSON API call with the CSRF header (unless `csrf` is false). */
  const api = (s: WebSession, url: string, body: unknown = {}, csrf = true) =>
    app.inject({
      method: 'POST',
      url,
      headers: { cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrf } : {}) },
      payload: body as Record<string, unknown>,
    });

  const users = () => db().ds.getRepository(User);
  const sites = () => db().ds.getRepository(Site);
  const userWithSites = async (login: string) => {
    const u = await users().findOneOrFail({ where: { login }, relations: { sites: true } });
    return { ...u, sites: u.sites.map((s) => s.code).sort() };
  };
  const json = (r: LightMyRequestResponse) => JSON.parse(r.body) as Record<string, unknown>;

  describe('users', () => {
    it('lists every user with role, email, sites, notifications and WeChat binding (page and API)', async () => {
      await db()
        .ds.getRepository(WechatBinding)
        .insert({
          userId: seeded.li.userId,
          alias: 'sw-li',
          contactId: 'wx-1',
          contactName: '李雷的微信',
          boundAt: NOW - HOUR,
          lastSeenAt: null,
        });
      await users().update({ login: 'wang' }, { email: 'wang@example.com', reportEmail: true });

      const page = await get(admin, '/admin/users');
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(rowKeys(page.body, 'data-login')).toEqual(['admin', 'li', 'wang', 'zhou']);
      expect(cells(row(page.body, 'data-login', 'admin'))).toEqual([
        'admin',
        'admin',
        '管理员',
        '',
        '（全部）',
        '告警邮件: 开; 微信告警: 关; 日报邮件: 关',
        '未绑定',
        '管理',
      ]);
      expect(cells(row(page.body, 'data-login', 'li'))).toEqual([
        'li',
        '李雷',
        '运维',
        '',
        'BJ01, SH01',
        '告警邮件: 开; 微信告警: 关; 日报邮件: 关',
        '已绑定 (李雷的微信)',
        '管理',
      ]);
      expect(cells(row(page.body, 'data-login', 'wang'))).toEqual([
        'wang',
        '王芳',
        '运维',
        'wang@example.com',
        'BJ02',
        '告警邮件: 开; 微信告警: 关; 日报邮件: 开',
        '未绑定',
        '管理',
      ]);

      const res = await get(admin, '/api/admin/users');
      expect(res.statusCode).toBe(200);
      const list = json(res).users as Record<string, unknown>[];
      expect(list.map((u) => u.login)).toEqual(['admin', 'li', 'wang', 'zhou']);
      expect(list[1]).toEqual({
        login: 'li',
        name: '李雷',
        role: 'operator',
        email: null,
        sites: ['BJ01', 'SH01'],
        notifyEmail: true,
        notifyWechat: false,
        reportEmail: false,
        wechatBound: true,
        wechatContact: '李雷的微信',
        createdAt: NOW,
      });
      // Password hashes never leave the server.
      expect(res.body).not.toContain('scrypt');
      expect(page.body).not.toContain('scrypt');

      const one = await get(admin, '/api/admin/users/wang');
      expect(json(one).user).toEqual({
        login: 'wang',
        name: '王芳',
        role: 'operator',
        email: 'wang@example.com',
        sites: ['BJ02'],
        notifyEmail: true,
        notifyWechat: false,
        reportEmail: true,
        wechatBound: false,
        wechatContact: null,
        createdAt: NOW,
      });
      expect((await get(admin, '/api/admin/users/nobody')).statusCode).toBe(404);
      const detail = await get(admin, '/admin/users/li');
      expect(detail.statusCode).toBe(200);
      expect(text(/<h1>([\s\S]*?)<\/h1>/.exec(detail.body)![1])).toBe('li · 李雷');
      expect(detail.body).toContain('<option value="BJ01" selected>');
      expect(detail.body).toContain('<option value="BJ02">');
      expect(detail.body).toContain('<option value="SH01" selected>');
      expect((await get(admin, '/admin/users/nobody')).statusCode).toBe(404);
    });

    it('speaks English when asked', async () => {
      const en = { ...admin, cookie: `${admin.cookie}; sw_lang=en` };
      const page = await get(en, '/admin/users');
      expect(text(/<h1>([\s\S]*?)<\/h1>/.exec(page.body)![1])).toBe('Users');
      expect(cells(row(page.body, 'data-login', 'li'))).toEqual([
        'li',
        '李雷',
        'Operator',
        '',
        'BJ01, SH01',
        'Alarm emails: on; WeChat alarms: off; Report email: off',
        'not bound',
        'Manage',
      ]);
      const outbox = await get(en, '/admin/outbox');
      expect(cells(row(outbox.body, 'data-id', msg.failedEmail)).slice(0, 2)).toEqual([
        String(msg.failedEmail),
        'failed',
      ]);
      expect(cells(row(outbox.body, 'data-id', msg.pendingWechat))[6]).toBe(
        '1 1 part(s) delivered',
      );
    });

    it('creates a user from the form: scrypt hash, sites, role; the new user can log in', async () => {
      const res = await form(admin, '/admin/users', [
        ['login', 'chen'],
        ['name', '陈晨'],
        ['email', 'chen@example.com'],
        ['role', 'operator'],
        ['sites', 'BJ02'],
        ['sites', 'SH01'],
        ['password', 'chen-pass-2026'],
      ]);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/users?done=userCreated');
      const u = await userWithSites('chen');
      expect(u).toMatchObject({
        login: 'chen',
        displayName: '陈晨',
        email: 'chen@example.com',
        role: 'operator',
        sites: ['BJ02', 'SH01'],
        notifyEmail: true,
        notifyWechat: false,
        reportEmail: false,
        createdAt: NOW,
      });
      expect(u.passwordHash.startsWith('scrypt$')).toBe(true);
      expect(await verifyPassword('chen-pass-2026', u.passwordHash)).toBe(true);

      const page = await get(admin, '/admin/users?done=userCreated');
      expect(page.body).toContain('<p class="notice" role="status">已创建用户。</p>');
      expect(cells(row(page.body, 'data-login', 'chen'))).toEqual([
        'chen',
        '陈晨',
        '运维',
        'chen@example.com',
        'BJ02, SH01',
        '告警邮件: 开; 微信告警: 关; 日报邮件: 关',
        '未绑定',
        '管理',
      ]);
      // An unknown notice key shows nothing.
      expect((await get(admin, '/admin/users?done=<script>')).body).not.toContain('class="notice"');

      const chen = await login(app, 'chen', 'chen-pass-2026');
      const mine = json(await get(chen, '/api/sites')).sites as { code: string }[];
      expect(mine.map((s) => s.code)).toEqual(['BJ02', 'SH01']);
      expect(logs.join('')).not.toContain('chen-pass-2026');
    });

    it('creates an admin through the API and answers the new user', async () => {
      const res = await api(admin, '/api/admin/users', {
        login: 'boss',
        name: '老板',
        role: 'admin',
        sites: [],
        password: 'boss-password-1',
      });
      expect(res.statusCode).toBe(200);
      expect(json(res)).toEqual({
        user: {
          login: 'boss',
          name: '老板',
          role: 'admin',
          email: null,
          sites: [],
          notifyEmail: true,
          notifyWechat: false,
          reportEmail: false,
          wechatBound: false,
          wechatContact: null,
          createdAt: NOW,
        },
      });
      expect(res.body).not.toContain('boss-password-1');
      const boss = await login(app, 'boss', 'boss-password-1');
      expect((await get(boss, '/admin/users')).statusCode).toBe(200);
    });

    it('refuses bad input with 400 and the message on the form (or 409 for a duplicate), creating nothing', async () => {
      const before = await users().count();
      const cases: [string, [string, string][], number, string][] = [
        [
          'short password',
          [
            ['login', 'chen'],
            ['password', 'short-pw1'],
          ],
          400,
          'password must be at least 10 characters',
        ],
        [
          'bad login',
          [
            ['login', 'chen wu'],
            ['password', 'chen-pass-2026'],
          ],
          400,
          'login may use letters, digits and . _ @ - only',
        ],
        [
          'bad email',
          [
            ['login', 'chen'],
            ['email', 'not-an-email'],
            ['password', 'chen-pass-2026'],
          ],
          400,
          'email is not an email address',
        ],
        [
          'unknown site',
          [
            ['login', 'chen'],
            ['sites', 'XX99'],
            ['password', 'chen-pass-2026'],
          ],
          400,
          'sites: no site "XX99"',
        ],
        [
          'duplicate',
          [
            ['login', 'li'],
            ['password', 'chen-pass-2026'],
          ],
          409,
          'User "li" already exists.',
        ],
      ];
      for (const [what, fields, status, message] of cases) {
        const res = await form(admin, '/admin/users', [['name', '陈<晨>'], ...fields]);
        expect([what, res.statusCode]).toEqual([what, status]);
        expect([what, formError(res.body)]).toEqual([what, message]);
        // The form comes back filled in (escaped), never with the password.
        expect(res.body).toContain('value="陈&lt;晨&gt;"');
        expect(res.body).not.toContain('chen-pass-2026');
        expect(res.body).not.toContain('short-pw1');
      }
      const bad = await api(admin, '/api/admin/users', { login: 'chen', password: 'short' });
      expect(bad.statusCode).toBe(400);
      expect(json(bad)).toEqual({ error: '请求无效：password must be at least 10 characters' });
      const dup = await api(admin, '/api/admin/users', { login: 'li', password: 'chen-pass-2026' });
      expect(dup.statusCode).toBe(409);
      expect(json(dup)).toEqual({ error: '请求无效：User "li" already exists.' });
      expect(await users().count()).toBe(before);
    });

    it('resets a password: the old one stops working, the new one works, neither is shown or logged', async () => {
      const liBefore = await login(app, 'li', PASSWORD);
      const wangBefore = await login(app, 'wang', PASSWORD);
      const otherAdmin = await login(app, 'admin', PASSWORD);
      const res = await form(admin, '/admin/users/li/password', [['password', 'new-secret-li-42']]);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/users/li?done=passwordReset');
      const u = await users().findOneByOrFail({ login: 'li' });
      expect(u.passwordHash.startsWith('scrypt$')).toBe(true);
      expect(await verifyPassword('new-secret-li-42', u.passwordHash)).toBe(true);
      // li's open sessions end; other users' sessions do not.
      expect((await get(liBefore, '/api/sites')).statusCode).toBe(401);
      expect((await get(wangBefore, '/api/sites')).statusCode).toBe(200);
      expect((await get(otherAdmin, '/api/sites')).statusCode).toBe(200);
      await expect(login(app, 'li', PASSWORD)).rejects.toThrow('login of "li" failed: 401');
      await login(app, 'li', 'new-secret-li-42');
      const page = await get(admin, '/admin/users/li?done=passwordReset');
      expect(page.body).toContain('<p class="notice" role="status">已重置密码。</p>');
      expect(page.body).not.toContain('new-secret-li-42');

      const viaApi = await api(admin, '/api/admin/users/wang/password', {
        password: 'wang-secret-2027',
      });
      expect(viaApi.statusCode).toBe(200);
      expect(json(viaApi)).toEqual({ ok: true });
      await login(app, 'wang', 'wang-secret-2027');

      const short = await form(admin, '/admin/users/li/password', [['password', 'short']]);
      expect(short.statusCode).toBe(400);
      expect(formError(short.body)).toBe('password must be at least 10 characters');
      expect(
        (await api(admin, '/api/admin/users/nobody/password', { password: 'x'.repeat(12) }))
          .statusCode,
      ).toBe(404);
      expect(logs.join('')).not.toContain('new-secret-li-42');
      expect(logs.join('')).not.toContain('wang-secret-2027');
      expect(logs.join('')).toContain('"msg":"password reset"');
      // An admin resetting their own password keeps the session they are using, not the others.
      const own = await api(admin, '/api/admin/users/admin/password', {
        password: 'admin-secret-99',
      });
      expect(own.statusCode).toBe(200);
      expect((await get(admin, '/api/sites')).statusCode).toBe(200);
      expect((await get(otherAdmin, '/api/sites')).statusCode).toBe(401);
    });

    it('assigns sites (multi-select), which changes what the user sees', async () => {
      const res = await form(admin, '/admin/users/li/sites', [
        ['sites', 'BJ02'],
        ['sites', 'OFF1'],
      ]);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/users/li?done=sitesSaved');
      expect((await userWithSites('li')).sites).toEqual(['BJ02', 'OFF1']);
      const li = await login(app, 'li', PASSWORD);
      expect(
        (json(await get(li, '/api/sites')).sites as { code: string }[]).map((s) => s.code),
      ).toEqual(['BJ02']);

      // Nothing selected: the field is absent from the form; the user manages no site.
      expect((await form(admin, '/admin/users/li/sites', [])).statusCode).toBe(303);
      expect((await userWithSites('li')).sites).toEqual([]);

      const viaApi = await api(admin, '/api/admin/users/zhou/sites', { sites: ['SH01', 'BJ01'] });
      expect(viaApi.statusCode).toBe(200);
      expect((json(viaApi).user as { sites: string[] }).sites).toEqual(['BJ01', 'SH01']);
      expect((await userWithSites('zhou')).sites).toEqual(['BJ01', 'SH01']);

      const bad = await form(admin, '/admin/users/zhou/sites', [['sites', 'NOPE']]);
      expect(bad.statusCode).toBe(400);
      expect(formError(bad.body)).toBe('sites: no site "NOPE"');
      expect((await userWithSites('zhou')).sites).toEqual(['BJ01', 'SH01']);
      expect((await form(admin, '/admin/users/nobody/sites', [])).statusCode).toBe(404);
    });

    it('changes notification settings: unticked boxes are off on the form, absent fields unchanged in the API', async () => {
      const res = await form(admin, '/admin/users/li/notify', [
        ['email', 'li@example.com'],
        ['notifyWechat', 'on'],
      ]);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/users/li?done=notifySaved');
      expect(await users().findOneByOrFail({ login: 'li' })).toMatchObject({
        email: 'li@example.com',
        notifyEmail: false,
        notifyWechat: true,
        reportEmail: false,
      });
      const viaApi = await api(admin, '/api/admin/users/li/notify', { reportEmail: true });
      expect(viaApi.statusCode).toBe(200);
      expect(await users().findOneByOrFail({ login: 'li' })).toMatchObject({
        email: 'li@example.com',
        notifyEmail: false,
        notifyWechat: true,
        reportEmail: true,
      });
      const page = await get(admin, '/admin/users');
      expect(cells(row(page.body, 'data-login', 'li'))[5]).toBe(
        '告警邮件: 关; 微信告警: 开; 日报邮件: 开',
      );
      // An empty address removes it.
      await form(admin, '/admin/users/li/notify', [['email', '']]);
      expect((await users().findOneByOrFail({ login: 'li' })).email).toBeNull();
      const bad = await form(admin, '/admin/users/li/notify', [['email', 'nope']]);
      expect(bad.statusCode).toBe(400);
      expect(formError(bad.body)).toBe('email is not an email address');
    });

    it('generates a bind code shown once with its expiry; it binds to that user', async () => {
      const res = await form(admin, '/admin/users/li/bind-code');
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const code = /<strong class="code">([A-Z0-9]{8})<\/strong>/.exec(res.body)?.[1];
      expect(code).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
      expect(text(/<div class="card" id="bind-code">([\s\S]*?)<\/div>/.exec(res.body)![1])).toBe(
        `绑定码（只显示这一次）： ${code} 在 2026-11-25 21:10 之前向机器人发送“绑定 ${code}”（仅可使用一次）。`,
      );
      const rows = await db().ds.getRepository(BindCode).find();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        userId: seeded.li.userId,
        expiresAt: NOW + 10 * MIN,
        usedAt: null,
      });
      expect(rows[0].codeHash).not.toContain(code!);
      // Shown once: the user page afterwards does not carry it.
      expect((await get(admin, '/admin/users/li')).body).not.toContain(code!);
      expect((await redeemBindCode(db().ds, code!, NOW))?.login).toBe('li');

      const viaApi = await api(admin, '/api/admin/users/wang/bind-code');
      expect(viaApi.statusCode).toBe(200);
      const b = json(viaApi) as { code: string; expiresAt: number; expiresText: string };
      expect(b.expiresAt).toBe(NOW + 10 * MIN);
      expect(b.expiresText).toBe('2026-11-25 21:10');
      expect((await redeemBindCode(db().ds, b.code, NOW))?.login).toBe('wang');
      expect((await api(admin, '/api/admin/users/nobody/bind-code')).statusCode).toBe(404);
    });
  });

  describe('sites', () => {
    it('lists the sites with last ingest and error; a token is only ever "set"', async () => {
      await sites().update({ code: 'BJ02' }, { authToken: 'tok-secret-bj02-xyz', encoding: 'gbk' });
      const page = await get(admin, '/admin/sites');
      expect(page.statusCode).toBe(200);
      expect(rowKeys(page.body, 'data-code')).toEqual(['BJ01', 'BJ02', 'OFF1', 'SH01']);
      expect(cells(row(page.body, 'data-code', 'BJ01'))).toEqual([
        'BJ01',
        '北京一号',
        'http://bj01',
        'auto',
        '默认（Asia/Shanghai）',
        '无',
        '启用',
        '2026-11-25 20:55',
        '',
        '编辑局点 停用',
      ]);
      expect(cells(row(page.body, 'data-code', 'BJ02'))).toEqual([
        'BJ02',
        '北京二号',
        'http://bj02',
        'gbk',
        '默认（Asia/Shanghai）',
        '已设置',
        '启用',
        '从未',
        '',
        '编辑局点 停用',
      ]);
      expect(cells(row(page.body, 'data-code', 'OFF1'))[6]).toBe('停用');
      expect(cells(row(page.body, 'data-code', 'OFF1'))[9]).toBe('编辑局点 启用');
      expect(cells(row(page.body, 'data-code', 'SH01'))).toEqual([
        'SH01',
        '上海移动',
        'http://sh01',
        'auto',
        'UTC',
        '无',
        '启用',
        '2026-11-25 12:57',
        '2026-11-25 12:57 connect ECONNREFUSED 10.2.0.1:8088',
        '编辑局点 停用',
      ]);
      expect(page.body).not.toContain('tok-secret-bj02-xyz');

      const res = await get(admin, '/api/admin/sites');
      expect(res.body).not.toContain('tok-secret-bj02-xyz');
      const list = json(res).sites as Record<string, unknown>[];
      expect(list.map((s) => s.code)).toEqual(['BJ01', 'BJ02', 'OFF1', 'SH01']);
      expect(list[3]).toEqual({
        code: 'SH01',
        name: '上海移动',
        baseUrl: 'http://sh01',
        encoding: 'auto',
        timezone: 'UTC',
        enabled: true,
        tokenSet: false,
        lastIngestAt: NOW - 3 * MIN,
        lastIngestText: '2026-11-25 12:57',
        lastSuccessAt: NOW - HOUR,
        lastSuccessText: '2026-11-25 12:00',
        lastError: 'connect ECONNREFUSED 10.2.0.1:8088',
        lastErrorAt: NOW - 3 * MIN,
        lastErrorText: '2026-11-25 12:57',
      });
      expect(list[1].tokenSet).toBe(true);
      const one = await get(admin, '/api/admin/sites/BJ02');
      expect((json(one).site as { tokenSet: boolean }).tokenSet).toBe(true);
      expect(one.body).not.toContain('tok-secret-bj02-xyz');
      const detail = await get(admin, '/admin/sites/BJ02');
      expect(detail.statusCode).toBe(200);
      expect(detail.body).not.toContain('tok-secret-bj02-xyz');
      expect(detail.body).toContain('<option value="gbk" selected>');
      expect((await get(admin, '/admin/sites/NOPE')).statusCode).toBe(404);
      expect((await get(admin, '/api/admin/sites/NOPE')).statusCode).toBe(404);
    });

    it('adds a site from the form with encoding, time zone and token', async () => {
      const res = await form(admin, '/admin/sites', [
        ['code', 'GZ01'],
        ['name', '广州一号'],
        ['baseUrl', 'http://gz01:8088'],
        ['encoding', 'gb18030'],
        ['timezone', 'Asia/Urumqi'],
        ['token', 'tok-gz01-abcdef-123'],
      ]);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/sites?done=siteAdded');
      expect(await sites().findOneByOrFail({ code: 'GZ01' })).toMatchObject({
        name: '广州一号',
        baseUrl: 'http://gz01:8088',
        encoding: 'gb18030',
        timezone: 'Asia/Urumqi',
        authToken: 'tok-gz01-abcdef-123',
        enabled: true,
        createdAt: NOW,
        lastIngestAt: null,
      });
      const page = await get(admin, '/admin/sites?done=siteAdded');
      expect(page.body).toContain('<p class="notice" role="status">已添加局点。</p>');
      expect(cells(row(page.body, 'data-code', 'GZ01'))).toEqual([
        'GZ01',
        '广州一号',
        'http://gz01:8088',
        'gb18030',
        'Asia/Urumqi',
        '已设置',
        '启用',
        '从未',
        '',
        '编辑局点 停用',
      ]);
      expect(page.body).not.toContain('tok-gz01-abcdef-123');
      expect(logs.join('')).not.toContain('tok-gz01-abcdef-123');

      const viaApi = await api(admin, '/api/admin/sites', {
        code: 'GZ02',
        name: '广州二号',
        baseUrl: 'file:///srv/gz02',
      });
      expect(viaApi.statusCode).toBe(200);
      expect(json(viaApi).site).toMatchObject({
        code: 'GZ02',
        encoding: 'auto',
        timezone: null,
        tokenSet: false,
        enabled: true,
      });
    });

    it('refuses a bad site with 400 and the zod message on the form (409 for a taken code)', async () => {
      const before = await sites().count();
      const base: [string, string][] = [
        ['code', 'GZ01'],
        ['name', '广州<一号>'],
        ['baseUrl', 'http://gz01'],
      ];
      const cases: [string, [string, string][], number, string][] = [
        [
          'url',
          [['baseUrl', 'ftp://gz01']],
          400,
          'baseUrl must start with http://, https:// or file://',
        ],
        ['code', [['code', 'GZ 01']], 400, 'code must not contain spaces or "|"'],
        [
          'encoding',
          [['encoding', 'klingon']],
          400,
          'encoding is not an encoding iconv-lite knows (use auto, utf8, gbk or gb18030)',
        ],
        [
          'zone',
          [['timezone', 'Mars/Olympus']],
          400,
          'timezone is not a known IANA time zone (e.g. Asia/Shanghai)',
        ],
        ['taken', [['code', 'BJ01']], 409, 'Site "BJ01" already exists.'],
      ];
      for (const [what, override, status, message] of cases) {
        const fields = new Map(base);
        for (const [k, v] of override) fields.set(k, v);
        const res = await form(admin, '/admin/sites', [...fields, ['token', 'tok-never-shown-1']]);
        expect([what, res.statusCode]).toEqual([what, status]);
        expect([what, formError(res.body)]).toEqual([what, message]);
        expect(res.body).toContain('value="广州&lt;一号&gt;"');
        expect(res.body).not.toContain('tok-never-shown-1');
      }
      const bad = await api(admin, '/api/admin/sites', {
        code: 'GZ01',
        name: 'x',
        baseUrl: 'gz01',
      });
      expect(bad.statusCode).toBe(400);
      expect(json(bad)).toEqual({
        error: '请求无效：baseUrl must start with http://, https:// or file://',
      });
      expect(await sites().count()).toBe(before);
    });

    it('edits name, URL, encoding and time zone; the token is kept, replaced or removed', async () => {
      const res = await form(admin, '/admin/sites/BJ01', [
        ['name', '北京一号局'],
        ['baseUrl', 'https://bj01.example:8443'],
        ['encoding', 'gbk'],
        ['timezone', 'Asia/Urumqi'],
        ['token', ''],
      ]);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/sites/BJ01?done=siteSaved');
      expect(await sites().findOneByOrFail({ code: 'BJ01' })).toMatchObject({
        name: '北京一号局',
        baseUrl: 'https://bj01.example:8443',
        encoding: 'gbk',
        timezone: 'Asia/Urumqi',
        authToken: null,
        enabled: true,
      });
      const page = await get(admin, '/admin/sites/BJ01?done=siteSaved');
      expect(page.body).toContain('<p class="notice" role="status">已保存局点。</p>');
      expect(page.body).toContain('value="https://bj01.example:8443"');

      await api(admin, '/api/admin/sites/BJ01', { token: 'tok-bj01-new-0001' });
      expect((await sites().findOneByOrFail({ code: 'BJ01' })).authToken).toBe('tok-bj01-new-0001');
      // An empty token field keeps the token; an empty time zone means the default.
      await form(admin, '/admin/sites/BJ01', [
        ['name', '北京一号局'],
        ['baseUrl', 'https://bj01.example:8443'],
        ['encoding', 'gbk'],
        ['timezone', ''],
        ['token', ''],
      ]);
      expect(await sites().findOneByOrFail({ code: 'BJ01' })).toMatchObject({
        authToken: 'tok-bj01-new-0001',
        timezone: null,
      });
      const shown = await get(admin, '/admin/sites/BJ01');
      expect(shown.body).not.toContain('tok-bj01-new-0001');
      expect(text(/<td class="site-token">([\s\S]*?)<\/td>/.exec(shown.body)![1])).toBe('已设置');
      await form(admin, '/admin/sites/BJ01', [['clearToken', 'on']]);
      expect((await sites().findOneByOrFail({ code: 'BJ01' })).authToken).toBeNull();

      const bad = await form(admin, '/admin/sites/BJ01', [
        ['name', '北京'],
        ['baseUrl', 'bj01.example'],
        ['encoding', 'gbk'],
        ['timezone', ''],
      ]);
      expect(bad.statusCode).toBe(400);
      expect(formError(bad.body)).toBe('baseUrl must start with http://, https:// or file://');
      expect(bad.body).toContain('value="bj01.example"');
      const zone = await api(admin, '/api/admin/sites/BJ01', { timezone: 'Nowhere/City' });
      expect(zone.statusCode).toBe(400);
      expect(json(zone).error).toBe(
        '请求无效：timezone is not a known IANA time zone (e.g. Asia/Shanghai)',
      );
      expect(await sites().findOneByOrFail({ code: 'BJ01' })).toMatchObject({
        name: '北京一号局',
        baseUrl: 'https://bj01.example:8443',
      });
      expect((await form(admin, '/admin/sites/NOPE', [['name', 'x']])).statusCode).toBe(404);
    });

    it('disables and enables a site', async () => {
      const off = await form(admin, '/admin/sites/BJ01/enabled', [['enabled', '0']]);
      expect(off.statusCode).toBe(303);
      expect(off.headers.location).toBe('/admin/sites?done=siteDisabled');
      expect((await sites().findOneByOrFail({ code: 'BJ01' })).enabled).toBe(false);
      const page = await get(admin, '/admin/sites?done=siteDisabled');
      expect(page.body).toContain('<p class="notice" role="status">已停用局点。</p>');
      expect(cells(row(page.body, 'data-code', 'BJ01'))[6]).toBe('停用');
      const on = await api(admin, '/api/admin/sites/OFF1/enabled', { enabled: true });
      expect(on.statusCode).toBe(200);
      expect((json(on).site as { enabled: boolean }).enabled).toBe(true);
      expect((await sites().findOneByOrFail({ code: 'OFF1' })).enabled).toBe(true);
      const bad = await api(admin, '/api/admin/sites/OFF1/enabled', { enabled: 'maybe' });
      expect(bad.statusCode).toBe(400);
      expect(
        (await api(admin, '/api/admin/sites/NOPE/enabled', { enabled: true })).statusCode,
      ).toBe(404);
    });
  });

  describe('rooms', () => {
    it('lists, adds and removes room subscriptions', async () => {
      const page = await get(admin, '/admin/rooms');
      expect(page.statusCode).toBe(200);
      expect(cells(row(page.body, 'data-id', room.id))).toEqual([
        '微信',
        '运维一群',
        'BJ01 北京一号',
        'admin',
        '2026-11-25 19:00',
        '移除',
      ]);
      expect(json(await get(admin, '/api/admin/rooms'))).toEqual({
        rooms: [
          {
            id: room.id,
            transport: 'wechat',
            topic: '运维一群',
            seen: true,
            roomId: 'room-1',
            site: { code: 'BJ01', name: '北京一号' },
            createdBy: 'admin',
            createdAt: NOW - 2 * HOUR,
            createdText: '2026-11-25 19:00',
          },
        ],
      });

      const add = await form(admin, '/admin/rooms', [
        ['topic', '运维一群'],
        ['site', 'SH01'],
      ]);
      expect(add.statusCode).toBe(303);
      expect(add.headers.location).toBe('/admin/rooms?done=roomAdded');
      const repo = db().ds.getRepository(RoomSubscription);
      const added = await repo.findOneByOrFail({
        roomTopic: '运维一群',
        siteId: seeded.sites.sh01.id,
      });
      // The room's id is known from its other subscription.
      expect(added).toMatchObject({
        roomId: 'room-1',
        createdBy: seeded.admin.userId,
        createdAt: NOW,
      });

      const viaApi = await api(admin, '/api/admin/rooms', { topic: ' 新群 <b> ', site: 'BJ02' });
      expect(viaApi.statusCode).toBe(200);
      expect(json(viaApi).room).toMatchObject({
        topic: '新群 <b>',
        roomId: null,
        site: { code: 'BJ02', name: '北京二号' },
        createdBy: 'admin',
        createdAt: NOW,
      });
      const list = await get(admin, '/admin/rooms?done=roomAdded');
      expect(list.body).toContain('<p class="notice" role="status">已添加群订阅。</p>');
      expect(list.body).toContain('<td>新群 &lt;b&gt;</td>');
      expect(await repo.count()).toBe(3);

      const dup = await form(admin, '/admin/rooms', [
        ['topic', '运维一群'],
        ['site', 'BJ01'],
      ]);
      expect(dup.statusCode).toBe(409);
      expect(formError(dup.body)).toBe(
        'Room "运维一群" (wechat) already subscribes to site "BJ01".',
      );
      const unknown = await form(admin, '/admin/rooms', [
        ['topic', '运维二群'],
        ['site', 'NOPE'],
      ]);
      expect(unknown.statusCode).toBe(400);
      expect(formError(unknown.body)).toBe('site: no site "NOPE"');
      expect(unknown.body).toContain('value="运维二群"');
      const empty = await api(admin, '/api/admin/rooms', { topic: '  ', site: 'BJ01' });
      expect(empty.statusCode).toBe(400);
      expect(await repo.count()).toBe(3);

      const del = await form(admin, `/admin/rooms/${room.id}/delete`);
      expect(del.statusCode).toBe(303);
      expect(del.headers.location).toBe('/admin/rooms?done=roomRemoved');
      expect(await repo.findOneBy({ id: room.id })).toBeNull();
      const delApi = await api(admin, `/api/admin/rooms/${added.id}/delete`);
      expect(json(delApi)).toEqual({ removed: added.id });
      expect(await repo.count()).toBe(1);
      expect((await api(admin, `/api/admin/rooms/${room.id}/delete`)).statusCode).toBe(404);
      expect((await form(admin, '/admin/rooms/abc/delete')).statusCode).toBe(404);
    });

    it('subscribes a WeCom group by its chatid, and says when WeCom would refuse pushes to it', async () => {
      const add = await form(admin, '/admin/rooms', [
        ['transport', 'wecom'],
        ['topic', 'wrkNEVERTALKED'],
        ['site', 'BJ01'],
      ]);
      expect(add.statusCode).toBe(303);
      // The same topic on WeChat is another room.
      const wechat = await api(admin, '/api/admin/rooms', {
        topic: 'wrkNEVERTALKED',
        site: 'BJ01',
      });
      expect(json(wechat).room).toMatchObject({ transport: 'wechat', seen: true });
      const page = await get(admin, '/admin/rooms');
      type Listed = { id: number; transport: string; seen: boolean };
      const rooms = async () =>
        (json(await get(admin, '/api/admin/rooms')) as { rooms: Listed[] }).rooms;
      const wecom = (await rooms()).find((r) => r.transport === 'wecom')!;
      expect(wecom).toMatchObject({ topic: 'wrkNEVERTALKED', seen: false });
      expect(cells(row(page.body, 'data-id', wecom.id)).slice(0, 2)).toEqual([
        '企业微信',
        'wrkNEVERTALKED 该群尚未与企业微信机器人对话，企业微信不允许向其推送：请先在群里 @机器人 说一句话。',
      ]);
      await noteChatSeen(db().ds, 'wecom', 'wrkNEVERTALKED', 'group', NOW);
      expect((await rooms()).find((r) => r.id === wecom.id)).toMatchObject({ seen: true });
      const bad = await api(admin, '/api/admin/rooms', {
        transport: 'dingtalk',
        topic: 'x',
        site: 'BJ01',
      });
      expect(bad.statusCode).toBe(400);
    });
  });

  describe('outbox', () => {
    it('shows counts, failed first then pending, errors and payloads escaped, Retry only on failures', async () => {
      const page = await get(admin, '/admin/outbox');
      expect(page.statusCode).toBe(200);
      const counts = [
        ...page.body.matchAll(
          /data-status="(\w+)"><div class="muted">[^<]*<\/div><div class="v[^"]*">(\d+)</g,
        ),
      ].map((m) => [m[1], Number(m[2])]);
      expect(counts).toEqual([
        ['failed', 2],
        ['pending', 1],
        ['sending', 0],
        ['sent', 1],
      ]);
      expect(rowKeys(page.body, 'data-id')).toEqual(
        [msg.failedWecom, msg.failedEmail, msg.pendingWechat, msg.sentEmail].map(String),
      );
      const failed = row(page.body, 'data-id', msg.failedEmail);
      expect(cells(failed)).toEqual([
        String(msg.failedEmail),
        '失败',
        'email',
        'ops@example.com',
        'alarms',
        'BJ01',
        '5',
        '',
        '550 <script>alert(1)</script> rejected',
        `内容 {\n "kind": "alarms",\n "note": "<b>CPU</b>"\n}`.replace(/\s+/g, ' '),
        '重试',
      ]);
      expect(failed).toContain('550 &lt;script&gt;alert(1)&lt;/script&gt; rejected');
      expect(failed).toContain('&lt;b&gt;CPU&lt;/b&gt;');
      expect(failed).toContain(`action="/admin/outbox/${msg.failedEmail}/retry"`);
      expect(page.body).not.toContain('<script>alert(1)');
      expect(cells(row(page.body, 'data-id', msg.pendingWechat))).toEqual([
        String(msg.pendingWechat),
        '待发送',
        'wechat',
        'room:运维一群',
        'report',
        'SH01',
        '1 已送达 1 段',
        '2026-11-25 21:05',
        'bot offline',
        '内容 { "kind": "report" }',
        '',
      ]);
      expect(cells(row(page.body, 'data-id', msg.failedWecom)).slice(5, 10)).toEqual([
        '',
        '3',
        '',
        'HTTP 500',
        '内容 not json',
      ]);
      expect(row(page.body, 'data-id', msg.sentEmail)).not.toContain('retry');

      const onlyFailed = await get(admin, '/admin/outbox?status=failed');
      expect(rowKeys(onlyFailed.body, 'data-id')).toEqual(
        [msg.failedWecom, msg.failedEmail].map(String),
      );

      const res = json(await get(admin, '/api/admin/outbox'));
      expect(res.counts).toEqual({ pending: 1, sending: 0, sent: 1, failed: 2 });
      const messages = res.messages as Record<string, unknown>[];
      expect(messages.map((m) => m.id)).toEqual([
        msg.failedWecom,
        msg.failedEmail,
        msg.pendingWechat,
        msg.sentEmail,
      ]);
      expect(messages[2]).toEqual({
        id: msg.pendingWechat,
        channel: 'wechat',
        recipient: 'room:运维一群',
        kind: 'report',
        site: 'SH01',
        status: 'pending',
        attempts: 1,
        partsSent: 1,
        nextTryAt: NOW + 5 * MIN,
        nextTryText: '2026-11-25 21:05',
        lastError: 'bot offline',
        createdAt: NOW - 2 * HOUR,
        createdText: '2026-11-25 19:00',
        sentAt: null,
        payload: '{\n  "kind": "report"\n}',
      });
      const one = json(await get(admin, `/api/admin/outbox/${msg.failedWecom}`));
      expect(one.message).toMatchObject({ id: msg.failedWecom, site: null, payload: 'not json' });
      expect((await get(admin, '/api/admin/outbox/99999')).statusCode).toBe(404);
    });

    it('retries a failed message from the page: back in the queue now, attempts reset', async () => {
      const res = await form(admin, `/admin/outbox/${msg.failedEmail}/retry`);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/admin/outbox?done=retried');
      expect(
        await db().ds.getRepository(OutboxMessage).findOneByOrFail({ id: msg.failedEmail }),
      ).toMatchObject({ status: 'pending', attempts: 0, nextTryAt: NOW });
      const page = await get(admin, '/admin/outbox?done=retried');
      expect(page.body).toContain('<p class="notice" role="status">消息已重新排队发送。</p>');

      const sent = await form(admin, `/admin/outbox/${msg.sentEmail}/retry`);
      expect(sent.statusCode).toBe(409);
      expect(formError(sent.body)).toBe(
        `Message #${msg.sentEmail} is sent; only failed or pending messages can be retried.`,
      );
      expect((await form(admin, '/admin/outbox/99999/retry')).statusCode).toBe(404);
    });

    it('retries through deps.retryNotification (which queues and sends) from the API', async () => {
      await app.close();
      const calls: number[] = [];
      app = await createTestWeb(db().ds, {
        deps: {
          retryNotification: async (id) => {
            calls.push(id);
            const ok = await retryMessage(db().ds, id, NOW);
            // What the hub's sender would do next: deliver it.
            if (ok)
              await db()
                .ds.getRepository(OutboxMessage)
                .update({ id }, { status: 'sent', sentAt: NOW });
            return ok;
          },
        },
      });
      admin = await login(app, 'admin', PASSWORD);
      const res = await api(admin, `/api/admin/outbox/${msg.failedWecom}/retry`);
      expect(res.statusCode).toBe(200);
      expect(calls).toEqual([msg.failedWecom]);
      expect(json(res).message).toMatchObject({ id: msg.failedWecom, status: 'sent', attempts: 0 });
      const sent = await api(admin, `/api/admin/outbox/${msg.sentEmail}/retry`);
      expect(sent.statusCode).toBe(409);
      expect(json(sent)).toEqual({
        error: `请求无效：Message #${msg.sentEmail} is sent; only failed or pending messages can be retried.`,
      });
      expect(calls).toEqual([msg.failedWecom, msg.sentEmail]);
    });
  });

  describe('access', () => {
    const pages = () => [
      '/admin',
      '/admin/users',
      '/admin/users/li',
      '/admin/sites',
      '/admin/sites/BJ01',
      '/admin/rooms',
      '/admin/outbox',
    ];
    const apis = () => [
      '/api/admin/users',
      '/api/admin/users/li',
      '/api/admin/sites',
      '/api/admin/sites/BJ01',
      '/api/admin/rooms',
      '/api/admin/outbox',
      `/api/admin/outbox/${msg.failedEmail}`,
    ];
    /** Every state change with a body that would succeed for an admin. */
    const posts = (): [string, [string, string][]][] => [
      [
        '/users',
        [
          ['login', 'mallory'],
          ['password', 'mallory-pass-1'],
        ],
      ],
      ['/users/li/password', [['password', 'mallory-pass-1']]],
      ['/users/li/sites', [['sites', 'BJ02']]],
      ['/users/li/notify', [['email', 'm@evil.example']]],
      ['/users/li/bind-code', []],
      [
        '/sites',
        [
          ['code', 'EVIL'],
          ['name', 'evil'],
          ['baseUrl', 'http://evil'],
        ],
      ],
      ['/sites/BJ01', [['baseUrl', 'http://evil']]],
      ['/sites/BJ01/enabled', [['enabled', '0']]],
      [
        '/rooms',
        [
          ['topic', 'evil'],
          ['site', 'BJ01'],
        ],
      ],
      [`/rooms/${room.id}/delete`, []],
      [`/outbox/${msg.failedEmail}/retry`, []],
    ];

    /** Everything the POSTs above could change. */
    const snapshot = async () => {
      const ds = db().ds;
      return {
        users: await ds.query(
          `SELECT login, password_hash, email, notify_email FROM ${db().engine === 'mysql' ? '`user`' : '"user"'} ORDER BY id`,
        ),
        userSites: await ds.query(
          'SELECT user_id, site_id FROM user_site ORDER BY user_id, site_id',
        ),
        sites: await ds.query('SELECT code, base_url, enabled FROM site ORDER BY id'),
        rooms: await ds.query('SELECT id FROM room_subscription ORDER BY id'),
        outbox: await ds.query('SELECT id, status, attempts FROM outbox ORDER BY id'),
        bindCodes: await ds.query('SELECT id FROM bind_code'),
      };
    };

    it('answers 403 to an operator on every page, API and action, changing nothing', async () => {
      const zhou = await login(app, 'zhou', PASSWORD);
      const home = await get(zhou, '/');
      expect(home.body).not.toContain('href="/admin/users"');
      expect((await get(admin, '/')).body).toContain('href="/admin/users"');
      const before = await snapshot();
      for (const url of pages()) {
        const res = await get(zhou, url);
        expect([url, res.statusCode]).toEqual([url, 403]);
        expect(res.headers['content-type']).toContain('text/html');
        expect(text(/<main>([\s\S]*)<\/main>/.exec(res.body)![1])).toBe(`403 ${FORBIDDEN} ←`);
      }
      for (const url of apis()) {
        const res = await get(zhou, url);
        expect([url, res.statusCode]).toEqual([url, 403]);
        expect(json(res)).toEqual({ error: FORBIDDEN });
      }
      for (const [path, fields] of posts()) {
        const page = await form(zhou, `/admin${path}`, fields);
        expect([path, page.statusCode]).toEqual([path, 403]);
        expect(page.body).toContain(FORBIDDEN);
        const viaApi = await api(zhou, `/api/admin${path}`, Object.fromEntries(fields));
        expect([path, viaApi.statusCode]).toEqual([path, 403]);
        expect(json(viaApi)).toEqual({ error: FORBIDDEN });
      }
      expect(await snapshot()).toEqual(before);
    });

    it('sends a visitor who is not signed in to the login page (pages) or answers 401 (API)', async () => {
      for (const url of pages()) {
        const res = await get(null, url);
        expect([url, res.statusCode]).toEqual([url, 303]);
        expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
      }
      for (const url of apis()) {
        const res = await get(null, url);
        expect([url, res.statusCode]).toEqual([url, 401]);
      }
    });

    it('requires the CSRF token on every admin POST, form and API, changing nothing without it', async () => {
      const zhou = await login(app, 'zhou', PASSWORD);
      const before = await snapshot();
      for (const [path, fields] of posts()) {
        for (const csrf of [false, 'forged-token'] as const) {
          const page = await form(admin, `/admin${path}`, fields, csrf);
          expect([path, csrf, page.statusCode]).toEqual([path, csrf, 403]);
          expect(page.body).toContain('页面已过期，请刷新后重试。');
        }
        const noHeader = await api(admin, `/api/admin${path}`, Object.fromEntries(fields), false);
        expect([path, noHeader.statusCode]).toEqual([path, 403]);
        expect(json(noHeader)).toEqual({ error: '页面已过期，请刷新后重试。' });
        // Another session's token is no good either.
        const stolen = await app.inject({
          method: 'POST',
          url: `/api/admin${path}`,
          headers: { cookie: admin.cookie, 'x-csrf-token': zhou.csrf },
          payload: Object.fromEntries(fields),
        });
        expect([path, stolen.statusCode]).toEqual([path, 403]);
      }
      expect(await snapshot()).toEqual(before);
    });
  });
});
