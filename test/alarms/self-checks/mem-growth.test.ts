// Tests of SW_MEM_GROWTH on both engines: memory that grows without falling back towards 100 % within memGrowthDays is raised, kept, and recovers when it falls back.
import { forecastFull } from '../../../src/alarms/forecast';
import { memGrowthCheck } from '../../../src/alarms/self-checks/mem-growth';
import { describeEachEngine, resetDb, testConfig } from '../../helpers/db';
import { HOUR, NOW, alarmsOf, mem, runner, siteWithServer } from './fixtures';

const cfg = testConfig().selfAlarms;

describeEachEngine('SW_MEM_GROWTH', (db) => {
  const ds = () => db().ds;

  beforeEach(async () => {
    await resetDb(db());
  });

  it('is raised for memory growing without falling back, kept, and recovers when it falls back', async () => {
    const { site, server } = await siteWithServer(ds());
    // 70 % now, 0.25 points an hour (6 a day) for a week, never given back: 100 % in 5 days.
    await mem(ds(), server.id, -167, 0, (h) => 70 + 0.25 * h);
    const r = runner(ds(), 'SW_MEM_GROWTH');
    const description = '内存 70%，持续增长未回落，约每天 +6.0%，预计 12-11 02:00 用满';
    await r.run(NOW);
    expect(r.changes).toEqual([
      [
        expect.objectContaining({
          siteId: site.id,
          change: 'raised',
          name: 'SW_MEM_GROWTH',
          node: 'db01',
          description,
          raisedAt: NOW,
          resumedAt: null,
        }),
      ],
    ]);
    expect(r.inTransaction).toEqual([true]);
    await mem(ds(), server.id, 1, 1, (h) => 70 + 0.25 * h);
    await r.run(NOW + HOUR);
    expect(r.changes).toHaveLength(1);
    expect(await alarmsOf(ds(), 'SW_MEM_GROWTH')).toEqual([
      {
        node: 'db01',
        description,
        state: 'active',
        raisedAt: NOW,
        resumedAt: null,
        lastSeenAt: NOW + HOUR,
      },
    ]);
    // A restart gives memory back (70.5 → 66): growth that fell back is no leak.
    await mem(ds(), server.id, 2, 2, () => 66);
    await r.run(NOW + 2 * HOUR);
    expect(r.changes[1]).toEqual([
      expect.objectContaining({
        change: 'resolved',
        node: 'db01',
        description,
        raisedAt: NOW,
        resumedAt: NOW + 2 * HOUR,
      }),
    ]);
    expect((await alarmsOf(ds(), 'SW_MEM_GROWTH')).map((a) => a.state)).toEqual(['resolved']);
  });

  it('follows memGrowthPercent and memGrowthDays', async () => {
    const { site, server } = await siteWithServer(ds());
    // 62 % now at 6 points a day: 100 % in 6 1/3 days (within 7); 50 % now: not over 60 %.
    await mem(ds(), server.id, -167, 0, (h) => 62 + 0.25 * h);
    const input = {
      ds: ds(),
      sites: [site],
      tzOf: () => 'Asia/Shanghai',
      formats: [],
    };
    const found = [
      {
        siteId: site.id,
        name: 'SW_MEM_GROWTH',
        node: 'db01',
        description: '内存 62%，持续增长未回落，约每天 +6.0%，预计 12-12 10:00 用满',
      },
    ];
    expect(await memGrowthCheck.evaluate(input, cfg, NOW)).toEqual(found);
    expect(await memGrowthCheck.evaluate(input, { ...cfg, memGrowthDays: 6 }, NOW)).toEqual([]);
    expect(await memGrowthCheck.evaluate(input, { ...cfg, memGrowthPercent: 62 }, NOW)).toEqual([]);
  });

  it('raises nothing for memory that is high but flat, or that falls back every day', async () => {
    const { server } = await siteWithServer(ds());
    await mem(ds(), server.id, -167, 0, (h) => 85 + (h % 24 === 0 ? 1 : 0));
    const { server: other } = await siteWithServer(ds(), 'SH01');
    // Up 6 points a day net, but 9.2 given back every night: a daily cycle, no leak, although
    // its trend alone would reach 100 % within memGrowthDays.
    const cycle = (h: number) => 70 + ((h + 168) % 24) * 0.4 + h / 4;
    await mem(ds(), other.id, -167, 0, cycle);
    const points = [];
    for (let h = -167; h <= 0; h++) points.push({ at: NOW + h * HOUR, pct: cycle(h) });
    const trend = forecastFull(points, NOW, { levels: [100] })!.levels[0].at as number;
    expect(trend - NOW).toBeLessThan(cfg.memGrowthDays * 24 * HOUR);
    const r = runner(ds(), 'SW_MEM_GROWTH');
    await r.run(NOW);
    expect(r.changes).toEqual([]);
  });
});
