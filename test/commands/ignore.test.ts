// Tests of 忽略 through the router on both engines: exact replies, rights like 确认's, rooms and refusal logs.
import { Alarm, KpiIgnoredDay } from '../../entities';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import type { Caller, Reply, RoomContext } from '../../commands/types';
import { describeEachEngine, resetDb } from '../helpers/db';
import { HOUR, NOW, room, seed, testDeps, type Seeded, type TestDeps } from './seed';

const texts = (r: Reply[]) => r.map((x) => (x.kind === 'text' ? x.text : `[image ${x.name}]`));

describeEachEngine('忽略', (db) => {
  let s: Seeded;
  let t: TestDeps;
  let kpi: number;
  let ask: (text: string, caller: Caller, r?: RoomContext | null) => Promise<string[]>;
  const ignored = () => db().ds.getRepository(KpiIgnoredDay).count();

  beforeEach(async () => {
    await resetDb(db());
    s = await seed(db().ds);
    kpi = (
      await db()
        .ds.getRepository(Alarm)
        .save({
          siteId: s.sites.bj01.id,
          name: 'SW_KPI_ANOMALY',
          node: '2026-11-24',
          description: '开通 12，较近 4 个周二中位数 140 下降 91%',
          raisedAt: NOW - HOUR,
          resumedAt: null,
          state: 'active',
          lastSeenAt: NOW - HOUR,
          createdAt: NOW - HOUR,
          updatedAt: NOW - HOUR,
        })
    ).id;
    t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    ask = async (text, caller, r = null) => texts(await router.handle(text, caller, r));
  });

  it('marks the day as expected and acknowledges the alarm, for the site’s manager and admins', async () => {
    const done = `已将北京一号（BJ01）2026-11-24 标记为预期（节假日、割接等），该日不再计入基线；告警 #${kpi} 已确认。`;
    expect(await ask(`忽略 ${kpi}`, s.li)).toEqual([done]);
    const row = await db().ds.getRepository(Alarm).findOneByOrFail({ id: kpi });
    expect([row.ackedBy, row.ackedAt]).toEqual([s.li.userId, NOW]);
    expect(await ask(`ignore #${kpi}`, s.admin)).toEqual([done]);
    expect(await ignored()).toBe(1);
    await db().ds.query('DELETE FROM kpi_ignored_day');
    await db().ds.query(`UPDATE alarm SET acked_by = NULL, acked_at = NULL`);
    expect(await ask(`忽略 ${kpi}`, s.admin, room('北京运维', s.sites.bj01))).toEqual([done]);
    // Resolved since: the day is still marked, there is nothing to acknowledge.
    await db().ds.query(`UPDATE alarm SET state = 'resolved', acked_by = NULL WHERE id = ?`, [kpi]);
    expect(await ask(`忽略 ${kpi}`, s.li)).toEqual([
      `已将北京一号（BJ01）2026-11-24 标记为预期（节假日、割接等），该日不再计入基线；告警 #${kpi} 已恢复，无需确认。`,
    ]);
  });

  it('refuses other alarms, others’ sites (like a nonexistent alarm) and bad ids', async () => {
    const disk = (await db().ds.getRepository(Alarm).findOneByOrFail({ name: 'DISK_FULL' })).id;
    expect(await ask(`忽略 ${disk}`, s.li)).toEqual([`告警 #${disk} 不是业务异常告警，无法忽略。`]);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'li', text: `忽略 ${disk}`, reason: 'not a kpi alarm' }),
    );
    expect(await ask(`忽略 ${kpi}`, s.wang)).toEqual([`没有找到告警 #${kpi}。`]);
    expect(await ask(`忽略 ${disk}`, s.wang)).toEqual([`没有找到告警 #${disk}。`]);
    expect(await ask('忽略 99999', s.wang)).toEqual(['没有找到告警 #99999。']);
    expect(await ask(`忽略 ${kpi}`, s.li, room('上海运维', s.sites.sh01))).toEqual([
      `没有找到告警 #${kpi}。`,
    ]);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'wang', text: `忽略 ${kpi}`, reason: 'unknown alarm' }),
    );
    expect(await ask('忽略', s.li)).toEqual([
      '用法：忽略 <告警编号>；编号见“告警”列表中的 #编号。',
    ]);
    expect(await ask('忽略 0', s.li)).toEqual(['告警编号应为正整数；编号见“告警”列表中的 #编号。']);
    expect(await ignored()).toBe(0);
    expect((await db().ds.getRepository(Alarm).findOneByOrFail({ id: kpi })).ackedBy).toBeNull();
  });
});
