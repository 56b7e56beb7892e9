// The ingest health page and API: per-file cursors and quarantined lines of the user's sites, escaped; site filter.
import type { FastifyInstance } from 'fastify';
import { IngestCursor, IngestError } from '../../entities';
import { describeEachEngine } from '../helpers/db';
import {
  HOSTILE_RAW,
  MIN,
  NOW,
  type PortalSeed,
  type WebSession,
  normalizedBody,
  getAs,
  openPortal,
} from './helpers';

describeEachEngine('web ingest health', (db) => {
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

  it('answers per site and file the last fetch, status, bytes and rows', async () => {
    const res = await get('/api/ingest', admin);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.sites.map((x: { code: string }) => x.code)).toEqual(['BJ01', 'BJ02', 'SH01']);
    const bj01 = body.sites[0];
    expect(bj01).toMatchObject({
      code: 'BJ01',
      name: '北京一号',
      lastIngestText: '2026-11-25 20:55',
      lastSuccessText: '2026-11-25 20:55',
      lastError: null,
    });
    expect(bj01.files).toEqual([
      {
        file: 'system_alarm_20261125.txt',
        kind: 'system_alarm',
        date: '2026-11-25',
        state: 'open',
        lastFetchAt: NOW - 10 * MIN,
        lastFetchText: '2026-11-25 20:50',
        status: 'error',
        bytesRead: 0,
        lines: 0,
        rowsInserted: 0,
        rowsDuplicate: 0,
        rowsQuarantined: 0,
        lastError: 'HTTP 500 <html>oops</html>',
      },
      {
        file: 'system_info_20261125.txt',
        kind: 'system_info',
        date: '2026-11-25',
        state: 'open',
        lastFetchAt: NOW - 5 * MIN,
        lastFetchText: '2026-11-25 20:55',
        status: '206',
        bytesRead: 4096,
        lines: 40,
        rowsInserted: 38,
        rowsDuplicate: 1,
        rowsQuarantined: 1,
        lastError: null,
      },
    ]);
    // SH01 is shown in its own zone (UTC).
    expect(body.sites[2]).toMatchObject({
      lastError: 'connect ECONNREFUSED 10.2.0.1:8088',
      lastErrorText: '2026-11-25 12:57',
      files: [],
    });
    expect(body.quarantined).toEqual([
      {
        id: expect.any(Number),
        site: 'BJ01',
        siteName: '北京一号',
        file: 'system_info_20261125.txt',
        lineNo: 7,
        reason: 'bad number in field 3',
        raw: HOSTILE_RAW,
        createdAt: NOW - 5 * MIN,
        createdText: '2026-11-25 20:55',
      },
      {
        id: expect.any(Number),
        site: 'BJ02',
        siteName: '北京二号',
        file: 'system_service_20261125.txt',
        lineNo: 3,
        reason: 'too few fields',
        raw: 'bj02-only-raw-line',
        createdAt: NOW - 6 * MIN,
        createdText: '2026-11-25 20:54',
      },
    ]);
  });

  it('lists only the newest three file days of a site, newest first', async () => {
    const ds = db().ds;
    const base = await ds
      .getRepository(IngestCursor)
      .findOneByOrFail({ siteId: s.sites.bj02.id, kind: 'system_info' });
    const { id: _id, ...rest } = base;
    void _id;
    for (const day of ['20261121', '20261122', '20261124'])
      await ds.getRepository(IngestCursor).insert({ ...rest, fileDate: day });
    const files = (await get('/api/ingest?site=BJ02', admin)).json().sites[0].files;
    expect(files.map((f: { file: string }) => f.file)).toEqual([
      'system_info_20261125.txt',
      'system_info_20261124.txt',
      'system_info_20261122.txt',
    ]);
    await ds.getRepository(IngestCursor).delete({ siteId: s.sites.bj02.id, fileDate: '20261121' });
    await ds.getRepository(IngestCursor).delete({ siteId: s.sites.bj02.id, fileDate: '20261122' });
    await ds.getRepository(IngestCursor).delete({ siteId: s.sites.bj02.id, fileDate: '20261124' });
  });

  it("shows only the operator's sites, and their quarantined lines", async () => {
    const body = (await get('/api/ingest', zhou)).json();
    expect(body.sites.map((x: { code: string }) => x.code)).toEqual(['BJ01']);
    expect(body.quarantined.map((q: { site: string }) => q.site)).toEqual(['BJ01']);
    const html = (await get('/ingest', zhou)).body;
    expect(html).not.toContain('bj02-only-raw-line');
    expect(html).not.toContain('北京二号');
  });

  it('filters by site and limits the quarantined lines', async () => {
    const body = (await get('/api/ingest?site=BJ02', admin)).json();
    expect(body.filter).toEqual({ site: 'BJ02', limit: 50 });
    expect(body.sites.map((x: { code: string }) => x.code)).toEqual(['BJ02']);
    expect(body.quarantined.map((q: { raw: string }) => q.raw)).toEqual(['bj02-only-raw-line']);
    const one = (await get('/api/ingest?limit=1', admin)).json();
    expect(one.quarantined).toHaveLength(1);
    for (const q of ['limit=0', 'limit=501', 'limit=many'])
      expect([q, (await get(`/api/ingest?${q}`, admin)).statusCode]).toEqual([q, 400]);
  });

  it('shows the page with every text from the sites escaped', async () => {
    const res = await get('/ingest', admin);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1>采集状态</h1>');
    expect(html).toContain('<td>system_info_20261125.txt</td>');
    expect(html).toContain('<td class="num" data-value="4096">4,096</td>');
    expect(html).toContain('<td class="num warn" data-value="1">1</td>');
    expect(html).toContain('<td class="bad">HTTP 500 &lt;html&gt;oops&lt;/html&gt;</td>');
    expect(html).toContain('<code class="raw">&lt;b&gt;bad&lt;/b&gt;|x|&quot;quoted&quot;</code>');
    expect(html).not.toContain(HOSTILE_RAW);
    expect(html).not.toContain('<html>oops');
    expect(html).toContain('<td>bad number in field 3</td>');
    expect(html).toContain(
      '<span class="bad">最近错误 2026-11-25 12:57: connect ECONNREFUSED 10.2.0.1:8088</span>',
    );
    const en = await app.inject({
      method: 'GET',
      url: '/ingest',
      headers: { cookie: `${admin.cookie}; sw_lang=en` },
    });
    expect(en.body).toContain('<h1>Ingest health</h1>');
  });

  it('cuts very long quarantined lines', async () => {
    const ds = db().ds;
    await ds.getRepository(IngestError).insert({
      siteId: s.sites.bj01.id,
      kind: 'system_info',
      fileDate: '20261125',
      file: 'system_info_20261125.txt',
      lineNo: 99,
      raw: 'x'.repeat(2000),
      reason: 'line too long',
      createdAt: NOW,
    });
    const first = (await get('/api/ingest?site=BJ01&limit=1', admin)).json().quarantined[0];
    expect(first.lineNo).toBe(99);
    expect(first.raw).toBe(`${'x'.repeat(500)}…`);
    await ds.getRepository(IngestError).delete({ lineNo: 99 });
  });

  it('answers site B to the operator exactly like a site that does not exist', async () => {
    const api = await get('/api/ingest?site=BJ02', zhou);
    expect(api.statusCode).toBe(404);
    expect(api.body).toBe('{"error":"页面不存在。"}');
    expect((await get('/api/ingest?site=NOPE9', zhou)).body).toBe(api.body);
    const page = await get('/ingest?site=BJ02', zhou);
    const none = await get('/ingest?site=NOPE9', zhou);
    expect(page.statusCode).toBe(404);
    expect(normalizedBody(page.body, '/ingest?site=BJ02')).toBe(
      normalizedBody(none.body, '/ingest?site=NOPE9'),
    );
  });

  it('sends a visitor without a session to the login page, and API calls get 401', async () => {
    const page = await get('/ingest');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fingest');
    expect((await get('/api/ingest')).statusCode).toBe(401);
  });
});
