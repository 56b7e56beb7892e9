// Tests of the capacity answer and the status line on both engines: a filling mount's fill time, flat and slow mounts, growing memory, and 状态's "预计 N 天后写满".
import { createAnswerRegistry } from '../../../commands/answers/registry';
import { createCommandRouter } from '../../../commands/router';
import { createCommandRegistry } from '../../../commands/registry';
import type { Reply } from '../../../commands/types';
import { DiskSample, MemSample, Server } from '../../../entities';
import type { Intent } from '../../../src/nlu/types';
import { describeEachEngine, resetDb } from '../../helpers/db';
import { HOUR, NOW, seed, testDeps, type Seeded } from '../seed';

const texts = (r: Reply[]) => r.filter((x) => x.kind === 'text').map((x) => x.text);
const images = (r: Reply[]) =>
  r.flatMap((x) => (x.kind === 'image' ? [[x.name, x.alt] as [string, string]] : []));
const TOTAL = 1_000_000_000;
const bytes = (pct: number) => Math.round(pct * (TOTAL / 100));

describeEachEngine('capacity forecasts in answers', (db) => {
  let s: Seeded;
  let store01: Server;
  let leak01: Server;

  /** Hourly samples over the week up to NOW, use `f(h)` with h ≤ 0 hours from NOW. */
  async function week(serverId: number, mount: string | null, f: (h: number) => number) {
    const ds = db().ds;
    for (let h = -167; h <= 0; h++) {
      const used = bytes(f(h));
      const sampledAt = NOW + h * HOUR;
      if (mount === null)
        await ds.getRepository(MemSample).insert({
          serverId,
          sampledAt,
          usedBytes: used,
          freeBytes: TOTAL - used,
          bufferBytes: 0,
          totalBytes: TOTAL,
        });
      else
        await ds
          .getRepository(DiskSample)
          .insert({ serverId, sampledAt, mount, usedBytes: used, totalBytes: TOTAL });
    }
  }

  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
    const repo = db().ds.getRepository(Server);
    const add = (name: string, ip: string) =>
      repo.save(
        repo.create({
          siteId: s.sites.bj01.id,
          name,
          ip,
          firstSeenAt: NOW - 10 * 86_400_000,
          lastSeenAt: NOW,
        }),
      );
    store01 = await add('store01', '10.0.0.7');
    leak01 = await add('leak01', '10.0.0.8');
    // /data: 82 % now, 7.2 points a day: full in 60 hours. /: flat. /logs: 1 point a day.
    await week(store01.id, '/data', (h) => 82 + 0.3 * h);
    await week(store01.id, '/', () => 40);
    await week(store01.id, '/logs', (h) => 50 + h / 24);
    // Memory that fell back once (store01), and memory growing 6 points a day from 70 % (leak01).
    await week(store01.id, null, (h) => (h === -50 ? 75 : 60));
    await week(leak01.id, null, (h) => 70 + 0.25 * h);
  });

  const ask = (intent: Intent) =>
    createAnswerRegistry().answer(intent, {
      caller: s.li,
      args: 'a question',
      room: null,
      deps: testDeps(db().ds).deps,
    });

  it('says when each mount fills, or that it will not', async () => {
    const r = await ask({ kind: 'forecast', server: store01.id, metric: 'disk' });
    expect(texts(r)).toEqual([
      [
        'store01（北京一号）磁盘容量预测（按近 7 天趋势）：',
        'store01 / 40%，近 7 天没有增长，不会写满',
        'store01 /data 82%，约每天 +7.2%，预计 11-28 09:00 写满（约 2.5 天）',
        'store01 /logs 50%，约每天 +1.0%，30 天内不会写满',
      ].join('\n'),
    ]);
    expect(images(r)).toEqual([['disk-store01-168h.png', 'store01 近 7 天磁盘使用率']]);
  });

  it('says when growing memory fills, and that memory which fell back will not', async () => {
    expect(texts(await ask({ kind: 'forecast', server: leak01.id, metric: 'mem' }))).toEqual([
      'leak01（北京一号）内存容量预测（按近 7 天趋势）：\nleak01 内存 70%，约每天 +6.0%，预计 11-30 21:00 用满（约 5.0 天）',
    ]);
    expect(texts(await ask({ kind: 'forecast', server: store01.id, metric: 'mem' }))).toEqual([
      'store01（北京一号）内存容量预测（按近 7 天趋势）：\nstore01 内存 60%，近 7 天没有持续增长，不会用满',
    ]);
  });

  it('状态 adds "预计 N 天后写满" under a server at risk, and the status answer too', async () => {
    const router = createCommandRouter(createCommandRegistry(), testDeps(db().ds).deps);
    const lines = texts(await router.handle('状态 BJ01', s.li, null))[0].split('\n');
    const at = lines.findIndex((l) => l.startsWith('store01 '));
    expect(lines[at + 1]).toBe('预计 2.5 天后写满（/data）');
    expect(lines.filter((l) => l.startsWith('预计'))).toEqual(['预计 2.5 天后写满（/data）']);
    const answer = texts(await ask({ kind: 'status', sites: ['BJ01'] }))[0].split('\n');
    expect(answer).toEqual(lines);
  });
});
