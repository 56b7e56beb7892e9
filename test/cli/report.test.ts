// `sitewatch report export`: the workbook a site's days, alarms and servers make, read back with the library; bad dates and unknown sites refused in words.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { BusinessDaily } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { migrate, openDataSource } from '../../src/db/data-source';
import { cli } from '../helpers/cli';
import { urlDatabases } from '../helpers/db';

const engines = urlDatabases('sitewatch report export');

describe.each(engines)('sitewatch report export [$name]', ({ open }) => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let dir: string;

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    env = { SITEWATCH_DB: db.url, SITEWATCH_LOG_LEVEL: 'silent' };
    const ds = await openDataSource(db.url);
    await migrate(ds);
    const site = await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: 'http://bj01' });
    await ds.getRepository(BusinessDaily).insert(
      ['2026-11-23', '2026-11-24', '2026-11-26'].map((statDate, i) => ({
        siteId: site.id,
        statDate,
        subUsers: 100 + i,
        unsubUsers: 20,
        totalUsers: 1_000_000 + i,
        callTimes: 50_000,
        showTimes: 40_000,
        moTimes: 3000,
        mtTimes: 6000,
        recordedAt: 1,
        updatedAt: 1,
      })),
    );
    await ds.destroy();
    dir = mkdtempSync(join(tmpdir(), 'sw-export-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await drop();
  });

  it('writes the days asked for, and says what it wrote', async () => {
    const out = join(dir, 'bj01.xlsx');
    const r = await cli(
      ['report', 'export', 'BJ01', '--from', '2026-11-23', '--to', '2026-11-25', '--out', out],
      env,
    );
    expect(r).toEqual({
      code: 0,
      stdout: `Wrote ${out}: BJ01 2026-11-23 to 2026-11-25, 2 day(s) of figures, 0 alarm(s), 0 server(s)\n`,
      stderr: '',
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet('每日业务')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows).toEqual([
      ['日期', '开通', '退订', '总用户', '调用', '推送', '上行', '下行'],
      ['2026-11-23', 100, 20, 1_000_000, 50_000, 40_000, 3000, 6000],
      ['2026-11-24', 101, 20, 1_000_001, 50_000, 40_000, 3000, 6000],
    ]);
  });

  it('refuses bad dates, a backwards range, too long a range and an unknown site', async () => {
    const out = join(dir, 'x.xlsx');
    const run = (args: string[]) => cli(['report', 'export', ...args, '--out', out], env);
    expect(await run(['BJ01', '--from', '2026-02-30'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sitewatch: --from "2026-02-30" is not a date YYYY-MM-DD.\n',
    });
    expect((await run(['BJ01', '--from', '2026-11-25', '--to', '2026-11-24'])).stderr).toBe(
      'sitewatch: --from 2026-11-25 is after --to 2026-11-24.\n',
    );
    expect((await run(['BJ01', '--from', '2025-01-01', '--to', '2026-11-24'])).stderr).toBe(
      'sitewatch: At most 366 days (got 693).\n',
    );
    expect(await run(['NOPE'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sitewatch: No site "NOPE".\n',
    });
  });
});
