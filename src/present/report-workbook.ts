// A site's report as an Excel workbook (exceljs): sheets of daily figures, alarms and servers with Chinese headers, number formats, a frozen header row and widths; text that a spreadsheet would take for a formula is made safe.
import ExcelJS from 'exceljs';
import type { BusinessFigures } from '../types/business-figures';
import type { ReportWorkbookData } from '../types/report-export';
import { FIGURE_LABELS } from './figure-labels';

export const SHEET_NAMES = { days: '每日业务', alarms: '告警', servers: '服务器' } as const;

/**
 * A cell's text as a spreadsheet must not take it for a formula (= + - @, tab, CR first): a leading
 * apostrophe, as the CSV export does.
 */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

const FIGURE_ORDER: (keyof BusinessFigures)[] = [
  'sub',
  'unsub',
  'total',
  'calls',
  'shows',
  'mo',
  'mt',
];
const INT = '#,##0';
const PCT = '0.0"%"';

type Column = { header: string; width: number; numFmt?: string };

function sheet(
  wb: ExcelJS.Workbook,
  name: string,
  columns: readonly Column[],
  rows: readonly (string | number | null)[][],
): void {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({
    header: c.header,
    width: c.width,
    style: c.numFmt ? { numFmt: c.numFmt } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of rows)
    ws.addRow(r.map((v) => (typeof v === 'string' ? safeText(v) : v === null ? '' : v)));
}

export async function reportWorkbook(d: ReportWorkbookData): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Sitewatch';
  wb.title = `${d.site.name}（${d.site.code}）${d.from} 至 ${d.to}`;
  sheet(
    wb,
    SHEET_NAMES.days,
    [
      { header: '日期', width: 12 },
      ...FIGURE_ORDER.map((k) => ({ header: FIGURE_LABELS[k], width: 14, numFmt: INT })),
    ],
    d.days.map((day) => [day.date, ...FIGURE_ORDER.map((k) => day[k])]),
  );
  sheet(
    wb,
    SHEET_NAMES.alarms,
    [
      { header: '编号', width: 8, numFmt: INT },
      { header: '告警名', width: 20 },
      { header: '名称', width: 24 },
      { header: '节点', width: 20 },
      { header: '描述', width: 48 },
      { header: '发生时间', width: 18 },
      { header: '恢复时间', width: 18 },
      { header: '状态', width: 10 },
    ],
    d.alarms.map((a) => [
      a.id,
      a.name,
      a.title,
      a.node,
      a.description,
      a.raised,
      a.resumed,
      a.state,
    ]),
  );
  sheet(
    wb,
    SHEET_NAMES.servers,
    [
      { header: '服务器', width: 24 },
      { header: 'IP', width: 16 },
      { header: 'CPU', width: 10, numFmt: PCT },
      { header: '内存', width: 10, numFmt: PCT },
      { header: '磁盘', width: 10, numFmt: PCT },
      { header: '最满挂载点', width: 14 },
      { header: '最后上报', width: 18 },
      { header: '停报', width: 8 },
    ],
    d.servers.map((s) => [
      s.name,
      s.ip,
      s.cpuPct === null ? null : Math.round(s.cpuPct * 10) / 10,
      s.memPct === null ? null : Math.round(s.memPct * 10) / 10,
      s.diskPct === null ? null : Math.round(s.diskPct * 10) / 10,
      s.diskMount,
      s.lastSeen,
      s.stale ? '是' : '否',
    ]),
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
