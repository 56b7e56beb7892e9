// Test seeding for the queries and commands: three sites, an admin and two operators, servers with samples, figures and alarms.
import { Writable } from 'node:stream';
import type { DataSource } from 'typeorm';
import {
  Alarm,
  BusinessDaily,
  CpuSample,
  DiskSample,
  MemSample,
  Server,
  Site,
} from '../../entities';
import { addSite } from '../../src/admin/sites';
import { addUser } from '../../src/admin/users';
import { createLogger } from '../../src/log';
import type { Caller, CommandDeps, RoomContext } from '../../commands/types';
import type { ChartOption } from '../../src/types/chart-option';
import { testConfig } from '../helpers/db';

/** 2026-11-25 21:00 in Asia/Shanghai (13:00 UTC). */
export const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const GIB = 1024 ** 3;

export interface Seeded {
  sites: { bj01: Site; bj02: Site; sh01: Site };
  servers: { app01: Server; app02: Server; db01: Server; web01: Server; shApp01: Server };
  admin: Caller;
  li: Caller;
  wang: Caller;
}

async function server(ds: DataSource, siteId: number, name: string, ip: string): Promise<Server> {
  const repo = ds.getRepository(Server);
  return repo.save(
    repo.create({
      siteId,
      name,
      ip,
      osName: name === 'app01' ? 'CentOS' : null,
      osVersion: name === 'app01' ? '7.9' : null,
      uptimeSeconds: name === 'app01' ? 86_400 : null,
      uptimeAt: name === 'app01' ? NOW - HOUR : null,
      firstSeenAt: NOW - 10 * 86_400_000,
      lastSeenAt: null,
    }),
  );
}

interface Reading {
  at: number;
  cpu: [number, number, number];
  memUsedGib: number;
  memTotalGib: number;
  disks: [string, number, number][];
}

async function readings(ds: DataSource, serverId: number, rows: Reading[]): Promise<void> {
  for (const r of rows) {
    const [user, sys, io] = r.cpu;
    await ds.getRepository(CpuSample).insert({
      serverId,
      sampledAt: r.at,
      userPct: user,
      sysPct: sys,
      ioPct: io,
      idlePct: 100 - user - sys - io,
    });
    await ds.getRepository(MemSample).insert({
      serverId,
      sampledAt: r.at,
      usedBytes: r.memUsedGib * GIB,
      freeBytes: (r.memTotalGib - r.memUsedGib) * GIB,
      bufferBytes: 0,
      totalBytes: r.memTotalGib * GIB,
    });
    for (const [mount, used, total] of r.disks) {
      await ds.getRepository(DiskSample).insert({
        serverId,
        sampledAt: r.at,
        mount,
        usedBytes: used * GIB,
        totalBytes: total * GIB,
      });
    }
  }
}

function figures(siteId: number, statDate: string, base: number): Partial<BusinessDaily> {
  return {
    siteId,
    statDate,
    subUsers: 100 + base,
    unsubUsers: 20 + Math.floor(base / 10),
    totalUsers: 10_000 + base * 10,
    callTimes: 50_000 + base * 100,
    showTimes: 40_000 + base * 50,
    moTimes: 3_000 + base,
    mtTimes: 6_000 + base * 2,
    recordedAt: NOW,
    updatedAt: NOW,
  };
}

async function alarm(
  ds: DataSource,
  siteId: number,
  name: string,
  node: string,
  description: string,
  raisedAt: number,
  resumedAt: number | null = null,
): Promise<void> {
  await ds.getRepository(Alarm).insert({
    siteId,
    name,
    node,
    description,
    raisedAt,
    resumedAt,
    state: resumedAt === null ? 'active' : 'resolved',
    lastSeenAt: raisedAt,
    createdAt: raisedAt,
    updatedAt: raisedAt,
  });
}

/** Seed an empty database (see the file comment); every instant is relative to NOW. */
export async function seed(ds: DataSource): Promise<Seeded> {
  const bj01 = await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: 'http://bj01' }, NOW);
  const bj02 = await addSite(ds, { code: 'BJ02', name: '北京二号', baseUrl: 'http://bj02' }, NOW);
  const sh01 = await addSite(
    ds,
    { code: 'SH01', name: '上海移动', baseUrl: 'http://sh01', timezone: 'UTC' },
    NOW,
  );
  await addSite(ds, { code: 'OFF1', name: '停用局点', baseUrl: 'http://off', enabled: false }, NOW);
  const sites = ds.getRepository(Site);
  await sites.update(bj01.id, { lastIngestAt: NOW - 5 * MIN, lastSuccessAt: NOW - 5 * MIN });
  await sites.update(sh01.id, {
    lastIngestAt: NOW - 3 * MIN,
    lastSuccessAt: NOW - HOUR,
    lastError: 'connect ECONNREFUSED 10.2.0.1:8088',
    lastErrorAt: NOW - 3 * MIN,
  });

  const adminU = await addUser(ds, { login: 'admin', password: 'password-1', role: 'admin' }, NOW);
  const liU = await addUser(
    ds,
    { login: 'li', password: 'password-1', displayName: '李雷', sites: ['BJ01', 'SH01'] },
    NOW,
  );
  const wangU = await addUser(
    ds,
    { login: 'wang', password: 'password-1', displayName: '王芳', sites: ['BJ02'] },
    NOW,
  );

  const app01 = await server(ds, bj01.id, 'app01', '10.0.0.1');
  const app02 = await server(ds, bj01.id, 'app02', '10.0.0.2');
  const db01 = await server(ds, bj01.id, 'db01', '10.0.0.3');
  const web01 = await server(ds, bj02.id, 'web01', '10.1.0.1');
  const shApp01 = await server(ds, sh01.id, 'app01', '10.2.0.1');

  await readings(ds, app01.id, [
    {
      at: NOW - 60 * MIN,
      cpu: [10, 2, 0.5],
      memUsedGib: 3,
      memTotalGib: 8,
      disks: [
        ['/', 20, 50],
        ['/data', 78, 100],
      ],
    },
    {
      at: NOW - 30 * MIN,
      cpu: [20, 5, 1],
      memUsedGib: 5,
      memTotalGib: 8,
      disks: [
        ['/', 20, 50],
        ['/data', 79, 100],
      ],
    },
    {
      at: NOW - 5 * MIN,
      cpu: [12, 2.5, 0.5],
      memUsedGib: 4,
      memTotalGib: 8,
      disks: [
        ['/', 21, 50],
        ['/data', 80, 100],
      ],
    },
  ]);
  await readings(ds, app02.id, [
    { at: NOW - 4 * MIN, cpu: [5, 1, 0], memUsedGib: 2, memTotalGib: 16, disks: [['/', 10, 40]] },
  ]);
  await readings(ds, db01.id, [
    { at: NOW - 3 * HOUR, cpu: [30, 10, 5], memUsedGib: 6, memTotalGib: 8, disks: [['/', 45, 50]] },
  ]);
  await readings(ds, web01.id, [
    { at: NOW - 2 * MIN, cpu: [1, 1, 0], memUsedGib: 1, memTotalGib: 4, disks: [] },
  ]);
  await readings(ds, shApp01.id, [
    { at: NOW - 10 * MIN, cpu: [50, 20, 10], memUsedGib: 7, memTotalGib: 8, disks: [['/', 5, 10]] },
  ]);

  const biz = ds.getRepository(BusinessDaily);
  const days = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'];
  for (const [i, d] of days.entries()) await biz.insert(figures(bj01.id, d, i * 10));
  await biz.insert({ ...figures(bj02.id, '2026-11-24', 0), totalUsers: 1_234_567 });

  await alarm(ds, bj01.id, 'CPU_HIGH', 'app01', 'cpu over 90% for 5 minutes', NOW - 90 * MIN);
  await alarm(ds, bj01.id, 'DISK_FULL', 'db01', 'disk / at 90%', NOW - 51 * HOUR);
  await alarm(ds, bj01.id, 'NODE_DOWN', 'app02', 'nginx down', NOW - 5 * HOUR, NOW - 4 * HOUR);
  await alarm(ds, sh01.id, 'MEM_HIGH', 'app01', 'memory over 85%', NOW - 30 * MIN);

  const caller = (u: {
    id: number;
    login: string;
    displayName: string;
    role: 'admin' | 'operator';
  }): Caller => ({
    userId: u.id,
    login: u.login,
    displayName: u.displayName,
    role: u.role,
  });
  // What ingest does with every line: move each server's last_seen_at to its newest sample.
  for (const sv of await ds.getRepository(Server).find()) {
    const times = (
      await Promise.all(
        ['cpu_sample', 'mem_sample', 'disk_sample'].map((t) =>
          ds.query(`SELECT MAX(sampled_at) AS t FROM ${t} WHERE server_id = ?`, [sv.id]),
        ),
      )
    )
      .map((r) => (r[0].t === null ? null : Number(r[0].t)))
      .filter((t): t is number => t !== null);
    if (times.length)
      await ds.getRepository(Server).update({ id: sv.id }, { lastSeenAt: Math.max(...times) });
  }
  return {
    sites: { bj01, bj02, sh01 },
    servers: { app01, app02, db01, web01, shApp01 },
    admin: caller(adminU),
    li: caller(liU),
    wang: caller(wangU),
  };
}

export interface TestDeps {
  deps: CommandDeps;
  /** Parsed log lines (warn and above). */
  logs: Record<string, unknown>[];
  /** Options passed to renderChart. */
  charts: ChartOption[];
}

/** Command deps on `ds` with a fixed clock, a recording logger and (unless `charts` is false) a stub renderer. */
export function testDeps(ds: DataSource, opts: { charts?: boolean } = {}): TestDeps {
  const logs: Record<string, unknown>[] = [];
  const charts: ChartOption[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
      cb();
    },
  });
  const deps: CommandDeps = {
    ds,
    config: testConfig(),
    log: createLogger('warn', sink),
    renderChart:
      opts.charts === false
        ? null
        : async (option) => {
            charts.push(option);
            return Buffer.from([0x89, 0x50, 0x4e, 0x47]);
          },
    now: () => NOW,
  };
  return { deps, logs, charts };
}

/** A room context subscribing the given sites. */
export function room(topic: string, ...sites: Site[]): RoomContext {
  return { transport: 'wechat', id: `room-${topic}`, topic, siteIds: sites.map((s) => s.id) };
}
