// Tests of SW_DISK_FILLING on both engines: raised for a mount over diskFillPercent that fills within diskFillDays, kept, recovered after a cleanup.
import { Site } from '../../../entities';
import { diskFillingCheck } from '../../../src/alarms/self-checks/disk-filling';
import { describeEachEngine, resetDb, testConfig } from '../../helpers/db';
import { HOUR, NOW, alarmsOf, disk, mem, runner, siteWithServer } from './fixtures';

const cfg = testConfig().selfAlarms;

describeEachEngine('SW_DISK_FILLING', (db) => {
  const ds = () => db().ds;

  beforeEach(async () => {
    await resetDb(db());
  });

  it('is raised for a filling mount, kept while it fills, and recovers after a cleanup', async () => {
    const { site, server } = await siteWithServer(ds());
    // /data: 82 % now, 0.3 points an hour (7.2 a day) for a week: 100 % in 60 hours.
    await disk(ds(), server.id, '/data', -167, 0, (h) => 82 + 0.3 * h);
    // /: high but flat; /logs: filling fast but under 70 %; /var: over 70 %, full in 4 days.
    await disk(ds(), server.id, '/', -167, 0, () => 88);
    await disk(ds(), server.id, '/logs', -167, 0, (h) => 60 + 0.5 * h);
    await disk(ds(), server.id, '/var', -167, 0, (h) => 76 + 0.25 * h);
    await mem(ds(), server.id, -167, 0, () => 50);
    const r = runner(ds(), 'SW_DISK_FILLING');
    const description = '/data 82%，约每天 +7.2%，预计 12-08 14:00 写满';
    await r.run(NOW);
    expect(r.changes).toEqual([
      [
        expect.objectContaining({
          siteId: site.id,
          change: 'raised',
          name: 'SW_DISK_FILLING',
          node: 'db01:/data',
          description,
          raisedAt: NOW,
          resumedAt: null,
        }),
      ],
    ]);
    expect(r.inTransaction).toEqual([true]);
    // An hour later, still on the trend: kept, nothing sent.
    await disk(ds(), server.id, '/data', 1, 1, (h) => 82 + 0.3 * h);
    await r.run(NOW + HOUR);
    expect(r.changes).toHaveLength(1);
    expect(await alarmsOf(ds(), 'SW_DISK_FILLING')).toEqual([
      {
        node: 'db01:/data',
        description,
        state: 'active',
        raisedAt: NOW,
        resumedAt: null,
        lastSeenAt: NOW + HOUR,
      },
    ]);
    // A cleanup to 40 %: no longer over diskFillPercent, the alarm recovers.
    await disk(ds(), server.id, '/data', 2, 2, () => 40);
    await r.run(NOW + 2 * HOUR);
    expect(r.changes[1]).toEqual([
      expect.objectContaining({
        change: 'resolved',
        name: 'SW_DISK_FILLING',
        node: 'db01:/data',
        description,
        raisedAt: NOW,
        resumedAt: NOW + 2 * HOUR,
      }),
    ]);
    expect((await alarmsOf(ds(), 'SW_DISK_FILLING')).map((a) => a.state)).toEqual(['resolved']);
  });

  it('is critical when the mount fills within a day, and major (the dictionary’s) otherwise', async () => {
    const { server } = await siteWithServer(ds());
    // /data: 95 % now, 0.3 points an hour: full in under 17 hours. /var: full in 60 hours.
    await disk(ds(), server.id, '/data', -167, 0, (h) => 95 + 0.3 * h);
    await disk(ds(), server.id, '/var', -167, 0, (h) => 82 + 0.3 * h);
    await mem(ds(), server.id, -167, 0, () => 50);
    await runner(ds(), 'SW_DISK_FILLING').run(NOW);
    const rows = (await ds().query(
      "SELECT node, severity FROM alarm WHERE name = 'SW_DISK_FILLING' ORDER BY node",
    )) as { node: string; severity: string | null }[];
    expect(rows).toEqual([
      { node: 'db01:/data', severity: 'critical' },
      { node: 'db01:/var', severity: null },
    ]);
  });

  it('follows diskFillPercent and diskFillDays, in the site zone', async () => {
    const { site, server } = await siteWithServer(ds());
    await ds().getRepository(Site).update(site.id, { timezone: 'UTC' });
    await disk(ds(), server.id, '/var', -167, 0, (h) => 76 + 0.25 * h);
    const input = {
      ds: ds(),
      sites: [{ ...site, timezone: 'UTC' }],
      tzOf: (s: { timezone: string | null }) => s.timezone ?? 'Asia/Shanghai',
      formats: [],
    };
    expect(await diskFillingCheck.evaluate(input, cfg, NOW)).toEqual([]);
    // Full in exactly 4 days (96 hours): raised once diskFillDays is 4, and not over 76 %.
    expect(await diskFillingCheck.evaluate(input, { ...cfg, diskFillDays: 4 }, NOW)).toEqual([
      {
        siteId: site.id,
        name: 'SW_DISK_FILLING',
        node: 'db01:/var',
        description: '/var 76%，约每天 +6.0%，预计 12-09 18:00 写满',
      },
    ]);
    expect(
      await diskFillingCheck.evaluate(input, { ...cfg, diskFillDays: 4, diskFillPercent: 76 }, NOW),
    ).toEqual([]);
  });

  it('raises nothing for a mount with under a day of history', async () => {
    const { server } = await siteWithServer(ds());
    await disk(ds(), server.id, '/data', -20, 0, (h) => 90 + 0.4 * h);
    const r = runner(ds(), 'SW_DISK_FILLING');
    await r.run(NOW);
    expect(r.changes).toEqual([]);
    expect(await alarmsOf(ds(), 'SW_DISK_FILLING')).toEqual([]);
  });
});
