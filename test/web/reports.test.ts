// The report page, its API and the CSV export: date ranges, exact CSV bytes, formula neutralising; access rules.
import type { FastifyInstance } from 'fastify';
import { buildChart } from '../../charts/registry';
import { csvField, reportCsv } from '../../src/web/routes/reports';
import { describeEachEngine } from '../helpers/db';
import { NOW, type WebSession, normalizedBody, getAs, openPortal } from './helpers';
import ExcelJS from 'exceljs';
import { Site } from '../../entities';
import { alarmsRaisedBetween } from '../../src/queries/alarm-history';
import { serverStatuses } from '../../src/queries/status';
import { startOfDay } from '../../src/time';

describe('csv fields', () => {
  it('neutralises formulas and quotes separators', () => {
    expect(csvField('=1+2')).toBe("'=1+2");
    expect(csvField('+cmd')).toBe("'+cmd");
    expect(csvField('-2')).toBe("'-2");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
    expect(csvField(1234)).toBe('1234');
    expect(csvField('北京')).toBe('北京');
    expect(csvField(null)).toBe('');
  });

  it('writes a BOM, the header and CRLF lines', () => {
    expect(reportCsv([])).toBe('\uFEFFdate,opens,closes,total_users,calls,pushes,mo,mt\r\n');
  });
});

describeEachEngine('web reports', (db) => {
  let app: FastifyInstance;
  let admin: WebSession;
  let zhou: WebSession;

  beforeAll(async () => {
    ({ app, admin, zhou } = await openPortal(db().ds));
  });
  afterAll(async () => {
    await app.close();
  });

  const get = (url: string, who?: WebSession) => getAs(app, url, who);

  it('shows the last 30 days up to yesterday by default, as a table with totals and a chart', async () => {
    const res = await get('/sites/BJ01/report', admin);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1>北京一号 业务报表 <span class="muted">(BJ01)</span></h1>');
    expect(html).toContain('<input type="date" name="from" value="2026-10-26" required>');
    expect(html).toContain('<input type="date" name="to" value="2026-11-24" required>');
    expect(html).toContain('2026-10-26 至 2026-11-24，共 30 天，有数据 5 天');
    expect(html).toContain(
      '<div id="chart-report" class="chart" data-chart-src="/api/sites/BJ01/report?from=2026-10-26&amp;to=2026-11-24"',
    );
    expect(html).toContain(
      '<a href="/sites/BJ01/report.csv?from=2026-10-26&amp;to=2026-11-24" id="csv-link" download>导出 CSV</a>',
    );
    const body = /<table id="report">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1];
    const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
      [...r[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]),
    );
    expect(rows).toEqual([
      ['2026-11-20', '100', '20', '10,000', '50,000', '40,000', '3,000', '6,000'],
      ['2026-11-21', '110', '21', '10,100', '51,000', '40,500', '3,010', '6,020'],
      ['2026-11-22', '120', '22', '10,200', '52,000', '41,000', '3,020', '6,040'],
      ['2026-11-23', '130', '23', '10,300', '53,000', '41,500', '3,030', '6,060'],
      ['2026-11-24', '140', '24', '10,400', '54,000', '42,000', '3,040', '6,080'],
    ]);
    const foot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(html)![1];
    expect([...foot.matchAll(/<th[^>]*>([^<]*)<\/th>/g)].map((c) => c[1])).toEqual([
      '合计',
      '600',
      '110',
      '',
      '260,000',
      '205,000',
      '15,100',
      '30,200',
    ]);
  });

  it('takes a date range, and says when there is nothing in it', async () => {
    const html = (await get('/sites/BJ01/report?from=2026-11-22&to=2026-11-23', admin)).body;
    expect(html).toContain('2026-11-22 至 2026-11-23，共 2 天，有数据 2 天');
    const empty = (await get('/sites/BJ01/report?from=2026-01-01&to=2026-01-31', admin)).body;
    expect(empty).toContain('2026-01-01 至 2026-01-31 没有业务数据。');
    expect(empty).not.toContain('<table id="report">');
  });

  it('refuses bad dates and ranges with 400 (page, API and CSV)', async () => {
    const bad = [
      'from=2026-02-30&to=2026-03-01',
      'from=2026/11/01&to=2026-11-24',
      'from=20261101&to=2026-11-24',
      'from=2026-11-24&to=2026-11-20',
      'from=2025-11-23&to=2026-11-24',
      'to=tomorrow',
      'from=2026-11-01&from=2026-11-02',
    ];
    for (const q of bad) {
      for (const url of [
        `/sites/BJ01/report?${q}`,
        `/api/sites/BJ01/report?${q}`,
        `/sites/BJ01/report.csv?${q}`,
      ]) {
        const res = await get(url, admin);
        expect([url, res.statusCode]).toEqual([url, 400]);
      }
    }
    expect(
      (await get('/api/sites/BJ01/report?from=2026-11-24&to=2026-11-20', admin)).json(),
    ).toEqual({ error: '请求无效：from 2026-11-24 is after to 2026-11-20' });
    // 366 days is the longest range.
    expect(
      (await get('/api/sites/BJ01/report?from=2025-11-24&to=2026-11-24', admin)).statusCode,
    ).toBe(200);
  });

  it('answers rows and the business-trend option of the same rows as JSON', async () => {
    const res = await get('/api/sites/BJ01/report?from=2026-11-21&to=2026-11-22', admin);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const rows = [
      {
        date: '2026-11-21',
        sub: 110,
        unsub: 21,
        total: 10100,
        calls: 51000,
        shows: 40500,
        mo: 3010,
        mt: 6020,
      },
      {
        date: '2026-11-22',
        sub: 120,
        unsub: 22,
        total: 10200,
        calls: 52000,
        shows: 41000,
        mo: 3020,
        mt: 6040,
      },
    ];
    expect(body).toEqual({
      site: { code: 'BJ01', name: '北京一号' },
      from: '2026-11-21',
      to: '2026-11-22',
      days: 2,
      rows,
      charts: {
        'chart-report': buildChart(
          'business-trend',
          { site: '北京一号', days: rows },
          { lang: 'zh', tz: 'Asia/Shanghai' },
        ),
      },
    });
    expect(body.charts['chart-report'].series).toHaveLength(7);
  });

  it('exports exactly these CSV bytes', async () => {
    const res = await get('/sites/BJ01/report.csv?from=2026-11-19&to=2026-11-24', admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="BJ01-2026-11-19-2026-11-24.csv"',
    );
    expect(res.headers['cache-control']).toBe('no-store');
    const expected = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        'date,opens,closes,total_users,calls,pushes,mo,mt\r\n' +
          '2026-11-20,100,20,10000,50000,40000,3000,6000\r\n' +
          '2026-11-21,110,21,10100,51000,40500,3010,6020\r\n' +
          '2026-11-22,120,22,10200,52000,41000,3020,6040\r\n' +
          '2026-11-23,130,23,10300,53000,41500,3030,6060\r\n' +
          '2026-11-24,140,24,10400,54000,42000,3040,6080\r\n',
        'ascii',
      ),
    ]);
    expect(res.rawPayload.equals(expected)).toBe(true);
  });

  it('exports the report as a workbook: the CSV figures, the alarms raised in the days, the servers', async () => {
    const page = await get('/sites/BJ01/report?from=2026-11-19&to=2026-11-24', admin);
    expect(page.body).toContain(
      '<a href="/sites/BJ01/report.xlsx?from=2026-11-19&amp;to=2026-11-24" id="xlsx-link" download>导出 Excel</a>',
    );
    const res = await get('/sites/BJ01/report.xlsx?from=2026-11-19&to=2026-11-24', admin);
    expect([res.statusCode, res.statusCode === 200 ? '' : res.body]).toEqual([200, '']);
    expect(res.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="BJ01-2026-11-19-2026-11-24.xlsx"',
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows = (name: string) => {
      const out: unknown[][] = [];
      wb.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
      return out;
    };
    expect(rows('每日业务')).toEqual([
      ['日期', '开通', '退订', '总用户', '调用', '推送', '上行', '下行'],
      ['2026-11-20', 100, 20, 10000, 50000, 40000, 3000, 6000],
      ['2026-11-21', 110, 21, 10100, 51000, 40500, 3010, 6020],
      ['2026-11-22', 120, 22, 10200, 52000, 41000, 3020, 6040],
      ['2026-11-23', 130, 23, 10300, 53000, 41500, 3030, 6060],
      ['2026-11-24', 140, 24, 10400, 54000, 42000, 3040, 6080],
    ]);
    const site = (await db().ds.getRepository(Site).findOneByOrFail({ code: 'BJ01' }))!;
    const raised = await alarmsRaisedBetween(
      db().ds,
      [site.id],
      startOfDay('20261119', 'Asia/Shanghai'),
      startOfDay('20261125', 'Asia/Shanghai'),
      1000,
    );
    expect(raised.total).toBeGreaterThan(0);
    expect(rows('告警').map((r) => r[0])).toEqual(['编号', ...raised.alarms.map((a) => a.id)]);
    const servers = await serverStatuses(db().ds, [site.id], NOW);
    expect(rows('服务器').map((r) => r[0])).toEqual(['服务器', ...servers.map((v) => v.name)]);
  });

  it('exports the default range when none is given', async () => {
    const res = await get('/sites/BJ02/report.csv', admin);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(
      'attachment; filename="BJ02-2026-10-26-2026-11-24.csv"',
    );
    expect(res.rawPayload.toString('utf8')).toBe(
      '\uFEFFdate,opens,closes,total_users,calls,pushes,mo,mt\r\n' +
        '2026-11-24,100,20,1234567,50000,40000,3000,6000\r\n',
    );
  });

  it('answers site B to the operator exactly like a site that does not exist (page, API, CSV)', async () => {
    expect((await get('/sites/BJ01/report', zhou)).statusCode).toBe(200);
    expect((await get('/sites/BJ01/report.csv', zhou)).statusCode).toBe(200);
    for (const [url, twin] of [
      ['/sites/BJ02/report', '/sites/NOPE9/report'],
      ['/sites/BJ02/report.csv', '/sites/NOPE9/report.csv'],
      ['/sites/BJ02/report.xlsx', '/sites/NOPE9/report.xlsx'],
      [
        '/sites/BJ02/report?from=2026-11-20&to=2026-11-24',
        '/sites/NOPE9/report?from=2026-11-20&to=2026-11-24',
      ],
    ]) {
      const res = await get(url, zhou);
      const ref = await get(twin, zhou);
      expect([url, res.statusCode]).toEqual([url, 404]);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-disposition']).toBeUndefined();
      expect(normalizedBody(res.body, url)).toBe(normalizedBody(ref.body, twin));
    }
    for (const url of ['/api/sites/BJ02/report', '/api/sites/NOPE9/report']) {
      const res = await get(url, zhou);
      expect(res.statusCode).toBe(404);
      expect(res.body).toBe('{"error":"页面不存在。"}');
    }
  });

  it('sends a visitor without a session to the login page, and API calls get 401', async () => {
    for (const url of ['/sites/BJ01/report', '/sites/BJ01/report.csv']) {
      const res = await get(url);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    expect((await get('/api/sites/BJ01/report')).statusCode).toBe(401);
  });
});
