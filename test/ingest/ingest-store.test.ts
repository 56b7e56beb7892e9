// What ingest stores: alarm lifecycle, business figures, node states, closed days, file:// sites.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IngestCursor, IngestError } from '../../entities';
import { addSite } from '../../src/admin/sites';
import { createIngestService } from '../../src/ingest/ingest-service';
import { addDays, startOfDay } from '../../src/time';
import type { AlarmChange } from '../../src/types/alarm-change';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';
import { cpuLines, day } from '../helpers/fixtures';

const TZ = 'Asia/Shanghai';
const at = (d: string, hhmm: string) =>
  startOfDay(d, TZ) + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))) * 60_000;

describeEachEngine('ingest storage', (db) => {
  let dir: string;
  let now = at(day, '10:00');
  const config = testConfig({ ingest: { retries: 0, backfillDays: 2 } });
  const write = (sub: string, name: string, text: string) => {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, name), text);
  };
  const changes: AlarmChange[] = [];
  const run = () =>
    createIngestService({
      ds: db().ds,
      config,
      now: () => now,
      hooks: { onAlarmChanges: async (_em, c) => void changes.push(...c) },
    }).run({ site: 'S1' });

  beforeEach(async () => {
    await resetDb(db());
    changes.length = 0;
    now = at(day, '10:00');
    dir = mkdtempSync(join(tmpdir(), 'sw-store-'));
    await addSite(db().ds, { code: 'S1', name: 'One', baseUrl: pathToFileURL(dir).href });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('raises an alarm, then resolves it from a later line, telling the hook each change once', async () => {
    const f = `system_alarm_${day}.txt`;
    write('sys_alarm', f, 'S1|DISK_FULL|db1|/data 95%|2026-11-24 08:00:00||2026-11-24 08:00:30\n');
    await run();
    expect(changes.map((c) => [c.change, c.name, c.node, c.resumedAt])).toEqual([
      ['raised', 'DISK_FULL', 'db1', null],
    ]);
    appendFileSync(
      join(dir, 'sys_alarm', f),
      'S1|DISK_FULL|db1|/data 95%|2026-11-24 08:00:00||2026-11-24 08:05:30\n',
    );
    await run();
    expect(changes).toHaveLength(1);
    appendFileSync(
      join(dir, 'sys_alarm', f),
      'S1|DISK_FULL|db1|/data 95%|2026-11-24 08:00:00|2026-11-24 09:10:00|2026-11-24 09:10:30\n',
    );
    await run();
    expect(changes.map((c) => [c.change, c.resumedAt])).toEqual([
      ['raised', null],
      ['resolved', at(day, '09:10')],
    ]);
    const rows = await db().ds.query(
      'SELECT state, raised_at, resumed_at, last_seen_at FROM alarm',
    );
    expect(
      rows.map((r: Record<string, unknown>) => [
        r.state,
        Number(r.raised_at),
        Number(r.resumed_at),
        Number(r.last_seen_at),
      ]),
    ).toEqual([['resolved', at(day, '08:00'), at(day, '09:10'), at(day, '09:10') + 30_000]]);
  });

  it('stores a file of 450 alarms in batches: every change names its own row, a stale one comes back', async () => {
    const f = `system_alarm_${day}.txt`;
    const hhmmss = (i: number) =>
      `${String(8 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    const line = (i: number, resumed: string, seen: string) =>
      `S1|ALARM_${i % 7}|node-${i}|desc ${i}|2026-11-24 ${hhmmss(i)}|${resumed}|2026-11-24 ${seen}\n`;
    // One in ten already recovered when first listed: raised and resolved in the same file.
    write(
      'sys_alarm',
      f,
      Array.from({ length: 450 }, (_, i) =>
        line(i, i % 10 === 0 ? '2026-11-24 16:00:00' : '', '16:00:30'),
      ).join(''),
    );
    await run();
    const rows = (await db().ds.query(
      'SELECT id, name, node, raised_at, state, last_seen_at FROM alarm',
    )) as Record<string, unknown>[];
    expect(rows).toHaveLength(450);
    const idOf = new Map(
      rows.map((r) => [`${r.name}/${r.node}/${Number(r.raised_at)}`, Number(r.id)]),
    );
    expect(changes).toHaveLength(450 + 45);
    for (const c of changes) expect(c.alarmId).toBe(idOf.get(`${c.name}/${c.node}/${c.raisedAt}`));
    expect(changes.filter((c) => c.change === 'resolved')).toHaveLength(45);
    expect(new Set(changes.filter((c) => c.change === 'raised').map((c) => c.alarmId)).size).toBe(
      450,
    );

    // Listed again later: node-1 went stale meanwhile and comes back; node-2 recovers; none is new.
    await db().ds.query("UPDATE alarm SET state = 'stale' WHERE node = 'node-1'");
    changes.length = 0;
    appendFileSync(
      join(dir, 'sys_alarm', f),
      line(1, '', '16:05:30') +
        line(2, '2026-11-24 16:04:00', '16:05:30') +
        line(3, '', '16:00:30'),
    );
    await run();
    expect(changes.map((c) => [c.change, c.node, c.alarmId])).toEqual([
      ['resolved', 'node-2', idOf.get(`ALARM_2/node-2/${at(day, '08:02')}`)],
    ]);
    const state = async (node: string) =>
      (
        (await db().ds.query('SELECT state, last_seen_at, resumed_at FROM alarm WHERE node = ?', [
          node,
        ])) as Record<string, unknown>[]
      ).map((r) => [
        r.state,
        Number(r.last_seen_at),
        r.resumed_at === null ? null : Number(r.resumed_at),
      ]);
    expect(await state('node-1')).toEqual([['active', at(day, '16:05') + 30_000, null]]);
    expect(await state('node-2')).toEqual([
      ['resolved', at(day, '16:05') + 30_000, at(day, '16:04')],
    ]);
    expect(await state('node-3')).toEqual([['active', at(day, '16:00') + 30_000, null]]);
  });

  it('upserts business figures by statistics day, keeping the newest record', async () => {
    const f = `system_service_${day}.txt`;
    write('sys_service', f, 'S1|120|30|10,000|5000|4000|300|200|2026-11-24 01:00:00\n');
    const r1 = await run();
    expect(r1[0].files.find((x) => x.kind === 'system_service' && x.day === day)).toMatchObject({
      inserted: 1,
      updated: 0,
    });
    appendFileSync(
      join(dir, 'sys_service', f),
      'S1|121|30|10001|5000|4000|300|1.2万|2026-11-24 02:00:00\n',
    );
    const r2 = await run();
    expect(r2[0].files.find((x) => x.kind === 'system_service' && x.day === day)).toMatchObject({
      inserted: 0,
      updated: 1,
    });
    const rows = await db().ds.query(
      'SELECT stat_date, sub_users, total_users, mt_times, recorded_at FROM business_daily',
    );
    expect(
      rows.map((r: Record<string, unknown>) => [
        r.stat_date,
        Number(r.sub_users),
        Number(r.total_users),
        Number(r.mt_times),
        Number(r.recorded_at),
      ]),
    ).toEqual([['2026-11-23', 121, 10001, 12000, at(day, '02:00')]]);
  });

  it('keeps only the newest node state and the latest os and uptime of a server', async () => {
    write(
      'sys_monitor',
      `system_info_${day}.txt`,
      'app1|10.0.0.1|S1|node|billing|up|2026-11-24 08:00:00\n' +
        'app1|10.0.0.1|S1|node|billing|停止|2026-11-24 08:05:00\n' +
        'app1|10.0.0.1|S1|uptime|3600|2026-11-24 08:05:00\n' +
        'app1|10.0.0.9|S1|os|Kylin V10|4.19.90|2026-11-24 08:06:00\n',
    );
    await run();
    const nodes = await db().ds.query('SELECT name, status, reported_at FROM server_node');
    expect(
      nodes.map((n: Record<string, unknown>) => [n.name, n.status, Number(n.reported_at)]),
    ).toEqual([['billing', 'down', at(day, '08:05')]]);
    const s = await db().ds.query(
      'SELECT ip, os_name, os_version, uptime_seconds, uptime_at, last_seen_at FROM server',
    );
    expect(
      Object.values(s[0]).map((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)),
    ).toEqual(['10.0.0.9', 'Kylin V10', '4.19.90', 3600, at(day, '08:05'), at(day, '08:06')]);
  });

  it('finishes a closed day: takes an unterminated last line, marks files done or missing, skips them later', async () => {
    write('sys_monitor', `system_info_${day}.txt`, cpuLines(3).slice(0, -1));
    now = at(addDays(day, 1), '02:00');
    const r1 = await run();
    const info = r1[0].files.find((f) => f.kind === 'system_info' && f.day === day)!;
    expect(info).toMatchObject({ lines: 3, inserted: 3 });
    const cursors = await db()
      .ds.getRepository(IngestCursor)
      .find({ where: { fileDate: day }, order: { kind: 'ASC' } });
    expect(cursors.map((c) => [c.kind, c.state])).toEqual([
      ['system_alarm', 'missing'],
      ['system_info', 'done'],
      ['system_service', 'missing'],
    ]);
    const r2 = await run();
    expect(r2[0].files.map((f) => f.day)).toEqual([
      addDays(day, 1),
      addDays(day, 1),
      addDays(day, 1),
    ]);
  });

  it('reads zone-less times in the site zone when the site sets one', async () => {
    await db().ds.query("UPDATE site SET timezone = 'Europe/Berlin'");
    write(
      'sys_monitor',
      `system_info_${day}.txt`,
      'app1|10.0.0.1|S1|cpu|1|1|1|97|2026-11-24 08:00:00\n',
    );
    now = Date.UTC(2026, 10, 24, 12);
    await run();
    const [row] = await db().ds.query('SELECT sampled_at FROM cpu_sample');
    expect(Number(row.sampled_at)).toBe(Date.UTC(2026, 10, 24, 7));
  });
  const quarantine = async () =>
    (
      await db()
        .ds.getRepository(IngestError)
        .find({ order: { kind: 'ASC', lineNo: 'ASC' } })
    ).map((e) => [e.kind, e.lineNo, e.reason]);

  it('quarantines times outside the file day ±1 day in every format and stores the rest', async () => {
    const window = "2026-11-23 00:00 – 2026-11-26 00:00 (Asia/Shanghai), the file's day ±1 day";
    write(
      'sys_monitor',
      `system_info_${day}.txt`,
      'app1|10.0.0.1|S1|cpu|1|1|1|97|2026-11-24 08:00:00\n' +
        'app1|10.0.0.1|S1|cpu|1|1|1|97|9999-12-31 23:59:59\n' +
        'app1|10.0.0.1|S1|cpu|1|1|1|97|0001-01-01 00:00:00\n' +
        'app2|10.0.0.2|S1|uptime|60|9999-12-31 23:59:59\n',
    );
    write(
      'sys_alarm',
      `system_alarm_${day}.txt`,
      'S1|DISK_FULL|db1|d|9999-12-31 23:59:59||2026-11-24 08:00:30\n' +
        'S1|CPU_HIGH|db1|d|2026-11-24 08:00:00|9999-12-31 00:00:00|2026-11-24 08:00:30\n' +
        'S1|LINK_DOWN|gw1|d|2026-11-24 08:00:00||2026-11-24 08:00:30\n',
    );
    write('sys_service', `system_service_${day}.txt`, 'S1|1|1|1|1|1|1|1|9999-12-31 01:00:00\n');
    await run();
    expect(await quarantine()).toEqual([
      ['system_alarm', 1, `alarm_time 9999-12-31 23:59:59 is outside ${window}`],
      ['system_alarm', 2, `alarm_resume_time 9999-12-31 00:00:00 is outside ${window}`],
      ['system_info', 2, `record_time 9999-12-31 23:59:59 is outside ${window}`],
      ['system_info', 3, `record_time 0001-01-01 00:00:00 is outside ${window}`],
      ['system_info', 4, `record_time 9999-12-31 23:59:59 is outside ${window}`],
      ['system_service', 1, `record_time 9999-12-31 01:00:00 is outside ${window}`],
    ]);
    const servers = await db().ds.query('SELECT name, last_seen_at FROM server');
    expect(servers.map((r: Record<string, unknown>) => [r.name, Number(r.last_seen_at)])).toEqual([
      ['app1', at(day, '08:00')],
    ]);
    const alarms = await db().ds.query('SELECT name, state FROM alarm');
    expect(alarms).toEqual([{ name: 'LINK_DOWN', state: 'active' }]);
    expect(changes.map((c) => [c.change, c.name])).toEqual([['raised', 'LINK_DOWN']]);
    const cpu = await db().ds.query('SELECT sampled_at FROM cpu_sample');
    expect(cpu.map((r: Record<string, unknown>) => Number(r.sampled_at))).toEqual([
      at(day, '08:00'),
    ]);
    expect(await db().ds.query('SELECT id FROM business_daily')).toEqual([]);
  });

  it('takes the window from the config: with 0 days before, a time of the day before is quarantined', async () => {
    write(
      'sys_monitor',
      `system_info_${day}.txt`,
      'app1|10.0.0.1|S1|cpu|1|1|1|97|2026-11-23 23:59:00\n' +
        'app1|10.0.0.1|S1|cpu|1|1|1|97|2026-11-24 00:00:00\n',
    );
    await createIngestService({
      ds: db().ds,
      config: testConfig({ ingest: { retries: 0, backfillDays: 2, plausibleDaysBefore: 0 } }),
      now: () => now,
      hooks: { onAlarmChanges: async (_em, c) => void changes.push(...c) },
    }).run({ site: 'S1' });
    expect(await quarantine()).toEqual([
      [
        'system_info',
        1,
        "record_time 2026-11-23 23:59:00 is outside 2026-11-24 00:00 – 2026-11-26 00:00 (Asia/Shanghai), the file's day, 0 days before to 1 day after",
      ],
    ]);
  });

  it('quarantines junk in names, addresses, descriptions and bytes, and stores the rest of the file', async () => {
    const cpu = (server: string, ip: string) =>
      `${server}|${ip}|S1|cpu|1|1|1|97|2026-11-24 08:00:00\n`;
    mkdirSync(join(dir, 'sys_monitor'), { recursive: true });
    writeFileSync(
      join(dir, 'sys_monitor', `system_info_${day}.txt`),
      Buffer.concat([
        Buffer.from(
          cpu('app1', '10.0.0.1') +
            cpu('app\u00002', '10.0.0.2') +
            cpu('app\u00073', '10.0.0.3') +
            cpu('app\u202e4', '10.0.0.4') +
            cpu('app5', '<img src=x onerror=alert(1)>') +
            'app6|10.0.0.6|S1|disk|/d',
        ),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(
          '|1|2|2026-11-24 08:00:00\n' +
            'app7|10.0.0.7|S1|disk|/数据\ufffd|1|2|2026-11-24 08:00:00\n' +
            cpu('app8', 'fe80::1'),
        ),
      ]),
    );
    write(
      'sys_alarm',
      `system_alarm_${day}.txt`,
      'S1|DISK_FULL|db1|/data\u0000 95%|2026-11-24 08:00:00||2026-11-24 08:00:30\n' +
        'S1|DISK_FULL|db2|/data\t使用率 95%|2026-11-24 08:00:00||2026-11-24 08:00:30\n',
    );
    const r = await run();
    expect(r[0].files.find((f) => f.kind === 'system_info' && f.day === day)).toMatchObject({
      lines: 8,
      inserted: 3,
      quarantined: 5,
    });
    expect(await quarantine()).toEqual([
      ['system_alarm', 1, 'alarm_desc contains a control character (U+0000)'],
      ['system_info', 2, 'server_name contains a control character (U+0000)'],
      ['system_info', 3, 'server_name contains a control character (U+0007)'],
      ['system_info', 4, 'server_name contains a bidirectional control character (U+202E)'],
      ['system_info', 5, 'server_ip "<img src=x onerror=alert(1)>" is not an IPv4 or IPv6 address'],
      ['system_info', 6, 'bytes not valid UTF-8 or GB18030 at column 25'],
    ]);
    const bad = await db()
      .ds.getRepository(IngestError)
      .findOneByOrFail({ lineNo: 6, kind: 'system_info' });
    expect(bad.raw).toBe('app6|10.0.0.6|S1|disk|/d\ufffd\ue48a|1|2|2026-11-24 08:00:00');
    const servers = await db().ds.query('SELECT name, ip FROM server ORDER BY name');
    expect(servers).toEqual([
      { name: 'app1', ip: '10.0.0.1' },
      { name: 'app7', ip: '10.0.0.7' },
      { name: 'app8', ip: 'fe80::1' },
    ]);
    const disk = await db().ds.query('SELECT mount FROM disk_sample');
    expect(disk).toEqual([{ mount: '/数据\ufffd' }]);
    const alarms = await db().ds.query('SELECT node, description FROM alarm');
    expect(alarms).toEqual([{ node: 'db2', description: '/data\t使用率 95%' }]);
  });
});
