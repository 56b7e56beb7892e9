// The server page and its metrics API: facts, the range picker, cpu / memory / disk options per range; access rules.
import type { FastifyInstance } from 'fastify';
import { buildChart } from '../../charts/registry';
import { cpuPoints, diskPoints, memPoints } from '../../src/queries';
import { describeEachEngine } from '../helpers/db';
import {
  HOSTILE_SERVER,
  HOUR,
  NOW,
  type PortalSeed,
  type WebSession,
  normalizedBody,
  getAs,
  openPortal,
} from './helpers';

describeEachEngine('web server page', (db) => {
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

  const get = (url: string, who?: WebSession) => getAs(app, url, who);
  const app01 = () => `/sites/BJ01/servers/${s.servers.app01.id}`;

  it('shows the facts, the range picker with 24h marked and three chart elements', async () => {
    const res = await get(app01(), admin);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1>服务器 app01</h1>');
    expect(html).toContain('<tr><th>IP</th><td>10.0.0.1</td></tr>');
    expect(html).toContain('<tr><th>系统</th><td>CentOS 7.9</td></tr>');
    // 86 400 s at NOW − 1 h: 1 day 1 hour.
    expect(html).toContain('<tr><th>已运行</th><td>1 天 1 小时</td></tr>');
    expect(html).toContain('<td class="">2026-11-25 20:55</td>');
    expect(html).toContain(
      `<div class="toolbar range-picker" data-metrics-src="/api/sites/BJ01/servers/${s.servers.app01.id}/metrics">`,
    );
    const buttons = [...html.matchAll(/<button type="button" data-range="(\w+)" class="(\w*)">/g)];
    expect(buttons.map((b) => [b[1], b[2]])).toEqual([
      ['6h', ''],
      ['24h', 'on'],
      ['7d', ''],
      ['30d', ''],
    ]);
    for (const id of ['chart-cpu', 'chart-mem', 'chart-disk'])
      expect(html).toContain(
        `<div id="${id}" class="chart" data-chart-src="/api/sites/BJ01/servers/${s.servers.app01.id}/metrics?range=24h"`,
      );
  });

  it('marks the range asked for in the URL, refuses an unknown one with 400', async () => {
    const html = (await get(`${app01()}?range=7d`, admin)).body;
    expect(html).toContain('<button type="button" data-range="7d" class="on">');
    expect(html).toContain('metrics?range=7d"');
    const bad = await get(`${app01()}?range=5h`, admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('请求无效');
  });

  it('marks a stale server', async () => {
    const html = (await get(`/sites/BJ01/servers/${s.servers.db01.id}`, admin)).body;
    expect(html).toContain(
      '<td class="stale">2026-11-25 18:00 <span class="bad stale-mark">停报</span></td>',
    );
  });

  it('answers each range with the cpu, memory and disk options the bot builders make from the same data', async () => {
    const id = s.servers.app01.id;
    for (const [range, hours] of [
      ['6h', 6],
      ['24h', 24],
      ['7d', 168],
      ['30d', 720],
    ] as const) {
      const res = await get(`/api/sites/BJ01/servers/${id}/metrics?range=${range}`, admin);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.range).toBe(range);
      expect(body.from).toBe(NOW - hours * HOUR);
      expect(body.to).toBe(NOW);
      const ctx = { lang: 'zh' as const, tz: 'Asia/Shanghai' };
      const from = NOW - hours * HOUR;
      const ds = db().ds;
      expect(body.charts).toEqual({
        'chart-cpu': buildChart(
          'server-cpu',
          { server: 'app01', points: await cpuPoints(ds, id, from, NOW) },
          ctx,
        ),
        'chart-mem': buildChart(
          'server-mem',
          { server: 'app01', points: await memPoints(ds, id, from, NOW) },
          ctx,
        ),
        'chart-disk': buildChart(
          'server-disk',
          { server: 'app01', mounts: await diskPoints(ds, id, from, NOW) },
          ctx,
        ),
      });
    }
  });

  it('puts the samples into the series (site wall clock on the axis)', async () => {
    const { charts } = (
      await get(`/api/sites/BJ01/servers/${s.servers.app01.id}/metrics?range=6h`, admin)
    ).json();
    const shift = 8 * HOUR;
    expect(charts['chart-cpu'].series.map((x: { name: string }) => x.name)).toEqual([
      '用户',
      '系统',
      'IO 等待',
    ]);
    expect(charts['chart-cpu'].series[0].data).toEqual([
      [NOW - HOUR + shift, 10],
      [NOW - 0.5 * HOUR + shift, 20],
      [NOW - 5 * 60_000 + shift, 12],
    ]);
    expect(charts['chart-mem'].series[0].data).toEqual([
      [NOW - HOUR + shift, 3],
      [NOW - 0.5 * HOUR + shift, 5],
      [NOW - 5 * 60_000 + shift, 4],
    ]);
    expect(charts['chart-disk'].series.map((x: { name: string }) => x.name)).toEqual([
      '/',
      '/data',
    ]);
    expect(charts['chart-disk'].series[1].data.map((p: number[]) => p[1])).toEqual([78, 79, 80]);
    // db01's only sample is 3 h old: 6 h shows it, a shorter span would not.
    const db01 = (
      await get(`/api/sites/BJ01/servers/${s.servers.db01.id}/metrics?range=6h`, admin)
    ).json();
    expect(db01.charts['chart-cpu'].series[0].data).toEqual([[NOW - 3 * HOUR + shift, 30]]);
  });

  it('refuses a bad range on the API with 400 JSON', async () => {
    for (const q of ['?range=1y', '?range=', '?range=6h&range=7d']) {
      const res = await get(`/api/sites/BJ01/servers/${s.servers.app01.id}/metrics${q}`, admin);
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatch(/^请求无效：range: /);
    }
  });

  it('answers the server facts as JSON, hostile name as a plain string', async () => {
    const res = await get(`/api/sites/BJ01/servers/${s.hostile.serverId}`, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json().server).toMatchObject({
      id: s.hostile.serverId,
      name: HOSTILE_SERVER,
      ip: '10.0.0.9',
      cpuPct: 4,
      memPct: 25,
      stale: false,
    });
    const page = await get(`/sites/BJ01/servers/${s.hostile.serverId}`, admin);
    expect(page.body).toContain('<h1>服务器 &lt;img src=x onerror=alert(1)&gt;</h1>');
    expect(page.body).not.toContain(HOSTILE_SERVER);
    const metrics = (
      await get(`/api/sites/BJ01/servers/${s.hostile.serverId}/metrics?range=6h`, admin)
    ).json();
    expect(metrics.charts['chart-cpu'].title.text).toBe(`${HOSTILE_SERVER} · CPU 使用率`);
  });

  it('answers an unknown server, another site’s server and site B exactly like a missing page', async () => {
    const web01 = s.servers.web01.id; // BJ02's server
    const cases: [string, string][] = [
      // [url, its not-found twin]
      [`/sites/BJ01/servers/${web01}`, '/sites/BJ01/servers/999999'],
      [`/sites/BJ02/servers/${web01}`, `/sites/NOPE9/servers/${web01}`],
      ['/sites/BJ01/servers/abc', '/sites/BJ01/servers/999999'],
    ];
    for (const who of [zhou, admin]) {
      for (const [url, twin] of cases) {
        if (who === admin && url.startsWith('/sites/BJ02')) continue;
        const res = await get(url, who);
        const ref = await get(twin, who);
        expect([url, res.statusCode]).toEqual([url, 404]);
        expect(normalizedBody(res.body, url)).toBe(normalizedBody(ref.body, twin));
        for (const api of [`/api${url}`, `/api${url}/metrics?range=6h`]) {
          const r = await get(api, who);
          expect([api, r.statusCode, r.body]).toEqual([api, 404, '{"error":"页面不存在。"}']);
        }
      }
    }
    // The operator's own site works.
    expect((await get(app01(), zhou)).statusCode).toBe(200);
    expect((await get(`/api${app01()}/metrics?range=24h`, zhou)).statusCode).toBe(200);
  });

  it('sends a visitor without a session to the login page, and API calls get 401', async () => {
    const page = await get(app01());
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/login?next=${encodeURIComponent(app01())}`);
    const api = await get(`/api${app01()}/metrics?range=6h`);
    expect(api.statusCode).toBe(401);
  });
});
