// Incremental HTTP ingest against a real loopback server, on SQLite and MariaDB.
import iconv from 'iconv-lite';
import { IngestCursor, IngestError, Site } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { createIngestService } from '../../src/ingest/ingest-service';
import { startOfDay } from '../../src/time';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';
import {
  alarmPath,
  alarmRecorder,
  cpuLine,
  cpuLines,
  day,
  infoPath,
  memLine,
  servicePath,
} from '../helpers/fixtures';
import { startSiteServer, type SiteServer } from '../helpers/site-server';

// "Now" is 10:00 on the file's day in Shanghai: the day is still open.
const NOW = startOfDay(day, 'Asia/Shanghai') + 10 * 3600_000;

describeEachEngine('HTTP ingest', (db) => {
  let srv: SiteServer;
  const config = testConfig({ ingest: { retryDelayMs: 1, retries: 2, backfillDays: 1 } });

  beforeEach(async () => {
    await resetDb(db());
    srv = await startSiteServer();
    await addSite(db().ds, { code: 'S1', name: 'Site one', baseUrl: srv.url });
  });
  afterEach(() => srv?.close());

  const service = (over: Partial<Parameters<typeof createIngestService>[0]> = {}) =>
    createIngestService({ ds: db().ds, config, now: () => NOW, hooks: alarmRecorder(), ...over });
  const count = async (table: string) =>
    Number((await db().ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const infoResult = (r: Awaited<ReturnType<ReturnType<typeof service>['run']>>) =>
    r[0].files.find((f) => f.kind === 'system_info')!;

  it('ingests a file, then reads only what was appended, using Range', async () => {
    srv.put(infoPath(), cpuLines(10));
    const r1 = await service().run();
    expect(infoResult(r1)).toMatchObject({
      outcome: 'ingested',
      lines: 10,
      inserted: 10,
      duplicate: 0,
      quarantined: 0,
    });
    expect(await count('cpu_sample')).toBe(10);
    const size1 = srv.files.get(infoPath())!.length;

    srv.append(infoPath(), cpuLines(15).split('\n').slice(10).join('\n'));
    srv.requests.length = 0;
    const r2 = await service().run();
    expect(infoResult(r2)).toMatchObject({
      outcome: 'ingested',
      lines: 5,
      inserted: 5,
      duplicate: 0,
    });
    const req = srv.requests.find((q) => q.path === infoPath())!;
    expect(req.status).toBe(206);
    expect(req.range).toBe(`bytes=${size1 - 256}-`);
    expect(await count('cpu_sample')).toBe(15);

    srv.requests.length = 0;
    const r3 = await service().run();
    expect(infoResult(r3)).toMatchObject({ outcome: 'unchanged', lines: 0, inserted: 0 });
    expect(srv.requests.find((q) => q.path === infoPath())!.status).toBe(304);
  });

  it('stores exact figures with units normalised and registers new servers', async () => {
    srv.put(
      infoPath(),
      cpuLine('app1', '10.0.0.1', 'S1', '2026-11-24 00:05:00', 12.5, 3.25, 0.5, 83.75) +
        memLine('app1', '10.0.0.1', 'S1', '2026-11-24 00:05:00', '2048', '1G', '512M', '4096') +
        'app1|10.0.0.1|S1|disk|/home|20G|100G|20261124000500\n' +
        'app2|10.0.0.2|S1|os|CentOS Linux|3.10.0\n'.replace('\n', '|2026-11-24T00:05:00+08:00\n'),
    );
    await service().run();
    const ds = db().ds;
    const cpu = await ds.query(
      'SELECT user_pct, sys_pct, io_pct, idle_pct, sampled_at FROM cpu_sample',
    );
    expect(
      cpu.map((r: Record<string, unknown>) => [
        Number(r.user_pct),
        Number(r.sys_pct),
        Number(r.io_pct),
        Number(r.idle_pct),
        Number(r.sampled_at),
      ]),
    ).toEqual([[12.5, 3.25, 0.5, 83.75, Date.UTC(2026, 10, 23, 16, 5)]]);
    const mem = await ds.query(
      'SELECT used_bytes, free_bytes, buffer_bytes, total_bytes FROM mem_sample',
    );
    expect(Object.values(mem[0]).map(Number)).toEqual([
      2048 * 2 ** 20,
      2 ** 30,
      512 * 2 ** 20,
      4096 * 2 ** 20,
    ]);
    const disk = await ds.query(
      'SELECT mount, used_bytes, total_bytes, sampled_at FROM disk_sample',
    );
    expect([
      disk[0].mount,
      Number(disk[0].used_bytes),
      Number(disk[0].total_bytes),
      Number(disk[0].sampled_at),
    ]).toEqual(['/home', 20 * 2 ** 30, 100 * 2 ** 30, Date.UTC(2026, 10, 23, 16, 5)]);
    const servers = await ds.query(
      'SELECT name, ip, os_name, os_version, last_seen_at FROM server ORDER BY name',
    );
    expect(
      servers.map((s: Record<string, unknown>) => [
        s.name,
        s.ip,
        s.os_name,
        s.os_version,
        Number(s.last_seen_at),
      ]),
    ).toEqual([
      ['app1', '10.0.0.1', null, null, Date.UTC(2026, 10, 23, 16, 5)],
      ['app2', '10.0.0.2', 'CentOS Linux', '3.10.0', Date.UTC(2026, 10, 23, 16, 5)],
    ]);
  });

  it('copes with a server that ignores Range (200 with the whole file)', async () => {
    srv.put(infoPath(), cpuLines(10));
    await service().run();
    srv.mode = 'ignore-range';
    srv.append(infoPath(), cpuLines(12).split('\n').slice(10).join('\n'));
    const r = await service().run();
    expect(srv.requests.filter((q) => q.path === infoPath()).pop()).toMatchObject({ status: 200 });
    expect(infoResult(r)).toMatchObject({ lines: 2, inserted: 2, duplicate: 0, resets: 0 });
    expect(await count('cpu_sample')).toBe(12);
  });

  it('distrusts a 206 whose Content-Range starts elsewhere and refetches the whole file', async () => {
    srv.put(infoPath(), cpuLines(10));
    await service().run();
    srv.mode = 'wrong-range';
    srv.append(infoPath(), cpuLines(13).split('\n').slice(10).join('\n'));
    const r = await service().run();
    expect(infoResult(r)).toMatchObject({ lines: 3, inserted: 3, duplicate: 0 });
    expect(
      srv.requests
        .filter((q) => q.path === infoPath())
        .slice(-2)
        .map((q) => [q.status, q.range]),
    ).toEqual([
      [206, expect.stringMatching(/^bytes=\d+-$/)],
      [200, undefined],
    ]);
  });

  it('resets on truncation (416), persists the reset and re-reads without duplicates', async () => {
    srv.put(infoPath(), cpuLines(20));
    await service().run();
    srv.put(infoPath(), cpuLines(3));
    const r = await service().run();
    expect(infoResult(r)).toMatchObject({ resets: 1, lines: 3, inserted: 0, duplicate: 3 });
    const c = await db().ds.getRepository(IngestCursor).findOneByOrFail({ kind: 'system_info' });
    expect([c.resets, c.byteOffset, c.lineNo]).toEqual([1, srv.files.get(infoPath())!.length, 3]);
    expect(await count('cpu_sample')).toBe(20);
  });

  it('detects a rewritten file of the same size through the overlap bytes', async () => {
    srv.put(infoPath(), cpuLines(10));
    await service().run();
    const rewritten = cpuLines(10).replace(/\|5\|1\|/g, '|6|1|');
    srv.put(infoPath(), rewritten + cpuLines(11).split('\n').slice(10).join('\n'));
    const r = await service().run();
    expect(infoResult(r)).toMatchObject({ resets: 1, lines: 11, inserted: 1, duplicate: 10 });
  });

  it('keeps a partial last line for the next fetch and stores it exactly once', async () => {
    const full = cpuLines(3);
    const cut = full.length - 10;
    srv.put(infoPath(), full.slice(0, cut));
    const r1 = await service().run();
    expect(infoResult(r1)).toMatchObject({ lines: 2, inserted: 2, quarantined: 0 });
    srv.put(infoPath(), full);
    const r2 = await service().run();
    expect(infoResult(r2)).toMatchObject({ lines: 1, inserted: 1, duplicate: 0, quarantined: 0 });
    expect(await count('cpu_sample')).toBe(3);
  });

  it('treats 404 as normal while the day is open', async () => {
    const r = await service().run();
    expect(r[0].ok).toBe(true);
    expect(r[0].files.map((f) => f.outcome)).toEqual(['missing', 'missing', 'missing']);
  });

  it('reads a GBK file and a UTF-8 file with BOM and CRLF', async () => {
    srv.put(
      alarmPath(),
      iconv.encode(
        'S1|进程异常|app1|进程 billing 已退出|2026-11-24 08:00:00||2026-11-24 08:01:00\r\n',
        'gbk',
      ),
    );
    srv.put(
      servicePath(),
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('S1|120|30|10000|5000|4000|300|200|2026-11-24 01:00:00\r\n'),
      ]),
    );
    const r = await service().run();
    expect(
      r[0].files
        .filter((f) => f.outcome === 'ingested')
        .map((f) => [f.kind, f.inserted, f.quarantined]),
    ).toEqual([
      ['system_alarm', 1, 0],
      ['system_service', 1, 0],
    ]);
    const a = await db().ds.query('SELECT name, node, description, state FROM alarm');
    expect(a).toEqual([
      { name: '进程异常', node: 'app1', description: '进程 billing 已退出', state: 'active' },
    ]);
    const b = await db().ds.query(
      'SELECT stat_date, sub_users, unsub_users, total_users FROM business_daily',
    );
    expect([
      b[0].stat_date,
      Number(b[0].sub_users),
      Number(b[0].unsub_users),
      Number(b[0].total_users),
    ]).toEqual(['2026-11-23', 120, 30, 10000]);
  });

  it('quarantines bad lines with line number and reason, and stores the rest', async () => {
    srv.put(
      infoPath(),
      cpuLine('app1', '10.0.0.1', 'S1', '2026-11-24 00:00:00', 1, 1, 1, 97) +
        'garbage without pipes\n' +
        cpuLine('app1', '10.0.0.1', 'OTHER', '2026-11-24 00:01:00', 1, 1, 1, 97) +
        cpuLine('app1', '10.0.0.1', 'S1', '2026-11-24 00:02:00', 101, 1, 1, 97) +
        '\n' +
        cpuLine('app1', '10.0.0.1', 'S1', '2026-11-24 25:00:00', 1, 1, 1, 97) +
        cpuLine('app1', '10.0.0.1', 'S1', '2026-11-24 00:04:00', 1, 1, 1, 97),
    );
    const r = await service().run();
    expect(infoResult(r)).toMatchObject({ lines: 7, inserted: 2, quarantined: 4, skipped: 1 });
    const errs = await db()
      .ds.getRepository(IngestError)
      .find({ order: { lineNo: 'ASC' } });
    expect(errs.map((e) => [e.lineNo, e.file, e.reason])).toEqual([
      [2, `system_info_${day}.txt`, 'expected at least 6 fields, found 1'],
      [3, `system_info_${day}.txt`, 'site_id "OTHER" does not belong to site "S1"'],
      [4, `system_info_${day}.txt`, 'user_use 101 is outside 0–100%'],
      [6, `system_info_${day}.txt`, 'record_time is not a real date and time'],
    ]);
    expect(errs[0].raw).toBe('garbage without pipes');
  });

  it('resumes after a transaction dies mid-file with nothing lost or doubled', async () => {
    const cfg = testConfig({ ingest: { chunkLines: 4, retries: 0, backfillDays: 1 } });
    srv.put(infoPath(), cpuLines(10));
    let chunks = 0;
    const dying = createIngestService({
      ds: db().ds,
      config: cfg,
      now: () => NOW,
      hooks: {
        ...alarmRecorder(),
        beforeCommit: async () => {
          if (++chunks === 2) throw new Error('killed');
        },
      },
    });
    const r1 = await dying.run();
    expect(r1[0].ok).toBe(false);
    expect(await count('cpu_sample')).toBe(4);
    const r2 = await createIngestService({
      ds: db().ds,
      config: cfg,
      now: () => NOW,
      hooks: alarmRecorder(),
    }).run();
    expect(infoResult(r2)).toMatchObject({ lines: 6, inserted: 6, duplicate: 0 });
    expect(await count('cpu_sample')).toBe(10);
  });

  it('retries a failing server with backoff and succeeds', async () => {
    srv.put(infoPath(), cpuLines(2));
    srv.failNext = 2;
    const r = await service().run();
    expect(infoResult(r)).toMatchObject({ outcome: 'ingested', inserted: 2 });
    expect(srv.requests.filter((q) => q.status === 500)).toHaveLength(2);
  });

  it('records an error for a dead site without stopping the others', async () => {
    await addSite(db().ds, { code: 'DEAD', name: 'Dead site', baseUrl: 'http://127.0.0.1:1' });
    srv.put(infoPath(), cpuLines(2));
    const r = await service().run();
    expect(r.map((s) => [s.site, s.ok])).toEqual([
      ['DEAD', false],
      ['S1', true],
    ]);
    expect(r[0].error).toMatch(/^site unreachable: .*ECONNREFUSED/);
    const dead = await db().ds.getRepository(Site).findOneByOrFail({ code: 'DEAD' });
    expect(dead.lastError).toMatch(/ECONNREFUSED/);
    expect(dead.lastSuccessAt).toBeNull();
    const ok = await db().ds.getRepository(Site).findOneByOrFail({ code: 'S1' });
    expect(ok.lastSuccessAt).toBe(NOW);
    expect(JSON.parse(ok.lastCounts!)).toMatchObject({ inserted: 2 });
  });
});
