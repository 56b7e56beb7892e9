// The daily report on both engines: the exact figures of a seeded site, its recipients, once per site and day, zone filter.
import type { DataSource } from 'typeorm';
import { BusinessDaily, Server } from '../../entities';
import { createDailyReport } from '../../src/notify/daily-report';
import { formatText } from '../../src/notify/format/text';
import type { ReportNotice } from '../../src/outbox/notices';
import { enqueue } from '../../src/outbox/store';
import { describeEachEngine, resetDb } from '../helpers/db';
import {
  DAY,
  HOUR,
  MIN,
  RECIPIENTS,
  addAlarm,
  noticeSite,
  outboxRows,
  seedAlarms,
  type AlarmSeed,
} from '../alarms/seed';

/** 2026-11-26 09:00 in Asia/Shanghai, 01:00 UTC: the report of 2026-11-25 in both zones. */
const R = Date.UTC(2026, 10, 26, 1, 0, 0);
/** 2026-11-25 in Beijing. */
const BJ_DAY = [Date.UTC(2026, 10, 24, 16), Date.UTC(2026, 10, 25, 16)] as const;

async function figures(ds: DataSource, siteId: number, statDate: string, base: number) {
  await ds.getRepository(BusinessDaily).insert({
    siteId,
    statDate,
    subUsers: 100 + base,
    unsubUsers: 20 + base,
    totalUsers: 1_000_000 + base,
    callTimes: 50_000 + base,
    showTimes: 40_000 + base,
    moTimes: 3_000 + base,
    mtTimes: 6_000 + base,
    recordedAt: R,
    updatedAt: R,
  });
}

async function server(ds: DataSource, siteId: number, name: string, lastSeenAt: number | null) {
  await ds.getRepository(Server).insert({
    siteId,
    name,
    ip: `10.0.0.${name.length}`,
    osName: null,
    osVersion: null,
    uptimeSeconds: null,
    uptimeAt: null,
    firstSeenAt: R - 10 * DAY,
    lastSeenAt,
  });
}

describeEachEngine('daily report', (db) => {
  let s: AlarmSeed;
  const report = () =>
    createDailyReport({ ds: db().ds, recipients: RECIPIENTS, defaultTz: 'Asia/Shanghai' });

  /** A message of `siteId` (null: none) left in `status`, last changed at `updatedAt`. */
  async function delivery(siteId: number | null, status: string, updatedAt: number, n: number) {
    const { ds } = db();
    await enqueue(
      ds.manager,
      [
        {
          channel: 'email',
          recipient: `x${n}@example.com`,
          event: `old:${n}`,
          siteId,
          notice: { kind: 'bot', state: 'logged-out', at: updatedAt, qrUrl: null, qrPng: null },
        },
      ],
      updatedAt,
    );
    await ds.query('UPDATE outbox SET status = ?, updated_at = ? WHERE recipient = ?', [
      status,
      updatedAt,
      `x${n}@example.com`,
    ]);
  }

  beforeAll(async () => {
    await resetDb(db());
    const { ds } = db();
    s = await seedAlarms(ds);
    const { bj01, sh01 } = s.sites;
    await figures(ds, bj01.id, '2026-11-23', 1);
    await figures(ds, bj01.id, '2026-11-24', 10);
    await figures(ds, bj01.id, '2026-11-25', 30);
    await figures(ds, bj01.id, '2026-11-26', 99);
    await figures(ds, sh01.id, '2026-11-25', 5);
    await server(ds, bj01.id, 'app01', R - 5 * MIN);
    await server(ds, bj01.id, 'app02', R - 15 * MIN);
    await server(ds, bj01.id, 'db01', R - 15 * MIN - 1);
    await server(ds, bj01.id, 'new01', null);
    await server(ds, sh01.id, 'app01', R - MIN);
    const alarm = (siteId: number, name: string, raisedAt: number, state?: 'stale') =>
      addAlarm(ds, {
        siteId,
        name,
        node: 'n',
        description: name,
        raisedAt,
        ...(state ? { state } : {}),
        ...(name === 'PROCESS_DOWN' ? { resumedAt: raisedAt + HOUR } : {}),
      });
    await alarm(bj01.id, 'CPU_HIGH', BJ_DAY[0]);
    await alarm(bj01.id, 'DISK_FULL', BJ_DAY[0] - 1);
    await alarm(bj01.id, 'PROCESS_DOWN', BJ_DAY[0] + 3 * HOUR);
    await alarm(bj01.id, 'OLD_LINE', BJ_DAY[0] + 4 * HOUR, 'stale');
    await alarm(bj01.id, 'LINK_DOWN', BJ_DAY[1]);
    // 23:30 UTC on 11-25: that day in UTC, already 11-26 in Beijing.
    await alarm(sh01.id, 'MEM_HIGH', Date.UTC(2026, 10, 25, 23, 30));
  });

  beforeEach(async () => {
    await db().ds.query('DELETE FROM outbox');
    const { bj01, sh01 } = s.sites;
    await delivery(bj01.id, 'failed', R - HOUR, 1);
    await delivery(bj01.id, 'failed', R - DAY, 2);
    await delivery(bj01.id, 'failed', R - DAY - 1, 3);
    await delivery(bj01.id, 'sent', R - HOUR, 4);
    await delivery(bj01.id, 'pending', R - HOUR, 5);
    await delivery(sh01.id, 'failed', R - 2 * HOUR, 6);
    await delivery(null, 'failed', R - HOUR, 7);
  });

  it('build gives the exact notice of yesterday for a site', async () => {
    const { bj01, sh01 } = s.sites;
    const expected: ReportNotice = {
      kind: 'report',
      site: noticeSite(bj01),
      date: '2026-11-25',
      figures: {
        opens: 130,
        closes: 50,
        totalUsers: 1_000_030,
        calls: 50_030,
        pushes: 40_030,
        mo: 3_030,
        mt: 6_030,
      },
      previous: {
        opens: 110,
        closes: 30,
        totalUsers: 1_000_010,
        calls: 50_010,
        pushes: 40_010,
        mo: 3_010,
        mt: 6_010,
      },
      activeAlarms: 3,
      raisedAlarms: 3,
      servers: { total: 4, stale: 2 },
      failedDeliveries: 2,
      capacityRisks: [],
      at: R,
    };
    expect(await report().build(bj01, R)).toEqual(expected);
    expect(await report().build(sh01, R)).toEqual({
      kind: 'report',
      site: { id: sh01.id, code: 'SH01', name: '上海移动', tz: 'UTC' },
      date: '2026-11-25',
      figures: {
        opens: 105,
        closes: 25,
        totalUsers: 1_000_005,
        calls: 50_005,
        pushes: 40_005,
        mo: 3_005,
        mt: 6_005,
      },
      previous: null,
      activeAlarms: 1,
      raisedAlarms: 1,
      servers: { total: 1, stale: 0 },
      failedDeliveries: 1,
      capacityRisks: [],
      at: R,
    });
    // A day later nothing has arrived for 11-26 on SH01, and the failures are older than a day.
    expect(await report().build(sh01, R + DAY)).toMatchObject({
      date: '2026-11-26',
      figures: null,
      previous: { opens: 105 },
      raisedAlarms: 0,
      failedDeliveries: 0,
      servers: { total: 1, stale: 1 },
    });
  });

  it('build lists the site’s open capacity alarms, and the report shows them as 容量风险', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    const sw = (
      siteId: number,
      name: string,
      node: string,
      description: string,
      resumedAt?: number,
    ) =>
      addAlarm(ds, {
        siteId,
        name,
        node,
        description,
        raisedAt: R - HOUR,
        source: 'sitewatch',
        resumedAt,
      });
    const added = [
      await sw(
        bj01.id,
        'SW_MEM_GROWTH',
        'app01',
        '内存 70%，持续增长未回落，约每天 +6.0%，预计 11-30 09:00 用满',
      ),
      await sw(
        bj01.id,
        'SW_DISK_FILLING',
        'db01:/data',
        '/data 82%，约每天 +3.1%，预计 11-28 14:00 写满',
      ),
      // Recovered, another site's, and another self alarm: not listed.
      await sw(
        bj01.id,
        'SW_DISK_FILLING',
        'app02:/',
        '/ 75%，约每天 +9.0%，预计 11-27 10:00 写满',
        R - MIN,
      ),
      await sw(sh01.id, 'SW_DISK_FILLING', 'app01:/', '/ 90%，约每天 +5.0%，预计 11-27 10:00 写满'),
      await sw(bj01.id, 'SW_CPU_HIGH', 'app01', 'cpu'),
    ];
    try {
      const notice = await report().build(bj01, R);
      expect(notice.capacityRisks).toEqual([
        {
          name: 'SW_DISK_FILLING',
          server: 'db01',
          description: '/data 82%，约每天 +3.1%，预计 11-28 14:00 写满',
        },
        {
          name: 'SW_MEM_GROWTH',
          server: 'app01',
          description: '内存 70%，持续增长未回落，约每天 +6.0%，预计 11-30 09:00 用满',
        },
      ]);
      expect(formatText(notice, { maxChars: 2048, groupLimit: 20 }).split('\n').slice(-3)).toEqual([
        '容量风险（2 项）：',
        '- db01 /data 82%，约每天 +3.1%，预计 11-28 14:00 写满',
        '- app01 内存 70%，持续增长未回落，约每天 +6.0%，预计 11-30 09:00 用满',
      ]);
    } finally {
      await ds.query(`DELETE FROM alarm WHERE id IN (${added.map((a) => a.id).join(',')})`);
    }
  });

  it('run queues each enabled site’s report to rooms, report emails and robots, once per site and day', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    const before = (await outboxRows(ds)).length;
    const r = report();
    expect(await r.run(R)).toEqual({ sites: 2, messages: 6 });
    const rows = (await outboxRows(ds)).filter((m) => m.kind === 'report');
    expect(rows.map((m) => [m.siteId, m.channel, m.recipient, m.status])).toEqual([
      [bj01.id, 'email', 'li@example.com', 'pending'],
      [bj01.id, 'wechat', 'room:北京运维群', 'pending'],
      [bj01.id, 'wecom', 'bj-robot', 'pending'],
      [sh01.id, 'email', 'li@example.com', 'pending'],
      [sh01.id, 'email', 'zhao@example.com', 'pending'],
      [sh01.id, 'wechat', 'room:上海运维群', 'pending'],
    ]);
    expect(rows[0].notice).toEqual(await r.build(bj01, R));
    expect(rows[5].notice).toEqual(await r.build(sh01, R));
    expect(await r.run(R + HOUR)).toEqual({ sites: 2, messages: 0 });
    expect((await outboxRows(ds)).length).toBe(before + 6);
    // The next day is a new report.
    expect(await r.run(R + DAY)).toEqual({ sites: 2, messages: 6 });
    const next = (await outboxRows(ds)).filter(
      (m) => m.kind === 'report' && m.notice.date === '2026-11-26',
    );
    expect(next).toHaveLength(6);
  });

  it('a zone filter picks only the sites in that zone', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    const r = report();
    expect(await r.run(R, 'Europe/Paris')).toEqual({ sites: 0, messages: 0 });
    expect(await r.run(R, 'UTC')).toEqual({ sites: 1, messages: 3 });
    let sites = (await outboxRows(ds)).filter((m) => m.kind === 'report').map((m) => m.siteId);
    expect(sites).toEqual([sh01.id, sh01.id, sh01.id]);
    expect(await r.run(R, 'Asia/Shanghai')).toEqual({ sites: 1, messages: 3 });
    sites = (await outboxRows(ds)).filter((m) => m.kind === 'report').map((m) => m.siteId);
    expect(sites).toEqual([bj01.id, bj01.id, bj01.id, sh01.id, sh01.id, sh01.id]);
    expect(await r.run(R, null)).toEqual({ sites: 2, messages: 0 });
  });
});
