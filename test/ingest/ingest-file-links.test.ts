// file:// sites and symbolic links: a link out of the site folder is refused and nothing of it stored; links inside work.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IngestCursor, Site } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { createIngestService } from '../../src/ingest/ingest-service';
import { startOfDay } from '../../src/time';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';
import { alarmRecorder, cpuLine, cpuLines, day, infoPath, servicePath } from '../helpers/fixtures';

const NOW = startOfDay(day, 'Asia/Shanghai') + 10 * 3600_000;
const REFUSED = `${infoPath()} leads outside the site folder; it was not read`;

describeEachEngine('file:// ingest and symbolic links', (db) => {
  let dir: string;
  let outside: string;
  const config = testConfig({ ingest: { retries: 0, backfillDays: 1 } });
  const run = () =>
    createIngestService({ ds: db().ds, config, now: () => NOW, hooks: alarmRecorder() }).run();
  const count = async (table: string) =>
    Number((await db().ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  // The secret holds a line that would parse and a line that would be quarantined with its text.
  const SECRET =
    'root:$6$saltsalt$secrethash:19000:0:99999:7:::\n' +
    cpuLine('leaked', '10.9.9.9', 'S1', '2026-11-24 08:00:00', 1, 1, 1, 97);

  beforeEach(async () => {
    await resetDb(db());
    dir = mkdtempSync(join(tmpdir(), 'sw-links-'));
    outside = mkdtempSync(join(tmpdir(), 'sw-outside-'));
    await addSite(db().ds, { code: 'S1', name: 'One', baseUrl: pathToFileURL(dir).href });
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  async function expectRefusedAndNothingStored() {
    const r = await run();
    expect(r[0].ok).toBe(false);
    expect(r[0].files.map((f) => [f.kind, f.outcome, f.error])).toEqual([
      ['system_info', 'error', REFUSED],
      ['system_alarm', 'missing', undefined],
      ['system_service', 'missing', undefined],
    ]);
    const site = await db().ds.getRepository(Site).findOneByOrFail({ code: 'S1' });
    expect(site.lastError).toBe(REFUSED);
    const cursor = await db()
      .ds.getRepository(IngestCursor)
      .findOneByOrFail({ kind: 'system_info' });
    expect([cursor.lastStatus, cursor.lastError, cursor.byteOffset]).toEqual(['error', REFUSED, 0]);
    expect(await count('ingest_error')).toBe(0);
    expect(await count('cpu_sample')).toBe(0);
    expect(await count('server')).toBe(0);
  }

  it('refuses a file that is a link to a file outside the folder and stores nothing of it', async () => {
    writeFileSync(join(outside, 'shadow'), SECRET);
    mkdirSync(join(dir, 'sys_monitor'));
    symlinkSync(join(outside, 'shadow'), join(dir, infoPath()));
    await expectRefusedAndNothingStored();
  });

  it('refuses a file under a directory that is a link out of the folder', async () => {
    writeFileSync(join(outside, `system_info_${day}.txt`), SECRET);
    symlinkSync(outside, join(dir, 'sys_monitor'));
    await expectRefusedAndNothingStored();
  });

  it('keeps reading links that stay inside the folder, under a linked site root, while refusing one out', async () => {
    mkdirSync(join(dir, 'archive'));
    writeFileSync(join(dir, 'archive', 'info.txt'), cpuLines(3));
    mkdirSync(join(dir, 'sys_monitor'));
    symlinkSync('../archive/info.txt', join(dir, infoPath()));
    mkdirSync(join(dir, 'alarm-real'));
    writeFileSync(
      join(dir, 'alarm-real', `system_alarm_${day}.txt`),
      'S1|DISK_FULL|db1|/data 95%|2026-11-24 08:00:00||2026-11-24 08:00:30\n',
    );
    symlinkSync('alarm-real', join(dir, 'sys_alarm'));
    writeFileSync(join(outside, 'figures'), 'S1|1|1|1|1|1|1|1|2026-11-24 01:00:00\n');
    mkdirSync(join(dir, 'sys_service'));
    symlinkSync(join(outside, 'figures'), join(dir, servicePath()));
    const root = join(outside, 'site-root');
    symlinkSync(dir, root);
    await db()
      .ds.getRepository(Site)
      .update({ code: 'S1' }, { baseUrl: pathToFileURL(root).href });
    const r = await run();
    expect(r[0].files.map((f) => [f.kind, f.outcome, f.inserted, f.error])).toEqual([
      ['system_info', 'ingested', 3, undefined],
      ['system_alarm', 'ingested', 1, undefined],
      [
        'system_service',
        'error',
        0,
        `${servicePath()} leads outside the site folder; it was not read`,
      ],
    ]);
    expect(await count('cpu_sample')).toBe(3);
    expect(await count('alarm')).toBe(1);
    expect(await count('business_daily')).toBe(0);
    expect(await count('ingest_error')).toBe(0);
  });
});
