// The portal's hub status page (/admin/status) and its API: every hub's transports with stale ones marked, the channels' outbox, the problems; admins only.
import type { FastifyInstance } from 'fastify';
import { OutboxMessage } from '../../entities';
import { recordTransportHealth } from '../../src/admin/transport-status';
import { commonMessages } from '../../src/web/i18n';
import { channelDefinitions } from '../../src/notify/channels/registry';
import { describeEachEngine, resetDb } from '../helpers/db';
import {
  HOUR,
  MIN,
  NOW,
  PASSWORD,
  type WebSession,
  createTestWeb,
  getAs,
  login,
  seedPortal,
} from './helpers';

const S = 1000;
const STATES = [
  'starting',
  'scanning',
  'online',
  'connecting',
  'authenticated',
  'reconnecting',
  'standby',
  'offline',
];

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

/** The text of each cell of the row `<tr attrs…>` (attributes matched as written), or null. */
function cells(html: string, attrs: string): string[] | null {
  const m = new RegExp(`<tr ${attrs}[^>]*>([\\s\\S]*?)</tr>`).exec(html);
  return m ? [...m[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1])) : null;
}

describe('hub status texts', () => {
  it('names every transport state in Chinese and in English, and has the same keys in both', () => {
    for (const lang of ['zh', 'en'] as const)
      expect(STATES.filter((s) => !(`transportState_${s}` in commonMessages[lang]))).toEqual([]);
    expect(Object.keys(commonMessages.en).sort()).toEqual(Object.keys(commonMessages.zh).sort());
  });
});

describeEachEngine('web hub status', (db) => {
  let app: FastifyInstance;
  let admin: WebSession;
  let zhou: WebSession;

  beforeEach(async () => {
    await resetDb(db());
    const ds = db().ds;
    await ds.query('DELETE FROM transport_status');
    await seedPortal(ds);
    app = await createTestWeb(ds);
    admin = await login(app, 'admin', PASSWORD);
    zhou = await login(app, 'zhou', PASSWORD);
    const h = { lastMessageAt: null, queueLength: 0, restarts: 0 };
    await recordTransportHealth(
      ds,
      'hub-a',
      'wechat',
      { ...h, state: 'online', since: NOW - 2 * HOUR, lastMessageAt: NOW - 5 * MIN, restarts: 1 },
      NOW - 5 * S,
    );
    await recordTransportHealth(
      ds,
      'hub-b',
      'wecom',
      { ...h, state: 'standby', since: NOW - HOUR, holder: 'hub-x' },
      NOW - 10 * S,
    );
    // hub-x held the WeCom connection and died two minutes ago.
    await recordTransportHealth(
      ds,
      'hub-x',
      'wecom',
      { ...h, state: 'authenticated', since: NOW - HOUR, queueLength: 4 },
      NOW - 2 * MIN,
    );
    const outbox = ds.getRepository(OutboxMessage);
    await outbox.save(
      outbox.create({
        channel: 'email',
        recipient: 'ops@example.com',
        dedupeKey: 'k-failed',
        kind: 'alarms',
        siteId: null,
        payload: '{}',
        status: 'failed',
        attempts: 8,
        partsSent: 0,
        nextTryAt: NOW - HOUR,
        claimedBy: null,
        claimedUntil: null,
        lastError: '550 <script>alert(1)</script> rejected',
        createdAt: NOW - 2 * HOUR,
        updatedAt: NOW - 20 * MIN,
        sentAt: null,
      }),
    );
    await outbox.save(
      outbox.create({
        channel: 'wechat',
        recipient: 'room:运维一群',
        dedupeKey: 'k-pending',
        kind: 'report',
        siteId: null,
        payload: '{}',
        status: 'pending',
        attempts: 1,
        partsSent: 0,
        nextTryAt: NOW + MIN,
        claimedBy: null,
        claimedUntil: null,
        lastError: 'bot offline',
        createdAt: NOW - 15 * MIN,
        updatedAt: NOW - 15 * MIN,
        sentAt: null,
      }),
    );
  });
  afterEach(async () => {
    await app.close();
  });

  it('shows an admin every transport row, the stale one marked, the channels and the problems', async () => {
    const page = await getAs(app, '/admin/status', admin);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const body = page.body;
    expect(body).toContain('<a href="/admin/status" class="on">运行状态</a>');
    expect(text(/<div class="bad" id="status-summary"[^>]*>([\s\S]*?)<\/div>/.exec(body)![1])).toBe(
      '需要处理： wecom 无法发送（hub-b 待命, hub-x 已失联） email 有 1 条通知发送失败',
    );
    expect(body).toContain('<p class="muted">时间为 Asia/Shanghai 时区。</p>');
    expect(cells(body, 'data-transport="wechat" data-hub="hub-a" class=""')).toEqual([
      'wechat',
      'hub-a',
      '在线',
      '2026-11-25 19:00',
      '—',
      '2026-11-25 20:55',
      '0',
      '1',
      '2026-11-25 20:59',
    ]);
    expect(cells(body, 'data-transport="wecom" data-hub="hub-b" class=""')).toEqual([
      'wecom',
      'hub-b',
      '待命',
      '2026-11-25 20:00',
      'hub-x',
      '从未',
      '0',
      '0',
      '2026-11-25 20:59',
    ]);
    expect(cells(body, 'data-transport="wecom" data-hub="hub-x" class="stale"')).toEqual([
      'wecom',
      'hub-x',
      '已认证',
      '2026-11-25 20:00',
      '—',
      '从未',
      '4',
      '0',
      '2026-11-25 20:58 已失联',
    ]);
    expect(cells(body, 'data-channel="email"')).toEqual([
      'email',
      '否',
      '0',
      '0',
      '1',
      '0',
      '—',
      '2026-11-25 20:40: 550 <script>alert(1)</script> rejected',
    ]);
    expect(body).toContain('550 &lt;script&gt;alert(1)&lt;/script&gt; rejected');
    expect(body).not.toContain('<script>alert(1)');
    expect(cells(body, 'data-channel="wechat"')).toEqual([
      'wechat',
      '是',
      '1',
      '0',
      '0',
      '0',
      '2026-11-25 20:45',
      '',
    ]);
    expect([...body.matchAll(/<tr data-channel="([^"]+)"/g)].map((m) => m[1])).toEqual(
      channelDefinitions.map((d) => d.name),
    );
  });

  it('says all is well once a hub can send on each reported transport and nothing failed, in English too', async () => {
    const ds = db().ds;
    await ds.query("UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'failed'", [
      NOW - HOUR,
    ]);
    await recordTransportHealth(
      ds,
      'hub-b',
      'wecom',
      { state: 'authenticated', lastMessageAt: null, queueLength: 0, restarts: 0 },
      NOW,
    );
    const en = { ...admin, cookie: `${admin.cookie}; sw_lang=en` };
    const page = await getAs(app, '/admin/status', en);
    expect(text(/<p class="ok" id="status-summary"[^>]*>([\s\S]*?)<\/p>/.exec(page.body)![1])).toBe(
      'All well: every chat transport can send and no notification failed.',
    );
    expect(
      cells(page.body, 'data-transport="wecom" data-hub="hub-b" class=""')!.slice(2, 4),
    ).toEqual([
      'authenticated',
      // since is kept as written: this health said none
      '—',
    ]);
    expect(cells(page.body, 'data-channel="email"')!.slice(0, 6)).toEqual([
      'email',
      'no',
      '0',
      '0',
      '0',
      '1',
    ]);
    await ds.query('DELETE FROM transport_status');
    expect((await getAs(app, '/admin/status', admin)).body).toContain(
      '<p class="muted">没有节点上报聊天通道。</p>',
    );
  });

  it('answers the same as JSON under /api/admin/status', async () => {
    const res = await getAs(app, '/api/admin/status', admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const j = res.json() as Record<string, unknown>;
    expect(j.ok).toBe(false);
    expect(j.now).toBe(NOW);
    expect(j.problems).toEqual([
      {
        kind: 'cannot-send',
        transport: 'wecom',
        hubs: [
          { hub: 'hub-b', state: 'standby', stale: false },
          { hub: 'hub-x', state: 'authenticated', stale: true },
        ],
      },
      { kind: 'failed', channel: 'email', failed: 1 },
    ]);
    expect(
      (j.transports as { hub: string; stale: boolean }[]).map((r) => [r.hub, r.stale]),
    ).toEqual([
      ['hub-a', false],
      ['hub-b', false],
      ['hub-x', true],
    ]);
  });

  it('answers 403 to an operator (page and API) and sends a visitor to the login page', async () => {
    const page = await getAs(app, '/admin/status', zhou);
    expect(page.statusCode).toBe(403);
    expect(page.body).toContain('没有权限访问此页面。');
    expect(page.body).not.toContain('hub-x');
    const api = await getAs(app, '/api/admin/status', zhou);
    expect([api.statusCode, api.json()]).toEqual([403, { error: '没有权限访问此页面。' }]);
    const visitor = await getAs(app, '/admin/status');
    expect([visitor.statusCode, visitor.headers.location]).toEqual([
      303,
      '/login?next=%2Fadmin%2Fstatus',
    ]);
    expect((await getAs(app, '/api/admin/status')).statusCode).toBe(401);
  });

  it('links the page from the other admin pages', async () => {
    const outbox = await getAs(app, '/admin/outbox', admin);
    expect(outbox.body).toContain('<a href="/admin/status" class="">运行状态</a>');
  });
});
