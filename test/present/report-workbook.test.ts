// The report workbook read back with the same library: sheet names, headers, values and formats, a frozen header row, and text that would be a formula made safe.
import ExcelJS from 'exceljs';
import { SHEET_NAMES, reportWorkbook, safeText } from '../../src/present/report-workbook';
import type { ReportWorkbookData } from '../../src/types/report-export';

const DATA: ReportWorkbookData = {
  site: { code: 'BJ01', name: '北京一号' },
  from: '2026-11-23',
  to: '2026-11-24',
  days: [
    {
      date: '2026-11-23',
      sub: 130,
      unsub: 23,
      total: 10300,
      calls: 53000,
      shows: 41500,
      mo: 3030,
      mt: 6060,
    },
    {
      date: '2026-11-24',
      sub: 140,
      unsub: 24,
      total: 10400,
      calls: 54000,
      shows: 42000,
      mo: 3040,
      mt: 6080,
    },
  ],
  alarms: [
    {
      id: 7,
      name: 'DISK_FULL',
      title: '磁盘空间不足',
      node: '=cmd|"/c calc"!A1',
      description: '@SUM(1+1) disk / at 95%',
      raised: '2026-11-24 08:00',
      resumed: null,
      state: '未恢复',
    },
  ],
  servers: [
    {
      name: 'db01',
      ip: '10.0.0.3',
      cpuPct: 45.04,
      memPct: 75,
      diskPct: null,
      diskMount: null,
      lastSeen: '2026-11-24 18:00',
      stale: true,
    },
  ],
};

async function readBack(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

const rowsOf = (ws: ExcelJS.Worksheet) => {
  const out: unknown[][] = [];
  ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
  return out;
};

describe('report workbook', () => {
  it('has three sheets with Chinese headers, the values, number formats and a frozen header row', async () => {
    const wb = await readBack(await reportWorkbook(DATA));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['每日业务', '告警', '服务器']);
    const days = wb.getWorksheet(SHEET_NAMES.days)!;
    expect(rowsOf(days)).toEqual([
      ['日期', '开通', '退订', '总用户', '调用', '推送', '上行', '下行'],
      ['2026-11-23', 130, 23, 10300, 53000, 41500, 3030, 6060],
      ['2026-11-24', 140, 24, 10400, 54000, 42000, 3040, 6080],
    ]);
    expect(days.getCell('D2').numFmt).toBe('#,##0');
    expect(days.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(days.getColumn(1).width).toBe(12);
    expect(days.getRow(1).font?.bold).toBe(true);
    const servers = wb.getWorksheet(SHEET_NAMES.servers)!;
    expect(rowsOf(servers)).toEqual([
      ['服务器', 'IP', 'CPU', '内存', '磁盘', '最满挂载点', '最后上报', '停报'],
      ['db01', '10.0.0.3', 45, 75, '', '', '2026-11-24 18:00', '是'],
    ]);
    expect(servers.getCell('C2').numFmt).toBe('0.0"%"');
  });

  it('makes text a spreadsheet would take for a formula safe, as the CSV does', async () => {
    const wb = await readBack(await reportWorkbook(DATA));
    const alarms = wb.getWorksheet(SHEET_NAMES.alarms)!;
    expect(rowsOf(alarms)).toEqual([
      ['编号', '告警名', '名称', '节点', '描述', '发生时间', '恢复时间', '状态'],
      [
        7,
        'DISK_FULL',
        '磁盘空间不足',
        '\'=cmd|"/c calc"!A1',
        "'@SUM(1+1) disk / at 95%",
        '2026-11-24 08:00',
        '',
        '未恢复',
      ],
    ]);
    // Stored as text, not as a formula.
    expect(alarms.getCell('D2').type).toBe(ExcelJS.ValueType.String);
    expect(['=1', '+1', '-1', '@x', '\tx', '\rx', 'ok', '1=1'].map(safeText)).toEqual([
      "'=1",
      "'+1",
      "'-1",
      "'@x",
      "'\tx",
      "'\rx",
      'ok',
      '1=1',
    ]);
  });
});
