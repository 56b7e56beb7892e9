// A site's business report for a date range: page, JSON with the trend chart, and CSV export (Excel-friendly, injection-safe).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { buildChart } from '../../../charts/registry';
import type { Site } from '../../../entities';
import { SitewatchError } from '../../errors';
import { count } from '../../present/format';
import { reportWorkbook } from '../../present/report-workbook';
import { reportExport } from '../../queries/report-export';
import { type Figures, dailyFiguresBetween } from '../../queries';
import { addDays, isoDay } from '../../time';
import { type WebDeps, renderPage, siteFor } from '../context';
import { requireUser } from '../guards';
import type { Messages } from '../i18n';
import { chartContext, parseInput, siteMessages, tzOf } from './site';
import type { WebRoute } from './types';

export const REPORT_DEFAULT_DAYS = 30;
export const REPORT_MAX_DAYS = 366;

export const reportMessages: Messages = {
  zh: {
    reportTitle: '{site} 业务报表',
    from: '开始日期',
    to: '结束日期',
    show: '查询',
    csv: '导出 CSV',
    xlsx: '导出 Excel',
    date: '日期',
    total: '合计',
    noRows: '{from} 至 {to} 没有业务数据。',
    rangeText: '{from} 至 {to}，共 {n} 天，有数据 {m} 天',
    reportChart: '业务趋势',
  },
  en: {
    reportTitle: '{site} business report',
    from: 'From',
    to: 'To',
    show: 'Show',
    csv: 'Export CSV',
    xlsx: 'Export Excel',
    date: 'Date',
    total: 'Total',
    noRows: 'No business figures from {from} to {to}.',
    rangeText: '{from} to {to}: {n} days, {m} with figures',
    reportChart: 'Business trend',
  },
};

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => addDays(s, 0) === s, 'is not a calendar date');
const rangeQuery = z.object({ from: day.optional(), to: day.optional() });

/** Days from `from` to `to` inclusive (YYYY-MM-DD). */
function span(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
  );
}

/** The requested range: by default the 30 days up to yesterday (in the site's zone); at most 366 days. */
export function reportRange(query: unknown, now: number, tz: string): { from: string; to: string } {
  const q = parseInput(rangeQuery, query);
  const to = q.to ?? addDays(isoDay(now, tz), -1);
  const from = q.from ?? addDays(to, -(REPORT_DEFAULT_DAYS - 1));
  if (from > to) throw new SitewatchError('USAGE', `from ${from} is after to ${to}`);
  const n = span(from, to);
  if (n > REPORT_MAX_DAYS)
    throw new SitewatchError('USAGE', `at most ${REPORT_MAX_DAYS} days (got ${n})`);
  return { from, to };
}

/** The CSV columns, in order: header name and figure. */
const CSV_COLUMNS: [string, keyof Figures][] = [
  ['date', 'date'],
  ['opens', 'sub'],
  ['closes', 'unsub'],
  ['total_users', 'total'],
  ['calls', 'calls'],
  ['pushes', 'shows'],
  ['mo', 'mo'],
  ['mt', 'mt'],
];

/**
 * One CSV field: a value a spreadsheet would take for a formula (= + - @, tab, CR) gets a leading
 * apostrophe; quotes, commas and line breaks are quoted.
 */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV: UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF line ends. */
export function reportCsv(rows: readonly Figures[]): string {
  const lines = [CSV_COLUMNS.map(([h]) => csvField(h)).join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map(([, k]) => csvField(r[k])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

async function reportData(req: FastifyRequest, deps: WebDeps, site: Site) {
  const { from, to } = reportRange(req.query, deps.now(), tzOf(site, deps));
  const rows = await dailyFiguresBetween(deps.ds, site.id, from, to);
  return { from, to, days: span(from, to), rows };
}

const qs = (from: string, to: string) =>
  `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

export const reportRoutes: WebRoute = {
  name: 'reports',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireUser);
    const siteOf = (req: FastifyRequest) =>
      siteFor(req, deps, (req.params as { code: string }).code);

    app.get('/sites/:code/report', async (req, reply) => {
      const site = await siteOf(req);
      const r = await reportData(req, deps, site);
      const base = `/sites/${encodeURIComponent(site.code)}`;
      return renderPage(
        req,
        reply,
        deps,
        'report.eta',
        {
          title: site.name,
          nav: 'sites',
          charts: true,
          count,
          site: { code: site.code, name: site.name },
          ...r,
          apiUrl: `/api${base}/report?${qs(r.from, r.to)}`,
          csvUrl: `${base}/report.csv?${qs(r.from, r.to)}`,
          xlsxUrl: `${base}/report.xlsx?${qs(r.from, r.to)}`,
        },
        [reportMessages, siteMessages],
      );
    });

    app.get('/api/sites/:code/report', async (req, reply) => {
      const site = await siteOf(req);
      const r = await reportData(req, deps, site);
      reply.header('cache-control', 'no-store');
      return {
        site: { code: site.code, name: site.name },
        ...r,
        charts: {
          'chart-report': buildChart(
            'business-trend',
            { site: site.name, days: r.rows },
            chartContext(req, deps, site),
          ),
        },
      };
    });

    app.get('/sites/:code/report.xlsx', async (req, reply) => {
      const site = await siteOf(req);
      const tz = tzOf(site, deps);
      const { from, to } = reportRange(req.query, deps.now(), tz);
      const data = await reportExport(deps.ds, {
        site,
        from,
        to,
        tz,
        now: deps.now(),
        dict: deps.dict,
      });
      // The code is chosen by an admin; only safe characters go into the header.
      const name = `${site.code.replace(/[^A-Za-z0-9._-]/g, '_')}-${from}-${to}.xlsx`;
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(await reportWorkbook(data));
    });

    app.get('/sites/:code/report.csv', async (req, reply) => {
      const site = await siteOf(req);
      const r = await reportData(req, deps, site);
      // The code is chosen by an admin; only safe characters go into the header.
      const name = `${site.code.replace(/[^A-Za-z0-9._-]/g, '_')}-${r.from}-${r.to}.csv`;
      return reply
        .header('cache-control', 'no-store')
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(reportCsv(r.rows));
    });
  },
};
