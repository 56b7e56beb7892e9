// The portal's ask box: POST /api/ask runs the chat router as the signed-in user (texts, and charts as ECharts options), with CSRF, sign-in, a per-user rate limit and a length limit; the box is on every signed-in page.
import type { FastifyInstance } from 'fastify';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import type { Reply } from '../../commands/types';
import {
  ASK_MAX_CHARS,
  ASK_MAX_REPLIES,
  ASK_PER_MINUTE,
  askAnswer,
} from '../../src/web/routes/ask';
import { describeEachEngine } from '../helpers/db';
import { testDeps } from '../commands/seed';
import {
  type PortalSeed,
  type WebSession,
  authHeaders,
  csrfOf,
  getAs,
  openPortal,
  sessionCookie,
} from './helpers';

const CSRF_TEXT = '页面已过期，请刷新后重试。';

/** Lines of the chat's help (commands/help.ts), which the portal must answer word for word. */
const HELP_LINES = [
  'Sitewatch 命令：',
  '帮助（help/?） — 列出所有命令。',
  '状态 <局点>（status） — 局点各服务器的最新 CPU、内存、磁盘和上报时间。',
  '服务器 <名称或IP>（server） — 服务器的系统信息、最新读数和近 24 小时 CPU/内存图。',
];

const BJ01_STATUS = [
  '北京一号（BJ01）状态（2026-11-25 21:00）',
  '服务器 4 台：在报 3，停报 1；活动告警 3 条',
  '<img src=x onerror=alert(1)> 10.0.0.9：CPU 4.0%，内存 25.0%，磁盘 —，最后 2026-11-25 20:59',
  'app01 10.0.0.1：CPU 15.0%，内存 50.0%，磁盘 80.0%（/data），最后 2026-11-25 20:55',
  'app02 10.0.0.2：CPU 6.0%，内存 12.5%，磁盘 25.0%（/），最后 2026-11-25 20:56',
  'db01 10.0.0.3：CPU 45.0%，内存 75.0%，磁盘 90.0%（/），最后 2026-11-25 18:00【停报】',
  '最近采集 2026-11-25 20:55',
].join('\n');

describe('askAnswer', () => {
  it('keeps at most ASK_MAX_REPLIES replies and counts the rest; an image becomes its alt text', () => {
    const many: Reply[] = Array.from({ length: ASK_MAX_REPLIES + 5 }, (_, i) => ({
      kind: 'text',
      text: `#${i}`,
    }));
    const a = askAnswer(many);
    expect(a.replies.map((r) => r.kind === 'text' && r.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `#${i}`),
    );
    expect(a.omitted).toBe(5);
    expect(
      askAnswer([
        { kind: 'image', png: Buffer.from([1]), name: 'x.png', alt: '一张图' },
        { kind: 'chart', option: { series: [] }, name: 'c', alt: '图表' },
      ]),
    ).toEqual({
      replies: [
        { kind: 'text', text: '一张图' },
        { kind: 'chart', option: { series: [] }, name: 'c', alt: '图表' },
      ],
      omitted: 0,
    });
  });
});

describeEachEngine('web ask box', (db) => {
  let app: FastifyInstance;
  let s: PortalSeed;
  let admin: WebSession;
  let zhou: WebSession;

  beforeAll(async () => {
    ({ app, s, admin, zhou } = await openPortal(db().ds));
  });
  afterAll(async () => {
    await app.close();
  });
  // Each test counts its own questions against the rate limit.
  beforeEach(async () => {
    await db().ds.query('DELETE FROM login_attempt');
  });

  const ask = (who: WebSession | null, body: unknown, o: { csrf?: boolean; lang?: string } = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/ask',
      headers: {
        ...(who ? authHeaders(who, o.csrf ?? true) : {}),
        ...(o.lang && who ? { cookie: `${who.cookie}; sw_lang=${o.lang}` } : {}),
      },
      payload: body as Record<string, unknown>,
    });

  it('answers 帮助 with the chat bot’s help, as the chat answers this user', async () => {
    const res = await ask(zhou, { text: '帮助' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const chat = testDeps(db().ds);
    const inChat = await createCommandRouter(createCommandRegistry(), chat.deps).handle(
      '帮助',
      { userId: s.zhou.userId, login: 'zhou', displayName: '周敏', role: 'operator' },
      null,
    );
    expect(inChat).toEqual([{ kind: 'text', text: expect.any(String) }]);
    const help = inChat[0].kind === 'text' ? inChat[0].text : '';
    expect(res.json()).toEqual({ replies: [{ kind: 'text', text: help }], omitted: 0 });
    const lines = help.split('\n');
    for (const line of HELP_LINES) expect([line, lines.includes(line)]).toEqual([line, true]);
    // an operator's help leaves out the admin-only commands
    expect(help).not.toContain('订阅 <局点>');
    expect((await ask(admin, { text: 'help' })).json().replies[0].text).toContain(
      '订阅 <局点>（subscribe）',
    );
  });

  it('answers 状态 BJ01 with the text and the overview chart as the option the PNG renderer draws', async () => {
    const res = await ask(zhou, { text: '  状态 BJ01 ' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // The same option the chat's renderer is given for the same question.
    const chat = testDeps(db().ds);
    await createCommandRouter(createCommandRegistry(), chat.deps).handle('状态 BJ01', s.li, null);
    expect(chat.charts).toHaveLength(1);
    expect(body).toEqual({
      replies: [
        { kind: 'text', text: BJ01_STATUS },
        {
          kind: 'chart',
          name: 'status-BJ01',
          alt: '北京一号 服务器概览（CPU/内存/磁盘）',
          option: JSON.parse(JSON.stringify(chat.charts[0])),
        },
      ],
      omitted: 0,
    });
    expect(body.replies[1].option.title.text).toBe('北京一号 · 服务器概览');
    expect(body.replies[1].option.xAxis.data).toHaveLength(4);
  });

  it('answers as the signed-in user: another user’s site like a missing one, admins see all', async () => {
    const missing = (await ask(zhou, { text: '状态 NOPE9' })).json();
    expect(missing).toEqual({
      replies: [{ kind: 'text', text: '没有找到该局点。您可查询的局点：BJ01 北京一号' }],
      omitted: 0,
    });
    expect((await ask(zhou, { text: '状态 BJ02' })).json()).toEqual(missing);
    expect((await ask(zhou, { text: '服务器 web01' })).json()).toEqual({
      replies: [{ kind: 'text', text: '没有找到该服务器。' }],
      omitted: 0,
    });
    expect((await ask(admin, { text: '状态 北京' })).json()).toEqual({
      replies: [
        {
          kind: 'text',
          text: '“北京”对应多个局点：BJ01 北京一号、BJ02 北京二号，请说得更具体些。',
        },
      ],
      omitted: 0,
    });
    // admin-only commands are refused to operators, in the chat's words
    expect((await ask(zhou, { text: '订阅 BJ01' })).json()).toEqual({
      replies: [{ kind: 'text', text: '只有管理员可以使用“订阅”。' }],
      omitted: 0,
    });
  });

  it('refuses a visitor who is not signed in, like the other APIs', async () => {
    // No session at all: the CSRF check comes first, there is no token to match.
    const none = await ask(null, { text: '帮助' });
    expect(none.statusCode).toBe(403);
    expect(none.json()).toEqual({ error: CSRF_TEXT });
    // A session of the login page with its valid token, but nobody signed in.
    const form = await app.inject({ method: 'GET', url: '/login' });
    const cookie = sessionCookie(form)!;
    const anon = await app.inject({
      method: 'POST',
      url: '/api/ask',
      headers: { cookie, 'x-csrf-token': csrfOf(form.body) },
      payload: { text: '帮助' },
    });
    expect(anon.statusCode).toBe(401);
    expect(anon.json()).toEqual({ error: 'not signed in' });
  });

  it('requires the session’s CSRF token', async () => {
    const without = await ask(zhou, { text: '帮助' }, { csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toEqual({ error: CSRF_TEXT });
    const other = await app.inject({
      method: 'POST',
      url: '/api/ask',
      headers: { cookie: zhou.cookie, 'x-csrf-token': admin.csrf },
      payload: { text: '帮助' },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual({ error: CSRF_TEXT });
  });

  it('refuses an empty or too long question in words, in the page’s language', async () => {
    const long = '状'.repeat(ASK_MAX_CHARS + 1);
    const res = await ask(zhou, { text: long });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: '问题太长：最多 500 个字，这次有 501 个字。' });
    expect((await ask(zhou, { text: long }, { lang: 'en' })).json()).toEqual({
      error: 'The question is too long: at most 500 characters, this one has 501.',
    });
    // characters, not UTF-16 units: 500 characters outside the BMP are still fine
    const astral = await ask(zhou, { text: `状态 ${'𠀀'.repeat(ASK_MAX_CHARS - 3)}` });
    expect(astral.statusCode).toBe(200);
    // the limit is on the question, not on the spaces around it
    expect((await ask(zhou, { text: `  ${'状'.repeat(ASK_MAX_CHARS)}  ` })).statusCode).toBe(200);
    for (const body of [{ text: '   ' }, { text: 42 }, {}]) {
      const empty = await ask(zhou, body);
      expect([body, empty.statusCode, empty.json()]).toEqual([
        body,
        400,
        { error: '请先写下要问的内容。' },
      ]);
    }
  });

  it(`limits each user to ${ASK_PER_MINUTE} questions a minute`, async () => {
    for (let i = 0; i < ASK_PER_MINUTE; i++)
      expect([i, (await ask(zhou, { text: '帮助' })).statusCode]).toEqual([i, 200]);
    const over = await ask(zhou, { text: '帮助' });
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('60');
    expect(over.json()).toEqual({ error: '提问太频繁，请 60 秒后再试。' });
    // another user is not held back
    expect((await ask(admin, { text: '帮助' })).statusCode).toBe(200);
  });

  it('puts the ask box on every signed-in page, not on the login page', async () => {
    for (const url of ['/', '/alarms', '/ingest', '/sites/BJ01', '/no-such-page']) {
      const page = await getAs(app, url, zhou);
      expect([url, page.body.match(/<form id="ask-form"[^>]*>/)?.[0]]).toEqual([
        url,
        '<form id="ask-form" class="ask" method="post" action="/api/ask" data-busy="查询中…" data-failed="没有问成：{message}" data-omitted="（还有 {n} 条回复未显示）">',
      ]);
      expect([url, page.body.includes('<label for="ask-text">问一问</label>')]).toEqual([
        url,
        true,
      ]);
      expect([url, page.body.includes('<section id="ask-answer"')]).toEqual([url, true]);
    }
    const login = await getAs(app, '/login');
    expect(login.body).not.toContain('ask-form');
    expect(login.body).not.toContain('ask-answer');
  });
});
