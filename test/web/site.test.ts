// The site page and its API: servers table, yesterday's figures, charts, active alarms; access rules and escaping.
import type { FastifyInstance } from 'fastify';
import { describeEachEngine } from '../helpers/db';
import {
  HOSTILE_DESCRIPTION,
  HOSTILE_SERVER,
  type PortalSeed,
  type WebSession,
  normalizedBody,
  openPortal,
} from './helpers';

describeEachEngine('web site page', (db) => {
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

  const get = (url: string, who?: WebSession, extraCookie = '') =>
    app.inject({
      method: 'GET',
      url,
      headers: who ? { cookie: who.cookie + extraCookie } : {},
    });

  /** The rows of the table with id `id` as arrays of cell texts (tags stripped). */
  function rows(html: string, id: string): string[][] {
    const table = new RegExp(`<table id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html);
    if (!table) throw new Error(`no table #${id}`);
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table[1])![1];
    return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...r[1].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) =>
        c[1]
          .replace(/<[^>]+>/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      ),
    );
  }

  it('shows the servers table with latest readings, sortable numeric columns and stale marking', async () => {
    const res = await get('/sites/BJ01', admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.body;
    expect(html).toContain('<h1>北京一号 <span class="muted">(BJ01)</span></h1>');
    expect(rows(html, 'servers')).toEqual([
      ['&lt;img src=x onerror=alert(1)&gt;', '10.0.0.9', '4.0%', '25.0%', '—', '2026-11-25 20:59'],
      ['app01', '10.0.0.1', '15.0%', '50.0%', '80.0% /data', '2026-11-25 20:55'],
      ['app02', '10.0.0.2', '6.0%', '12.5%', '25.0% /', '2026-11-25 20:56'],
      ['db01', '10.0.0.3', '45.0%', '75.0%', '90.0% /', '2026-11-25 18:00 停报'],
    ]);
    const table = /<table id="servers">[\s\S]*?<\/table>/.exec(html)![0];
    expect(table.match(/<th class="sortable/g)).toHaveLength(6);
    expect(table).toContain(`<tr class="stale" data-server-id="${s.servers.db01.id}">`);
    expect(table).toContain(`<a href="/sites/BJ01/servers/${s.servers.app01.id}">app01</a>`);
    expect(table).toContain('<td class="num" data-value="15">15.0%</td>');
    expect(table).toContain('<td class="num" data-value="12.5">12.5%</td>');
    // A missing reading sorts below every real one.
    expect(table).toContain('<td class="num" data-value="-1">—</td>');
    expect(table).toContain('<td data-value="1795600800000">');
  });

  it("shows yesterday's seven figures with the change against the day before", async () => {
    const html = (await get('/sites/BJ01', admin)).body;
    expect(html).toContain('<h2>昨日业务（2026-11-24）</h2>');
    const cards = [
      ...html.matchAll(
        /<div class="card" data-key="(\w+)">\s*<div class="muted">([^<]+)<\/div>\s*<div class="v">([^<]+)<\/div>\s*<div class="[^"]*">([^<]+)<\/div>/g,
      ),
    ].map((m) => [m[1], m[2], m[3], m[4]]);
    expect(cards).toEqual([
      ['sub', '开通', '140', '+10 (+7.7%)'],
      ['unsub', '退订', '24', '+1 (+4.3%)'],
      ['total', '总用户', '10,400', '+100 (+1.0%)'],
      ['calls', '调用', '54,000', '+1,000 (+1.9%)'],
      ['shows', '推送', '42,000', '+500 (+1.2%)'],
      ['mo', '上行', '3,040', '+10 (+0.3%)'],
      ['mt', '下行', '6,080', '+20 (+0.3%)'],
    ]);
    expect(html).toContain('较 2026-11-23');
  });

  it('has both chart elements pointing at the charts API, and loads ECharts from self', async () => {
    const html = (await get('/sites/BJ01', admin)).body;
    expect(html).toContain(
      '<div id="chart-trend" class="chart" data-chart-src="/api/sites/BJ01/charts"',
    );
    expect(html).toContain(
      '<div id="chart-overview" class="chart small" data-chart-src="/api/sites/BJ01/charts"',
    );
    expect(html).toContain('<script src="/static/vendor/echarts.min.js" defer></script>');
    expect(html).not.toMatch(/<script>(?!alert)/);
  });

  it('lists the active alarms with dictionary titles, node, escaped description and an Ack button', async () => {
    const html = (await get('/sites/BJ01', admin)).body;
    expect(html).toContain('<h2>活动告警（3）</h2>');
    expect(rows(html, 'site-alarms')).toEqual([
      [
        String(s.hostile.alarmId),
        '严重 链路中断 LINK_DOWN',
        'sw01',
        '&lt;script&gt;alert(1)&lt;/script&gt;&#39; OR 1=1 --',
        '2026-11-25 20:40',
        '确认',
      ],
      [
        String(s.alarmIds.CPU_HIGH),
        '重要 CPU 使用率过高 CPU_HIGH',
        'app01',
        'cpu over 90% for 5 minutes',
        '2026-11-25 19:30',
        '确认',
      ],
      [
        String(s.alarmIds.DISK_FULL),
        '严重 磁盘空间不足 DISK_FULL',
        'db01',
        'disk / at 90%',
        '2026-11-23 18:00',
        '确认',
      ],
    ]);
    expect(html).toContain(
      `<button type="button" class="ack" data-id="${s.hostile.alarmId}" data-acked-text="已确认 by {name}">确认</button>`,
    );
  });

  it('escapes the hostile server name and alarm description and never sends them raw', async () => {
    const html = (await get('/sites/BJ01', admin)).body;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain(HOSTILE_DESCRIPTION);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain(HOSTILE_SERVER);
  });

  it('answers the same data as JSON, hostile texts as plain strings', async () => {
    const res = await get('/api/sites/BJ01', admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = res.json();
    expect(body.site).toEqual({ code: 'BJ01', name: '北京一号', timezone: 'Asia/Shanghai' });
    expect(
      body.servers.map((x: Record<string, unknown>) => [
        x.name,
        x.cpuPct,
        x.memPct,
        x.diskPct,
        x.diskMount,
        x.lastSeenText,
        x.stale,
      ]),
    ).toEqual([
      [HOSTILE_SERVER, 4, 25, null, null, '2026-11-25 20:59', false],
      ['app01', 15, 50, 80, '/data', '2026-11-25 20:55', false],
      ['app02', 6, 12.5, 25, '/', '2026-11-25 20:56', false],
      ['db01', 45, 75, 90, '/', '2026-11-25 18:00', true],
    ]);
    expect(body.servers[1].url).toBe(`/sites/BJ01/servers/${s.servers.app01.id}`);
    expect(body.yesterday.date).toBe('2026-11-24');
    expect(body.yesterday.previousDate).toBe('2026-11-23');
    expect(body.yesterday.figures[0]).toEqual({
      key: 'sub',
      value: 140,
      previous: 130,
      delta: 10,
      change: '+10 (+7.7%)',
    });
    expect(body.yesterday.figures.map((f: { key: string }) => f.key)).toEqual([
      'sub',
      'unsub',
      'total',
      'calls',
      'shows',
      'mo',
      'mt',
    ]);
    expect(body.alarmsTotal).toBe(3);
    expect(body.alarms[0]).toMatchObject({
      id: s.hostile.alarmId,
      site: 'BJ01',
      name: 'LINK_DOWN',
      title: '链路中断',
      severity: 'critical',
      node: 'sw01',
      description: HOSTILE_DESCRIPTION,
      state: 'active',
      raisedText: '2026-11-25 20:40',
      ackedBy: null,
      silencedUntil: null,
    });
    expect(body.chartsUrl).toBe('/api/sites/BJ01/charts');
  });

  it('answers the trend and overview chart options with their series', async () => {
    const res = await get('/api/sites/BJ01/charts', admin);
    expect(res.statusCode).toBe(200);
    const { charts } = res.json();
    expect(Object.keys(charts).sort()).toEqual(['chart-overview', 'chart-trend']);
    const trend = charts['chart-trend'];
    expect(trend.title[0].text).toBe('北京一号 · 业务趋势');
    expect(trend.xAxis[0].data).toEqual(['11-20', '11-21', '11-22', '11-23', '11-24']);
    expect(trend.series).toHaveLength(7);
    expect(trend.series[0]).toMatchObject({
      type: 'bar',
      name: '开通',
      data: [100, 110, 120, 130, 140],
    });
    const overview = charts['chart-overview'];
    expect(overview.title.text).toBe('北京一号 · 服务器概览');
    expect(overview.xAxis.data[0]).toBe(HOSTILE_SERVER);
    expect(overview.xAxis.data[3]).toEqual({
      value: 'db01 (停报)',
      textStyle: { color: '#bbbbbb' },
    });
    expect(overview.series.map((x: { name: string }) => x.name)).toEqual(['CPU', '内存', '磁盘']);
  });

  it('draws the charts in English when the page is in English', async () => {
    const { charts } = (await get('/api/sites/BJ01/charts', admin, '; sw_lang=en')).json();
    expect(charts['chart-trend'].title[0].text).toBe('北京一号 · Business trend');
    const html = (await get('/sites/BJ01', admin, '; sw_lang=en')).body;
    expect(html).toContain('<h2>Yesterday (2026-11-24)</h2>');
    expect(html).toContain('<h2>Active alarms (3)</h2>');
  });

  it('shows the operator their site A', async () => {
    const res = await get('/sites/BJ01', zhou);
    expect(res.statusCode).toBe(200);
    expect(rows(res.body, 'servers')).toHaveLength(4);
    expect((await get('/api/sites/BJ01', zhou)).statusCode).toBe(200);
    expect((await get('/api/sites/BJ01/charts', zhou)).statusCode).toBe(200);
  });

  it('answers site B to the operator exactly like a site that does not exist (page, API, charts)', async () => {
    const page = await get('/sites/BJ02', zhou);
    const none = await get('/sites/NOPE9', zhou);
    expect(page.statusCode).toBe(404);
    expect(none.statusCode).toBe(404);
    expect(page.body).toContain('页面不存在。');
    expect(page.body).not.toContain('北京二号');
    expect(normalizedBody(page.body, '/sites/BJ02')).toBe(
      normalizedBody(none.body, '/sites/NOPE9'),
    );
    for (const suffix of ['', '/charts']) {
      const api = await get(`/api/sites/BJ02${suffix}`, zhou);
      const apiNone = await get(`/api/sites/NOPE9${suffix}`, zhou);
      expect(api.statusCode).toBe(404);
      expect(api.body).toBe('{"error":"页面不存在。"}');
      expect(api.body).toBe(apiNone.body);
    }
    // The disabled site is not shown even to the admin.
    expect((await get('/sites/OFF1', admin)).statusCode).toBe(404);
  });

  it('sends a visitor without a session to the login page, and API calls get 401', async () => {
    const page = await get('/sites/BJ01');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fsites%2FBJ01');
    for (const url of ['/api/sites/BJ01', '/api/sites/BJ01/charts']) {
      const api = await get(url);
      expect(api.statusCode).toBe(401);
      expect(api.json()).toEqual({ error: 'not signed in' });
    }
  });
});
