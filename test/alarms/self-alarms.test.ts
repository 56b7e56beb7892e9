// Tests of Sitewatch's own alarms on both engines: each condition, thresholds at the boundary, lifecycle and the notify transaction.
import type { EntityManager } from 'typeorm';
import {
  Alarm,
  CpuSample,
  DiskSample,
  IngestCursor,
  MemSample,
  Server,
  Site,
} from '../../entities';
import { addSite } from '../../src/admin/sites';
import { createSelfAlarms } from '../../src/alarms/self-alarms';
import { silentLogger } from '../../src/log';
import type { AlarmChange } from '../../src/types/alarm-change';
import { describeEachEngine, resetDb, testConfig } from '../helpers/db';

/** 2026-11-25 21:00 in Asia/Shanghai (13:00 UTC). */
const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const MIN = 60_000;
const DAY = '20261125';
const KINDS = ['system_info', 'system_alarm', 'system_service'];

describeEachEngine('self alarms', (db) => {
  const ds = () => db().ds;

  beforeEach(async () => {
    await resetDb(db());
  });

  interface Calls {
    changes: AlarmChange[][];
    inTransaction: boolean[];
  }

  function runner(
    selfAlarms: Record<string, unknown> = {},
    notify?: (em: EntityManager, changes: AlarmChange[]) => Promise<void>,
  ) {
    const calls: Calls = { changes: [], inTransaction: [] };
    const sa = createSelfAlarms({
      ds: ds(),
      config: testConfig({ selfAlarms }),
      log: silentLogger,
      notify:
        notify ??
        (async (em, changes) => {
          calls.changes.push(changes);
          calls.inTransaction.push(em.queryRunner?.isTransactionActive === true);
        }),
    });
    return { run: (now: number) => sa.run(now), calls };
  }

  async function site(
    code: string,
    o: { timezone?: string; enabled?: boolean; createdAt?: number } = {},
  ): Promise<Site> {
    return addSite(
      ds(),
      {
        code,
        name: `局点${code}`,
        baseUrl: `http://${code.toLowerCase()}`,
        timezone: o.timezone ?? null,
        enabled: o.enabled ?? true,
      },
      o.createdAt ?? NOW - 30 * 86_400_000,
    );
  }

  async function cursor(
    siteId: number,
    kind: string,
    o: { day?: string; status?: string | null; byteOffset?: number; fetchedAt?: number } = {},
  ): Promise<void> {
    await ds()
      .getRepository(IngestCursor)
      .insert({
        siteId,
        kind,
        fileDate: o.day ?? DAY,
        byteOffset: o.byteOffset ?? 1000,
        lineNo: 10,
        headLen: 0,
        tailLen: 0,
        state: 'open',
        resets: 0,
        lastFetchAt: o.fetchedAt ?? NOW - MIN,
        lastStatus: o.status === undefined ? '206' : o.status,
        bytesRead: o.byteOffset ?? 1000,
        rowsInserted: 10,
        rowsDuplicate: 0,
        rowsQuarantined: 0,
      });
  }

  async function server(siteId: number, name: string, lastSeenAt: number | null): Promise<Server> {
    const repo = ds().getRepository(Server);
    return repo.save(
      repo.create({ siteId, name, ip: '10.0.0.1', firstSeenAt: NOW - 86_400_000, lastSeenAt }),
    );
  }

  /** A site with nothing wrong at NOW: today's three files, a recent success and a fresh server. */
  async function healthy(
    code: string,
    o: { timezone?: string; day?: string } = {},
  ): Promise<{ site: Site; app01: Server }> {
    const s = await site(code, o);
    for (const k of KINDS) await cursor(s.id, k, { day: o.day });
    await ds()
      .getRepository(Site)
      .update(s.id, { lastSuccessAt: NOW - 5 * MIN, lastIngestAt: NOW - 5 * MIN });
    const app01 = await server(s.id, 'app01', NOW - 2 * MIN);
    return { site: s, app01 };
  }

  async function cpu(serverId: number, at: number, user: number, sys = 0, io = 0): Promise<void> {
    await ds()
      .getRepository(CpuSample)
      .insert({
        serverId,
        sampledAt: at,
        userPct: user,
        sysPct: sys,
        ioPct: io,
        idlePct: 100 - user - sys - io,
      });
  }

  async function mem(serverId: number, at: number, used: number, total: number): Promise<void> {
    await ds()
      .getRepository(MemSample)
      .insert({
        serverId,
        sampledAt: at,
        usedBytes: used,
        freeBytes: total - used,
        bufferBytes: 0,
        totalBytes: total,
      });
  }

  async function disk(
    serverId: number,
    mount: string,
    at: number,
    used: number,
    total: number,
  ): Promise<void> {
    await ds()
      .getRepository(DiskSample)
      .insert({ serverId, sampledAt: at, mount, usedBytes: used, totalBytes: total });
  }

  const alarms = () =>
    ds()
      .getRepository(Alarm)
      .find({ order: { id: 'ASC' } });
  const brief = (a: Alarm) => ({
    siteId: a.siteId,
    name: a.name,
    node: a.node,
    description: a.description,
    state: a.state,
    source: a.source,
    raisedAt: a.raisedAt,
    resumedAt: a.resumedAt,
    lastSeenAt: a.lastSeenAt,
  });
  const raisedChange = (a: Alarm): AlarmChange => ({
    alarmId: a.id,
    siteId: a.siteId,
    change: 'raised',
    name: a.name,
    node: a.node,
    description: a.description,
    raisedAt: a.raisedAt,
    resumedAt: null,
  });

  it('raises nothing for a healthy site', async () => {
    await healthy('BJ01');
    const r = runner();
    expect(await r.run(NOW)).toEqual({ raised: 0, resolved: 0 });
    expect(await alarms()).toEqual([]);
    expect(r.calls.changes).toEqual([]);
  });

  describe('SW_FILE_MISSING', () => {
    it('raises for a file never fetched and a file not found, after the configured local time', async () => {
      const s = await site('BJ01');
      await cursor(s.id, 'system_info');
      await cursor(s.id, 'system_alarm', { status: '404', byteOffset: 0, fetchedAt: NOW - MIN });
      await ds()
        .getRepository(Site)
        .update(s.id, { lastSuccessAt: NOW - 5 * MIN });
      await server(s.id, 'app01', NOW - 2 * MIN);
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 2, resolved: 0 });
      const rows = await alarms();
      expect(rows.map(brief)).toEqual([
        {
          siteId: s.id,
          name: 'SW_FILE_MISSING',
          node: 'system_alarm',
          description:
            '今日文件 system_alarm_20261125.txt 在 01:00 后仍不存在（最后检查 2026-11-25 20:59）',
          state: 'active',
          source: 'sitewatch',
          raisedAt: NOW,
          resumedAt: null,
          lastSeenAt: NOW,
        },
        {
          siteId: s.id,
          name: 'SW_FILE_MISSING',
          node: 'system_service',
          description: '今日文件 system_service_20261125.txt 在 01:00 后仍不存在（尚无拉取记录）',
          state: 'active',
          source: 'sitewatch',
          raisedAt: NOW,
          resumedAt: null,
          lastSeenAt: NOW,
        },
      ]);
      expect(r.calls.changes).toEqual([rows.map(raisedChange)]);
    });

    it('waits until fileMissingAfter in the site’s own zone (inclusive)', async () => {
      // 2026-11-25 00:59 UTC is 08:59 in Shanghai: the Shanghai site is late, the UTC site not yet.
      const at = Date.UTC(2026, 10, 25, 0, 59);
      const sh = await site('SH01');
      await site('UTC1', { timezone: 'UTC' });
      await server(sh.id, 'app01', at - MIN);
      const r = runner();
      await r.run(at);
      expect((await alarms()).map((a) => `${a.siteId} ${a.name} ${a.node}`)).toEqual([
        `${sh.id} SW_FILE_MISSING system_alarm`,
        `${sh.id} SW_FILE_MISSING system_info`,
        `${sh.id} SW_FILE_MISSING system_service`,
      ]);
      await resetDb(db());
      const utc = await site('UTC1', { timezone: 'UTC' });
      const r2 = runner({ fileMissingAfter: '00:59' });
      expect(await r2.run(at - 1)).toEqual({ raised: 0, resolved: 0 });
      expect(await r2.run(at)).toEqual({ raised: 3, resolved: 0 });
      expect((await alarms()).map((a) => a.description)).toEqual([
        '今日文件 system_alarm_20261125.txt 在 00:59 后仍不存在（尚无拉取记录）',
        '今日文件 system_info_20261125.txt 在 00:59 后仍不存在（尚无拉取记录）',
        '今日文件 system_service_20261125.txt 在 00:59 后仍不存在（尚无拉取记录）',
      ]);
      expect((await alarms()).every((a) => a.siteId === utc.id)).toBe(true);
    });

    it('resolves when the file appears', async () => {
      const { site: s } = await healthy('BJ01');
      await ds().getRepository(IngestCursor).update(
        { siteId: s.id, kind: 'system_service' },
        {
          lastStatus: '404',
          byteOffset: 0,
        },
      );
      const r = runner();
      await r.run(NOW);
      const [raised] = await alarms();
      expect(raised.node).toBe('system_service');
      await ds()
        .getRepository(IngestCursor)
        .update({ siteId: s.id, kind: 'system_service' }, { lastStatus: '200', byteOffset: 120 });
      expect(await r.run(NOW + 5 * MIN)).toEqual({ raised: 0, resolved: 1 });
      const [after] = await alarms();
      expect(after.state).toBe('resolved');
      expect(after.resumedAt).toBe(NOW + 5 * MIN);
      expect(r.calls.changes[1]).toEqual([
        { ...raisedChange(raised), change: 'resolved', resumedAt: NOW + 5 * MIN },
      ]);
    });
  });

  describe('over midnight', () => {
    /** 2026-11-26 hh:mm in Shanghai (the day after NOW's). */
    const next = (hh: number, mm: number) => Date.UTC(2026, 10, 25, 16 + hh, mm);
    const NEXT_DAY = '20261126';
    const lively = async (s: Site, app01: Server, at: number) => {
      await ds()
        .getRepository(Site)
        .update(s.id, { lastSuccessAt: at - MIN });
      await ds()
        .getRepository(Server)
        .update(app01.id, { lastSeenAt: at - 2 * MIN });
    };

    it('keeps a file missing yesterday open until today’s file appears, without a false recovery at 00:00', async () => {
      const { site: s, app01 } = await healthy('BJ01');
      await ds()
        .getRepository(IngestCursor)
        .update({ siteId: s.id, kind: 'system_service' }, { lastStatus: '404', byteOffset: 0 });
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 1, resolved: 0 });
      const [raised] = await alarms();
      expect([raised.name, raised.node]).toEqual(['SW_FILE_MISSING', 'system_service']);

      // 00:30: today's files are not due before 01:00; yesterday's alarm stays, nothing new is raised.
      await lively(s, app01, next(0, 30));
      expect(await r.run(next(0, 30))).toEqual({ raised: 0, resolved: 0 });
      // 01:30: the other two files are there; today's service file is still missing: the same alarm.
      for (const k of ['system_info', 'system_alarm'])
        await cursor(s.id, k, { day: NEXT_DAY, fetchedAt: next(1, 29) });
      await lively(s, app01, next(1, 30));
      expect(await r.run(next(1, 30))).toEqual({ raised: 0, resolved: 0 });
      expect((await alarms()).map((a) => [a.id, a.state])).toEqual([[raised.id, 'active']]);
      // 02:00: it appears.
      await cursor(s.id, 'system_service', { day: NEXT_DAY, status: '200', fetchedAt: next(2, 0) });
      await lively(s, app01, next(2, 0));
      expect(await r.run(next(2, 0))).toEqual({ raised: 0, resolved: 1 });
      expect(r.calls.changes).toEqual([
        [raisedChange(raised)],
        [{ ...raisedChange(raised), change: 'resolved', resumedAt: next(2, 0) }],
      ]);
    });

    it('keeps a quiet system_info open over midnight until data arrives, and raises nothing new meanwhile', async () => {
      const { site: s, app01 } = await healthy('BJ01');
      const r = runner({ serverSilentMinutes: 600, fetchFailingMinutes: 600 });
      await ds()
        .getRepository(Server)
        .update(app01.id, { lastSeenAt: NOW - 60 * MIN });
      expect(await r.run(NOW)).toEqual({ raised: 1, resolved: 0 });
      const [stale] = await alarms();
      expect([stale.name, stale.node]).toEqual(['SW_FILE_STALE', 'system_info']);
      // 00:30, no file of today yet; 00:40, today's file exists but holds nothing yet: kept.
      expect(await r.run(next(0, 30))).toEqual({ raised: 0, resolved: 0 });
      await cursor(s.id, 'system_info', { day: NEXT_DAY, byteOffset: 0, status: '200' });
      expect(await r.run(next(0, 40))).toEqual({ raised: 0, resolved: 0 });
      expect((await alarms()).map((a) => [a.id, a.state])).toEqual([[stale.id, 'active']]);
      // 00:50: data again.
      await ds()
        .getRepository(Server)
        .update(app01.id, { lastSeenAt: next(0, 49) });
      expect(await r.run(next(0, 50))).toEqual({ raised: 0, resolved: 1 });
      expect((await alarms()).map((a) => [a.id, a.state, a.resumedAt])).toEqual([
        [stale.id, 'resolved', next(0, 50)],
      ]);
    });
  });

  describe('SW_FILE_STALE', () => {
    it('raises when the newest system_info record is fileStaleMinutes old, not a minute before', async () => {
      const { site: s, app01 } = await healthy('BJ01');
      const r = runner({ serverSilentMinutes: 120 });
      await ds()
        .getRepository(Server)
        .update(app01.id, { lastSeenAt: NOW - 59 * MIN });
      expect(await r.run(NOW)).toEqual({ raised: 0, resolved: 0 });
      await ds()
        .getRepository(Server)
        .update(app01.id, { lastSeenAt: NOW - 60 * MIN });
      expect(await r.run(NOW)).toEqual({ raised: 1, resolved: 0 });
      expect((await alarms()).map(brief)).toEqual([
        {
          siteId: s.id,
          name: 'SW_FILE_STALE',
          node: 'system_info',
          description:
            '今日文件 system_info_20261125.txt 已 60 分钟没有新数据（最新记录 2026-11-25 20:00）',
          state: 'active',
          source: 'sitewatch',
          raisedAt: NOW,
          resumedAt: null,
          lastSeenAt: NOW,
        },
      ]);
    });

    it('counts from local midnight when today’s file has no data yet', async () => {
      // 01:30 in Shanghai; the newest record is from yesterday evening.
      const at = Date.UTC(2026, 10, 24, 17, 30);
      const { app01 } = await healthy('BJ01');
      await ds()
        .getRepository(Server)
        .update(app01.id, { lastSeenAt: at - 3 * 60 * MIN });
      const r = runner({ serverSilentMinutes: 600 });
      await r.run(at);
      expect((await alarms()).map((a) => a.description)).toEqual([
        '今日文件 system_info_20261125.txt 自 00:00 起已 90 分钟没有新数据',
      ]);
    });

    it('does not check a file that does not exist yet, nor files that grow only on events', async () => {
      const s = await site('BJ01');
      await cursor(s.id, 'system_info', { status: null, byteOffset: 0 });
      await cursor(s.id, 'system_alarm', { status: '304' });
      await cursor(s.id, 'system_service', { status: '200' });
      await ds()
        .getRepository(Site)
        .update(s.id, { lastSuccessAt: NOW - 5 * MIN });
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 0, resolved: 0 });
    });
  });

  describe('SW_SERVER_SILENT', () => {
    it('raises for a server silent longer than serverSilentMinutes, seen within 7 days', async () => {
      const { site: s } = await healthy('BJ01');
      await server(s.id, 'db01', NOW - 31 * MIN);
      await server(s.id, 'edge', NOW - 30 * MIN);
      await server(s.id, 'retired', NOW - 8 * 86_400_000);
      await server(s.id, 'never', null);
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 1, resolved: 0 });
      expect((await alarms()).map(brief)).toEqual([
        {
          siteId: s.id,
          name: 'SW_SERVER_SILENT',
          node: 'db01',
          description: '服务器 db01 已 31 分钟没有上报数据（最后上报 2026-11-25 20:29）',
          state: 'active',
          source: 'sitewatch',
          raisedAt: NOW,
          resumedAt: null,
          lastSeenAt: NOW,
        },
      ]);
    });
  });

  describe('SW_FETCH_FAILING', () => {
    it('raises after fetchFailingMinutes since the last success, not a minute before', async () => {
      const { site: s } = await healthy('BJ01');
      const sites = ds().getRepository(Site);
      await sites.update(s.id, {
        lastSuccessAt: NOW - 29 * MIN,
        lastErrorAt: NOW - MIN,
        lastError: 'connect ECONNREFUSED 10.2.0.1:8088',
      });
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 0, resolved: 0 });
      await sites.update(s.id, { lastSuccessAt: NOW - 30 * MIN });
      expect(await r.run(NOW)).toEqual({ raised: 1, resolved: 0 });
      expect((await alarms()).map(brief)).toEqual([
        {
          siteId: s.id,
          name: 'SW_FETCH_FAILING',
          node: 'BJ01',
          description:
            '局点文件拉取已连续失败 30 分钟（最后成功 2026-11-25 20:30）：connect ECONNREFUSED 10.2.0.1:8088',
          state: 'active',
          source: 'sitewatch',
          raisedAt: NOW,
          resumedAt: null,
          lastSeenAt: NOW,
        },
      ]);
      // The next fetch succeeds: resolved.
      await sites.update(s.id, { lastSuccessAt: NOW + 4 * MIN });
      expect(await r.run(NOW + 5 * MIN)).toEqual({ raised: 0, resolved: 1 });
    });

    it('counts a site that never succeeded from its registration', async () => {
      const s = await site('NEW1', { createdAt: NOW - 45 * MIN });
      for (const k of KINDS) await cursor(s.id, k, { status: 'error', byteOffset: 0 });
      await ds()
        .getRepository(Site)
        .update(s.id, { lastErrorAt: NOW - MIN, lastError: 'HTTP 401 Unauthorized' });
      const r = runner();
      await r.run(NOW);
      expect((await alarms()).map((a) => `${a.name} ${a.node} ${a.description}`)).toEqual([
        'SW_FETCH_FAILING NEW1 局点文件拉取自添加以来一直失败（已 45 分钟）：HTTP 401 Unauthorized',
      ]);
    });

    it('does not raise when the last success is newer than the last error', async () => {
      const { site: s } = await healthy('BJ01');
      await ds()
        .getRepository(Site)
        .update(s.id, { lastErrorAt: NOW - 6 * MIN, lastError: 'timeout' });
      expect(await runner().run(NOW)).toEqual({ raised: 0, resolved: 0 });
    });
  });

  describe('SW_CPU_HIGH / SW_MEM_HIGH / SW_DISK_HIGH', () => {
    it('raises when every sample of the last overMinutes is over the threshold', async () => {
      const { site: s, app01 } = await healthy('BJ01');
      // An old low reading outside the window does not matter.
      await cpu(app01.id, NOW - 25 * MIN, 10);
      await cpu(app01.id, NOW - 17 * MIN, 90, 5, 1);
      await cpu(app01.id, NOW - 12 * MIN, 80, 10, 3.2);
      await cpu(app01.id, NOW - 7 * MIN, 95);
      await cpu(app01.id, NOW - 2 * MIN, 94, 2, 0);
      for (const m of [17, 12, 7, 2]) {
        await mem(app01.id, NOW - m * MIN, m === 7 ? 9_001 : 9_500, 10_000);
        await disk(app01.id, '/data', NOW - m * MIN, 95, 100);
        await disk(app01.id, '/', NOW - m * MIN, 50, 100);
      }
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 3, resolved: 0 });
      const rows = await alarms();
      expect(rows.map((a) => [a.siteId, a.name, a.node, a.description])).toEqual([
        [s.id, 'SW_CPU_HIGH', 'app01', 'CPU 使用率 15 分钟内持续高于 90%（最低 93.2%）'],
        [
          s.id,
          'SW_DISK_HIGH',
          'app01:/data',
          '磁盘 /data 使用率 15 分钟内持续高于 90%（最低 95.0%）',
        ],
        [s.id, 'SW_MEM_HIGH', 'app01', '内存使用率 15 分钟内持续高于 90%（最低 90.0%）'],
      ]);
      expect(r.calls.changes).toEqual([rows.map(raisedChange)]);
    });

    it('a reading exactly at the threshold is not over it', async () => {
      const { app01 } = await healthy('BJ01');
      for (const m of [17, 12, 7, 2]) {
        await cpu(app01.id, NOW - m * MIN, m === 12 ? 80 : 95, m === 12 ? 5 : 0, m === 12 ? 5 : 0);
        await mem(app01.id, NOW - m * MIN, m === 7 ? 9_000 : 9_900, 10_000);
        await disk(app01.id, '/', NOW - m * MIN, m === 2 ? 90 : 99, 100);
      }
      expect(await runner().run(NOW)).toEqual({ raised: 0, resolved: 0 });
      const r = runner({ cpuPercent: 89, memPercent: 89, diskPercent: 89 });
      expect(await r.run(NOW)).toEqual({ raised: 3, resolved: 0 });
      expect((await alarms()).map((a) => a.description)).toEqual([
        'CPU 使用率 15 分钟内持续高于 89%（最低 90.0%）',
        '磁盘 / 使用率 15 分钟内持续高于 89%（最低 90.0%）',
        '内存使用率 15 分钟内持续高于 89%（最低 90.0%）',
      ]);
    });

    it('needs 2 samples spanning 80 % of overMinutes, the newest no older than overMinutes', async () => {
      const { site: s } = await healthy('BJ01');
      const span12 = await server(s.id, 'span12', NOW - 2 * MIN);
      await cpu(span12.id, NOW - 14 * MIN, 99);
      await cpu(span12.id, NOW - 2 * MIN, 99);
      const span11 = await server(s.id, 'span11', NOW - 2 * MIN);
      await cpu(span11.id, NOW - 13 * MIN, 99);
      await cpu(span11.id, NOW - 2 * MIN, 99);
      const single = await server(s.id, 'single', NOW - 2 * MIN);
      await cpu(single.id, NOW - 2 * MIN, 99);
      const old = await server(s.id, 'old', NOW - 20 * MIN);
      for (const m of [35, 30, 25, 20]) await cpu(old.id, NOW - m * MIN, 99);
      const dip = await server(s.id, 'dip', NOW - 2 * MIN);
      for (const m of [17, 12, 7, 2]) await cpu(dip.id, NOW - m * MIN, m === 17 ? 50 : 99);
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 1, resolved: 0 });
      expect((await alarms()).map((a) => `${a.name} ${a.node}`)).toEqual(['SW_CPU_HIGH span12']);
    });
  });

  describe('lifecycle', () => {
    it('refreshes a condition that stays, resolves it when it clears, and raises anew later', async () => {
      const { site: s, app01 } = await healthy('BJ01');
      // A site alarm of the same name and node is not Sitewatch's and is never touched.
      await ds()
        .getRepository(Alarm)
        .insert({
          siteId: s.id,
          name: 'SW_CPU_HIGH',
          node: 'app01',
          description: 'from the site',
          raisedAt: NOW - 60 * MIN,
          resumedAt: null,
          state: 'active',
          lastSeenAt: NOW - 60 * MIN,
          source: 'site',
          createdAt: NOW - 60 * MIN,
          updatedAt: NOW - 60 * MIN,
        });
      for (const m of [17, 12, 7, 2]) await cpu(app01.id, NOW - m * MIN, 97);
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 1, resolved: 0 });
      const [, first] = await alarms();
      expect(first.source).toBe('sitewatch');

      await cpu(app01.id, NOW + 3 * MIN, 98);
      expect(await r.run(NOW + 5 * MIN)).toEqual({ raised: 0, resolved: 0 });
      const [siteAlarm, again] = await alarms();
      expect((await alarms()).length).toBe(2);
      expect(again.id).toBe(first.id);
      expect(again.lastSeenAt).toBe(NOW + 5 * MIN);
      expect(again.raisedAt).toBe(NOW);
      expect(r.calls.changes.length).toBe(1);

      await cpu(app01.id, NOW + 8 * MIN, 40);
      expect(await r.run(NOW + 10 * MIN)).toEqual({ raised: 0, resolved: 1 });
      const [siteAfter, resolved] = await alarms();
      expect(brief(resolved)).toEqual({
        ...brief(first),
        state: 'resolved',
        resumedAt: NOW + 10 * MIN,
        lastSeenAt: NOW + 5 * MIN,
      });
      expect(brief(siteAfter)).toEqual(brief(siteAlarm));
      expect(siteAfter.state).toBe('active');
      expect(r.calls.changes[1]).toEqual([
        {
          alarmId: first.id,
          siteId: s.id,
          change: 'resolved',
          name: 'SW_CPU_HIGH',
          node: 'app01',
          description: 'CPU 使用率 15 分钟内持续高于 90%（最低 97.0%）',
          raisedAt: NOW,
          resumedAt: NOW + 10 * MIN,
        },
      ]);

      // High again for a whole window: a new alarm row, not the old one reopened.
      for (const m of [13, 18, 23, 28]) await cpu(app01.id, NOW + m * MIN, 99);
      await ds()
        .getRepository(Server)
        .update(app01.id, { lastSeenAt: NOW + 28 * MIN });
      expect(await r.run(NOW + 30 * MIN)).toEqual({ raised: 1, resolved: 0 });
      const all = await alarms();
      expect(all.length).toBe(3);
      expect(all[2].id).not.toBe(first.id);
      expect(all[2].raisedAt).toBe(NOW + 30 * MIN);
      expect(r.calls.changes[2]).toEqual([raisedChange(all[2])]);
    });

    it('sends one change list per site, each inside the transaction that wrote it', async () => {
      const a = await healthy('AA01');
      const b = await healthy('BB01');
      await server(a.site.id, 'db01', NOW - 40 * MIN);
      await server(b.site.id, 'db02', NOW - 50 * MIN);
      await server(b.site.id, 'db03', NOW - 45 * MIN);
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 3, resolved: 0 });
      const rows = await alarms();
      expect(r.calls.changes).toEqual([
        [raisedChange(rows[0])],
        [raisedChange(rows[1]), raisedChange(rows[2])],
      ]);
      expect(rows.map((x) => `${x.siteId} ${x.node}`)).toEqual([
        `${a.site.id} db01`,
        `${b.site.id} db02`,
        `${b.site.id} db03`,
      ]);
      expect(r.calls.inTransaction).toEqual([true, true]);
    });

    it('a notify that throws rolls back the insert; the next run raises it', async () => {
      const { site: s } = await healthy('BJ01');
      await server(s.id, 'db01', NOW - 40 * MIN);
      const seen: unknown[] = [];
      const failing = runner({}, async (em, changes) => {
        // The row is visible to the hook through its own transaction.
        seen.push(
          ...(await em.query('SELECT source, state FROM alarm WHERE id = ?', [changes[0].alarmId])),
        );
        throw new Error('outbox is full');
      });
      await expect(failing.run(NOW)).rejects.toThrow('outbox is full');
      expect(seen).toEqual([{ source: 'sitewatch', state: 'active' }]);
      expect(await alarms()).toEqual([]);

      const r = runner();
      expect(await r.run(NOW + MIN)).toEqual({ raised: 1, resolved: 0 });
      const rows = await alarms();
      expect(rows.map((x) => x.node)).toEqual(['db01']);
      expect(r.calls.changes).toEqual([[raisedChange(rows[0])]]);
    });

    it('a notify that throws rolls back a resolution too', async () => {
      const { site: s } = await healthy('BJ01');
      const db01 = await server(s.id, 'db01', NOW - 40 * MIN);
      await runner().run(NOW);
      await ds()
        .getRepository(Server)
        .update(db01.id, { lastSeenAt: NOW + MIN });
      const failing = runner({}, async () => {
        throw new Error('no');
      });
      await expect(failing.run(NOW + 2 * MIN)).rejects.toThrow('no');
      const [still] = await alarms();
      expect([still.state, still.resumedAt]).toEqual(['active', null]);
    });

    it('leaves disabled sites alone, and does nothing when selfAlarms.enabled is false', async () => {
      const off = await site('OFF1', { enabled: false });
      await server(off.id, 'db01', NOW - 40 * MIN);
      const r = runner();
      expect(await r.run(NOW)).toEqual({ raised: 0, resolved: 0 });
      expect(await alarms()).toEqual([]);

      const { site: s } = await healthy('BJ01');
      const db01 = await server(s.id, 'db01', NOW - 40 * MIN);
      await r.run(NOW);
      await ds()
        .getRepository(Server)
        .update(db01.id, { lastSeenAt: NOW + MIN });
      await server(s.id, 'db02', NOW - 40 * MIN);
      const disabled = runner({ enabled: false });
      expect(await disabled.run(NOW + 2 * MIN)).toEqual({ raised: 0, resolved: 0 });
      expect((await alarms()).map((a) => `${a.node} ${a.state} ${a.lastSeenAt}`)).toEqual([
        `db01 active ${NOW}`,
      ]);
      expect(disabled.calls.changes).toEqual([]);
    });
  });
});
