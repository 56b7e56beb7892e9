// Tests of server resolution in 服务器 / cpu / 内存 / 磁盘 on both engines: full name, IP, any unambiguous part of the name, candidates when several match, hidden servers like missing ones.
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import type { Caller, Reply, RoomContext } from '../../commands/types';
import { CpuSample, DiskSample, MemSample, Server } from '../../entities';
import { describeEachEngine, resetDb } from '../helpers/db';
import { GIB, MIN, NOW, room, seed, testDeps, type Seeded, type TestDeps } from './seed';

const texts = (r: Reply[]) => r.filter((x) => x.kind === 'text').map((x) => x.text);

const NOT_FOUND = ['没有找到该服务器。'];

describeEachEngine('server resolution', (db) => {
  let s: Seeded;
  let t: TestDeps;
  let ask: (text: string, caller: Caller, r?: RoomContext | null) => Promise<Reply[]>;

  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
    const repo = db().ds.getRepository(Server);
    // Beside the seed's app01 / app02 / db01 (BJ01), web01 (BJ02) and app01 (SH01).
    const add = async (siteId: number, name: string, ip: string, cpu: number) => {
      const sv = await repo.save(
        repo.create({
          siteId,
          name,
          ip,
          osName: null,
          osVersion: null,
          uptimeSeconds: null,
          uptimeAt: null,
          firstSeenAt: NOW - 86_400_000,
          lastSeenAt: NOW - 2 * MIN,
        }),
      );
      const at = NOW - 2 * MIN;
      await db()
        .ds.getRepository(CpuSample)
        .insert({
          serverId: sv.id,
          sampledAt: at,
          userPct: cpu,
          sysPct: 1,
          ioPct: 0,
          idlePct: 99 - cpu,
        });
      await db()
        .ds.getRepository(MemSample)
        .insert({
          serverId: sv.id,
          sampledAt: at,
          usedBytes: 2 * GIB,
          freeBytes: 6 * GIB,
          bufferBytes: 0,
          totalBytes: 8 * GIB,
        });
      await db()
        .ds.getRepository(DiskSample)
        .insert({
          serverId: sv.id,
          sampledAt: at,
          mount: '/',
          usedBytes: 10 * GIB,
          totalBytes: 40 * GIB,
        });
    };
    await add(s.sites.bj01.id, 'BJ-CMCC-app01', '10.0.0.11', 9);
    await add(s.sites.bj01.id, 'BJ-CMCC-db01', '10.0.0.12', 19);
    await add(s.sites.bj02.id, 'BJ-CU-app03', '10.1.0.3', 29);
    await add(s.sites.sh01.id, 'SH-CMCC-app01', '10.2.0.11', 39);
  });
  beforeEach(() => {
    t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    ask = (text, caller, r = null) => router.handle(text, caller, r);
  });

  it('finds a server by any unambiguous part of its name, case-insensitively, in every command', async () => {
    const server = [
      'BJ-CMCC-app01（10.0.0.11）· 北京一号（BJ01）',
      'CPU 10.0%，内存 25.0%，磁盘 25.0%（/）',
      '最后上报 2026-11-25 20:58',
    ].join('\n');
    for (const q of [
      '服务器 bj-app01',
      '服务器 BJ-APP01',
      '服务器 BJ-CMCC-app01',
      '服务器 bj-cmcc-app01',
      '服务器 10.0.0.11',
      '服务器 bj cmcc app01',
      'server bj_app01',
    ])
      expect([q, texts(await ask(q, s.li))]).toEqual([q, [server]]);
    expect(texts(await ask('cpu bj-app01 2', s.li))).toEqual([
      'BJ-CMCC-app01（北京一号）近 2 小时 CPU：最新 10.0%，平均 10.0%，最高 10.0%（2026-11-25 20:58），共 1 个点',
    ]);
    expect(texts(await ask('内存 Bj-App01', s.li))).toEqual([
      'BJ-CMCC-app01（北京一号）近 24 小时内存：最新 25.0%，平均 25.0%，最高 25.0%（2026-11-25 20:58），当前 2.0G/8.0G，共 1 个点',
    ]);
    expect(texts(await ask('磁盘 cmcc-db', s.li))).toEqual([
      [
        'BJ-CMCC-db01（北京一号）近 24 小时磁盘：',
        '/：最新 25.0%，平均 25.0%，最高 25.0%（2026-11-25 20:58），当前 10.0G/40.0G',
      ].join('\n'),
    ]);
    // the charts are the found server's: two for each 服务器, then cpu, 内存 and 磁盘
    const cpu = 'BJ-CMCC-app01 · CPU 使用率';
    const mem = 'BJ-CMCC-app01 · 内存使用';
    expect(t.charts.map((c) => (c.title as { text: string }).text)).toEqual([
      ...Array.from({ length: 7 }, () => [cpu, mem]).flat(),
      cpu,
      mem,
      'BJ-CMCC-db01 · 磁盘使用率',
    ]);
  });

  it('a full name or IP wins over the names it is a part of', async () => {
    // db01 is also a part of BJ-CMCC-db01, 10.0.0.1 a part of 10.0.0.11 and 10.0.0.12
    expect(texts(await ask('cpu db01', s.li))[0]).toMatch(/^db01（北京一号）近 24 小时 CPU/);
    expect(texts(await ask('cpu DB01', s.li))[0]).toMatch(/^db01（北京一号）近 24 小时 CPU/);
    expect(texts(await ask('cpu 10.0.0.1', s.li))[0]).toMatch(/^app01（北京一号）近 24 小时 CPU/);
  });

  it('several matches are answered with the candidates (name, IP, site), only the request’s', async () => {
    expect(texts(await ask('服务器 cmcc-app01', s.li))).toEqual([
      '“cmcc-app01”对应多台服务器：BJ-CMCC-app01（10.0.0.11，北京一号）、SH-CMCC-app01（10.2.0.11，上海移动），请写完整名称或 IP。',
    ]);
    expect(texts(await ask('cpu bj-cmcc 6', s.li))).toEqual([
      '“bj-cmcc”对应多台服务器：BJ-CMCC-app01（10.0.0.11，北京一号）、BJ-CMCC-db01（10.0.0.12，北京一号），请写完整名称或 IP。',
    ]);
    expect(texts(await ask('内存 app0', s.li))).toEqual([
      '“app0”对应多台服务器：app01（10.0.0.1，北京一号）、app01（10.2.0.1，上海移动）、app02（10.0.0.2，北京一号）、BJ-CMCC-app01（10.0.0.11，北京一号）、SH-CMCC-app01（10.2.0.11，上海移动），请写完整名称或 IP。',
    ]);
    // the admin sees BJ02 as well
    expect(texts(await ask('磁盘 bj-app0', s.admin))).toEqual([
      '“bj-app0”对应多台服务器：BJ-CMCC-app01（10.0.0.11，北京一号）、BJ-CU-app03（10.1.0.3，北京二号），请写完整名称或 IP。',
    ]);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'command refused',
        login: 'li',
        text: '服务器 cmcc-app01',
        reason: 'ambiguous server',
      }),
    );
  });

  it('in a room only the room’s sites: a part shared with another site’s server resolves', async () => {
    const bj = room('北京运维', s.sites.bj01);
    expect(texts(await ask('服务器 cmcc-app01', s.li, bj))[0]).toMatch(
      /^BJ-CMCC-app01（10\.0\.0\.11）· 北京一号（BJ01）\n/,
    );
    expect(texts(await ask('cpu sh-app01', s.li, bj))).toEqual(NOT_FOUND);
    expect(texts(await ask('cpu sh-app01', s.li))[0]).toMatch(
      /^SH-CMCC-app01（上海移动）近 24 小时/,
    );
  });

  it('a server the caller may not see is answered exactly like a nonexistent one', async () => {
    expect(texts(await ask('服务器 nosuch', s.li))).toEqual(NOT_FOUND);
    for (const q of [
      '服务器 app03',
      '服务器 BJ-CU-app03',
      '服务器 cu-app',
      'cpu 10.1.0.3',
      '磁盘 cu 2',
    ])
      expect([q, texts(await ask(q, s.li))]).toEqual([q, NOT_FOUND]);
    // hidden servers are not among the candidates either: 'bj-app0' is BJ-CMCC-app01 alone for li
    expect(texts(await ask('服务器 bj-app0', s.li))[0]).toMatch(/^BJ-CMCC-app01（10\.0\.0\.11）/);
    // the same server for its own user
    expect(texts(await ask('服务器 cu-app', s.wang))[0]).toMatch(
      /^BJ-CU-app03（10\.1\.0\.3）· 北京二号（BJ02）\n/,
    );
    // parts that are only separators, or in the wrong order, match nothing
    for (const q of ['服务器 -', '服务器 app01-bj', '服务器 bjapp01'])
      expect([q, texts(await ask(q, s.li))]).toEqual([q, NOT_FOUND]);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'li', text: '服务器 app03', reason: 'unknown server' }),
    );
  });
});
