// The alarms page and API: active and history lists of the user's sites, filters, paging, ack and silences with CSRF.
import type { FastifyInstance } from 'fastify';
import { Alarm, Silence } from '../../entities';
import { describeEachEngine } from '../helpers/db';
import {
  HOSTILE_DESCRIPTION,
  HOUR,
  NOW,
  type PortalSeed,
  type WebSession,
  authHeaders,
  normalizedBody,
  getAs,
  openPortal,
} from './helpers';

describeEachEngine('web alarms', (db) => {
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
  const post = (url: string, who: WebSession | null, body?: unknown, csrf = true) =>
    app.inject({
      method: 'POST',
      url,
      headers: who ? authHeaders(who, csrf) : {},
      ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
    });
  const ids = async (q: string, who: WebSession) => {
    const res = await get(`/api/alarms${q}`, who);
    expect([q, res.statusCode]).toEqual([q, 200]);
    return (res.json().alarms as { id: number }[]).map((a) => a.id);
  };

  it('lists the active alarms of every site of the admin, newest first', async () => {
    const res = await get('/api/alarms', admin);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.filter).toEqual({
      state: 'active',
      site: null,
      name: null,
      node: null,
      from: null,
      to: null,
      limit: 100,
      before: null,
    });
    expect(
      body.alarms.map((a: Record<string, unknown>) => [a.id, a.site, a.name, a.node, a.raisedText]),
    ).toEqual([
      [s.hostile.alarmId, 'BJ01', 'LINK_DOWN', 'sw01', '2026-11-25 20:40'],
      [s.alarmIds.MEM_HIGH, 'SH01', 'MEM_HIGH', 'app01', '2026-11-25 12:30'],
      [s.alarmIds.CPU_HIGH, 'BJ01', 'CPU_HIGH', 'app01', '2026-11-25 19:30'],
      [s.siteBAlarmId, 'BJ02', 'PROCESS_DOWN', 'web01', '2026-11-25 19:00'],
      [s.alarmIds.DISK_FULL, 'BJ01', 'DISK_FULL', 'db01', '2026-11-23 18:00'],
    ]);
    expect(body.alarms[0]).toEqual({
      id: s.hostile.alarmId,
      site: 'BJ01',
      siteName: '北京一号',
      name: 'LINK_DOWN',
      title: '链路中断',
      severity: 'critical',
      node: 'sw01',
      description: HOSTILE_DESCRIPTION,
      state: 'active',
      raisedAt: NOW - 20 * 60_000,
      raisedText: '2026-11-25 20:40',
      resumedAt: null,
      resumedText: null,
      ackedBy: null,
      ackedByName: null,
      ackedAt: null,
      ackedText: null,
      silencedUntil: null,
      silencedUntilText: null,
      silencedBy: null,
    });
    expect(body.next).toBeNull();
    expect(body.silences).toEqual([]);
  });

  it("lists only the operator's site", async () => {
    expect(await ids('', zhou)).toEqual([
      s.hostile.alarmId,
      s.alarmIds.CPU_HIGH,
      s.alarmIds.DISK_FULL,
    ]);
    expect(await ids('?state=history', zhou)).toEqual([s.alarmIds.NODE_DOWN]);
    const res = await get('/api/alarms', zhou);
    expect(res.json().sites).toEqual([{ code: 'BJ01', name: '北京一号' }]);
  });

  it('lists the history: resolved alarms with their resume time', async () => {
    const body = (await get('/api/alarms?state=history', admin)).json();
    expect(body.alarms).toHaveLength(1);
    expect(body.alarms[0]).toMatchObject({
      id: s.alarmIds.NODE_DOWN,
      name: 'NODE_DOWN',
      title: 'NODE_DOWN',
      severity: 'info',
      state: 'resolved',
      raisedText: '2026-11-25 16:00',
      resumedText: '2026-11-25 17:00',
    });
  });

  it('filters by site, name, node and day', async () => {
    expect(await ids('?site=BJ02', admin)).toEqual([s.siteBAlarmId]);
    expect(await ids('?name=cpu', admin)).toEqual([s.alarmIds.CPU_HIGH]);
    expect(await ids('?name=_high', admin)).toEqual([s.alarmIds.MEM_HIGH, s.alarmIds.CPU_HIGH]);
    // LIKE wildcards are taken literally.
    expect(await ids('?name=%25', admin)).toEqual([]);
    expect(await ids('?node=APP0', admin)).toEqual([s.alarmIds.MEM_HIGH, s.alarmIds.CPU_HIGH]);
    expect(await ids('?node=app01&site=SH01', admin)).toEqual([s.alarmIds.MEM_HIGH]);
    expect(await ids('?from=2026-11-25', admin)).toEqual([
      s.hostile.alarmId,
      s.alarmIds.MEM_HIGH,
      s.alarmIds.CPU_HIGH,
      s.siteBAlarmId,
    ]);
    expect(await ids('?to=2026-11-24', admin)).toEqual([s.alarmIds.DISK_FULL]);
    expect(await ids('?from=2026-11-23&to=2026-11-23', admin)).toEqual([s.alarmIds.DISK_FULL]);
    expect(await ids('?from=2026-11-24&to=2026-11-24', admin)).toEqual([]);
    // Empty form fields are no filter.
    expect(await ids('?site=&name=&node=&from=&to=&state=', zhou)).toHaveLength(3);
  });

  it('pages with limit and before', async () => {
    const first = (await get('/api/alarms?limit=2', admin)).json();
    expect(first.alarms.map((a: { id: number }) => a.id)).toEqual([
      s.hostile.alarmId,
      s.alarmIds.MEM_HIGH,
    ]);
    expect(first.next).toBe(s.alarmIds.MEM_HIGH);
    const second = (await get(`/api/alarms?limit=2&before=${first.next}`, admin)).json();
    expect(second.alarms.map((a: { id: number }) => a.id)).toEqual([
      s.alarmIds.CPU_HIGH,
      s.siteBAlarmId,
    ]);
    const third = (await get(`/api/alarms?limit=2&before=${second.next}`, admin)).json();
    expect(third.alarms.map((a: { id: number }) => a.id)).toEqual([s.alarmIds.DISK_FULL]);
    expect(third.next).toBeNull();
    expect((await get('/api/alarms?limit=500', admin)).statusCode).toBe(200);
    for (const q of [
      'limit=0',
      'limit=501',
      'limit=x',
      'before=-1',
      'state=all',
      'from=2026-13-01',
    ])
      expect([q, (await get(`/api/alarms?${q}`, admin)).statusCode]).toEqual([q, 400]);
    const page = (await get('/alarms?limit=2&name=_', admin)).body;
    expect(page).toContain(
      `<a href="/alarms?state=active&amp;name=_&amp;limit=2&amp;before=${s.alarmIds.MEM_HIGH}" id="next-page">`,
    );
  });

  it("answers site B's filter to the operator like a site that does not exist", async () => {
    const api = await get('/api/alarms?site=BJ02', zhou);
    expect(api.statusCode).toBe(404);
    expect(api.body).toBe('{"error":"页面不存在。"}');
    expect((await get('/api/alarms?site=NOPE9', zhou)).body).toBe(api.body);
    const page = await get('/alarms?site=BJ02', zhou);
    const none = await get('/alarms?site=NOPE9', zhou);
    expect(page.statusCode).toBe(404);
    expect(normalizedBody(page.body, '/alarms?site=BJ02')).toBe(
      normalizedBody(none.body, '/alarms?site=NOPE9'),
    );
  });

  it('shows the page with escaped texts, Ack buttons, the filter and the silence form', async () => {
    const res = await get('/alarms?name=%22%3E%3Cscript%3E', admin);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<input name="name" value="&quot;&gt;&lt;script&gt;"');
    const html = (await get('/alarms', admin)).body;
    expect(html).toContain(
      '<td class="desc">&lt;script&gt;alert(1)&lt;/script&gt;&#39; OR 1=1 --</td>',
    );
    expect(html).not.toContain(HOSTILE_DESCRIPTION);
    expect(html).not.toContain('<script>alert');
    expect(html.match(/<button type="button" class="ack" data-id="\d+"/g)).toHaveLength(5);
    expect(html).toContain(
      `<button type="button" class="ack" data-id="${s.siteBAlarmId}" data-acked-text="已确认 by {name}">确认</button>`,
    );
    expect(html).toContain(
      '<form class="toolbar" method="post" action="/api/silences" id="silence-form">',
    );
    expect(
      [...html.matchAll(/<option value="(\d+)">([^<]+)<\/option>/g)].map((m) => [m[1], m[2]]),
    ).toEqual([
      ['30', '30 分钟'],
      ['120', '2 小时'],
      ['1440', '1 天'],
      ['10080', '7 天'],
    ]);
    const zhouPage = (await get('/alarms', zhou)).body;
    expect(zhouPage).not.toContain('北京二号');
    expect(zhouPage).not.toContain('PROCESS_DOWN');
    const history = (await get('/alarms?state=history', admin)).body;
    expect(history).toContain('<td data-value="1795597200000">2026-11-25 17:00</td>');
    expect(history).toContain('<span class="muted">已恢复</span>');
    expect(history).not.toContain('class="ack"');
  });

  it('refuses an ack without the CSRF token (403) and takes it with the token', async () => {
    const id = s.hostile.alarmId;
    const without = await post(`/api/alarms/${id}/ack`, zhou, undefined, false);
    expect(without.statusCode).toBe(403);
    expect((await db().ds.getRepository(Alarm).findOneByOrFail({ id })).ackedBy).toBeNull();
    const bad = await app.inject({
      method: 'POST',
      url: `/api/alarms/${id}/ack`,
      headers: { cookie: zhou.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(bad.statusCode).toBe(403);
    const ok = await post(`/api/alarms/${id}/ack`, zhou);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      id,
      already: false,
      ackedBy: s.zhou.userId,
      ackedByName: '周敏',
      ackedAt: NOW,
      ackedText: '2026-11-25 21:00',
    });
    const again = await post(`/api/alarms/${id}/ack`, admin);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      already: true,
      ackedBy: s.zhou.userId,
      ackedByName: '周敏',
    });
    const listed = (await get('/api/alarms?site=BJ01', admin)).json().alarms[0];
    expect(listed).toMatchObject({ id, ackedByName: '周敏', ackedText: '2026-11-25 21:00' });
    const page = (await get('/alarms', admin)).body;
    expect(page).toContain('<span class="acked">已确认 by 周敏</span>');
    expect(page).not.toContain(`class="ack" data-id="${id}"`);
    const sitePage = (await get('/sites/BJ01', zhou)).body;
    expect(sitePage).toContain('<span class="acked">已确认 by 周敏</span>');
  });

  it("answers the operator's ack of site B's alarm exactly like a missing alarm", async () => {
    const res = await post(`/api/alarms/${s.siteBAlarmId}/ack`, zhou);
    const none = await post('/api/alarms/999999/ack', zhou);
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe('{"error":"页面不存在。"}');
    expect(none.body).toBe(res.body);
    expect((await post('/api/alarms/abc/ack', zhou)).body).toBe(res.body);
    expect(
      (await db().ds.getRepository(Alarm).findOneByOrFail({ id: s.siteBAlarmId })).ackedBy,
    ).toBeNull();
    // A resolved alarm cannot be acknowledged.
    const resolved = await post(`/api/alarms/${s.alarmIds.NODE_DOWN}/ack`, admin);
    expect(resolved.statusCode).toBe(409);
  });

  it('silences a site (all or one name), shows it and cancels it', async () => {
    expect(
      (await post('/api/silences', zhou, { site: 'BJ01', minutes: 120 }, false)).statusCode,
    ).toBe(403);
    const res = await post('/api/silences', zhou, { site: 'BJ01', minutes: 120, name: 'cpu_high' });
    expect(res.statusCode).toBe(200);
    const silence = res.json().silence;
    expect(silence).toEqual({
      id: expect.any(Number),
      site: 'BJ01',
      alarmName: 'CPU_HIGH',
      startsAt: NOW,
      endsAt: NOW + 2 * HOUR,
      endsText: '2026-11-25 23:00',
    });
    const body = (await get('/api/alarms?site=BJ01', zhou)).json();
    const cpu = body.alarms.find((a: { id: number }) => a.id === s.alarmIds.CPU_HIGH);
    expect(cpu).toMatchObject({
      silencedUntil: NOW + 2 * HOUR,
      silencedUntilText: '2026-11-25 23:00',
      silencedBy: '周敏',
    });
    expect(
      body.alarms.find((a: { id: number }) => a.id === s.alarmIds.DISK_FULL).silencedUntil,
    ).toBeNull();
    expect(body.silences).toEqual([
      {
        id: silence.id,
        site: 'BJ01',
        siteName: '北京一号',
        alarmName: 'CPU_HIGH',
        startsAt: NOW,
        endsAt: NOW + 2 * HOUR,
        endsText: '2026-11-25 23:00',
        createdByName: '周敏',
      },
    ]);
    const page = (await get('/alarms', zhou)).body;
    expect(page).toContain('<span class="silenced muted">静默至 2026-11-25 23:00</span>');
    expect(page).toContain(`<button type="button" class="unsilence" data-id="${silence.id}"`);

    // The plain form post (no script) works too, with the form's token.
    const form = await app.inject({
      method: 'POST',
      url: '/api/silences',
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${encodeURIComponent(admin.csrf)}&site=BJ02&minutes=30&name=`,
    });
    expect(form.statusCode).toBe(200);
    expect(form.json().silence).toMatchObject({
      site: 'BJ02',
      alarmName: null,
      endsAt: NOW + 30 * 60_000,
    });
    const siteB = form.json().silence.id;

    const cancel = await post(`/api/silences/${silence.id}/cancel`, zhou);
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toEqual({ id: silence.id, outcome: 'cancelled', cancelledAt: NOW });
    expect((await post(`/api/silences/${silence.id}/cancel`, zhou)).json().outcome).toBe(
      'already-cancelled',
    );
    expect((await get('/api/alarms', zhou)).json().silences).toEqual([]);

    // Site B's silence is not the operator's: like a missing one.
    const other = await post(`/api/silences/${siteB}/cancel`, zhou);
    expect(other.statusCode).toBe(404);
    expect(other.body).toBe((await post('/api/silences/999999/cancel', zhou)).body);
    expect(
      (await db().ds.getRepository(Silence).findOneByOrFail({ id: siteB })).cancelledAt,
    ).toBeNull();
  });

  it('refuses silences of another site (404) and bad durations (400)', async () => {
    const b = await post('/api/silences', zhou, { site: 'BJ02', minutes: 30 });
    expect(b.statusCode).toBe(404);
    expect(b.body).toBe((await post('/api/silences', zhou, { site: 'NOPE9', minutes: 30 })).body);
    for (const minutes of [0, 30 * 24 * 60 + 1, 1.5, 'x'])
      expect((await post('/api/silences', zhou, { site: 'BJ01', minutes })).statusCode).toBe(400);
    expect((await post('/api/silences', zhou, { minutes: 30 })).statusCode).toBe(400);
    expect(await db().ds.getRepository(Silence).countBy({ createdBy: s.zhou.userId })).toBe(1);
  });

  it('sends a visitor without a session to the login page; API calls get 401, actions never pass', async () => {
    const page = await get('/alarms?state=history');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Falarms%3Fstate%3Dhistory');
    expect((await get('/api/alarms')).statusCode).toBe(401);
    const ack = await post(`/api/alarms/${s.alarmIds.CPU_HIGH}/ack`, null);
    // The CSRF check comes first: without a session there is no token to match.
    expect(ack.statusCode).toBe(403);
    expect(
      (await db().ds.getRepository(Alarm).findOneByOrFail({ id: s.alarmIds.CPU_HIGH })).ackedBy,
    ).toBeNull();
  });
});
