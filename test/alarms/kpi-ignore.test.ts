// Tests of ignoreKpiDay / ignoredDays on both engines: the day recorded once, the alarm acknowledged, other alarms and other users' sites refused.
import { Alarm, KpiIgnoredDay } from '../../entities';
import { ignoreKpiDay, ignoredDays } from '../../src/alarms/kpi-ignore';
import { describeEachEngine, resetDb } from '../helpers/db';
import { HOUR, NOW, seed, type Seeded } from '../commands/seed';

describeEachEngine('ignoreKpiDay', (db) => {
  let s: Seeded;
  const insertAlarm = async (siteId: number, name: string, node: string, resolved = false) =>
    (
      await db()
        .ds.getRepository(Alarm)
        .save({
          siteId,
          name,
          node,
          description: 'd',
          raisedAt: NOW - HOUR,
          resumedAt: resolved ? NOW - 1000 : null,
          state: resolved ? 'resolved' : 'active',
          lastSeenAt: NOW - HOUR,
          createdAt: NOW - HOUR,
          updatedAt: NOW - HOUR,
        })
    ).id;
  const rows = () =>
    db()
      .ds.getRepository(KpiIgnoredDay)
      .find({ order: { id: 'ASC' } });

  beforeEach(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });

  it('records the alarm’s site and day once and acknowledges the alarm', async () => {
    const { ds } = db();
    const id = await insertAlarm(s.sites.bj01.id, 'SW_KPI_ANOMALY', '2026-11-24');
    const first = await ignoreKpiDay(ds, { alarmId: id, by: s.li.userId, now: NOW });
    expect(first).toMatchObject({ siteId: s.sites.bj01.id, day: '2026-11-24', added: true });
    expect(first.ack).toMatchObject({ already: false, ackedByName: '李雷' });
    expect(first.alarm).toMatchObject({ ackedBy: s.li.userId, ackedAt: NOW, state: 'active' });
    // Again, by the admin: nothing new, the first acknowledgement stands.
    const again = await ignoreKpiDay(ds, { alarmId: id, by: s.admin.userId, now: NOW + HOUR });
    expect(again).toMatchObject({ added: false, day: '2026-11-24' });
    expect(again.ack).toMatchObject({ already: true, ackedByName: '李雷' });
    expect(
      (await rows()).map(({ siteId, day, ignoredBy, ignoredAt }) => ({
        siteId,
        day,
        ignoredBy,
        ignoredAt,
      })),
    ).toEqual([
      { siteId: s.sites.bj01.id, day: '2026-11-24', ignoredBy: s.li.userId, ignoredAt: NOW },
    ]);
    const sh = await insertAlarm(s.sites.sh01.id, 'SW_KPI_ANOMALY', '2026-11-23', true);
    // A resolved alarm: the day is still recorded, nothing to acknowledge.
    const resolved = await ignoreKpiDay(ds, { alarmId: sh, by: s.admin.userId, now: NOW });
    expect(resolved).toMatchObject({ added: true, ack: null });
    expect(resolved.alarm.ackedBy).toBeNull();
    const days = await ignoredDays(ds, [s.sites.bj01.id, s.sites.sh01.id, s.sites.bj02.id]);
    expect([...days.entries()].map(([k, v]) => [k, [...v]]).sort()).toEqual(
      [
        [s.sites.bj01.id, ['2026-11-24']],
        [s.sites.sh01.id, ['2026-11-23']],
      ].sort(),
    );
    expect(await ignoredDays(ds, [s.sites.bj02.id])).toEqual(new Map());
    expect(await ignoredDays(ds, [])).toEqual(new Map());
  });

  it('refuses another kind of alarm, and alarms of sites the user does not manage', async () => {
    const { ds } = db();
    const disk = (await ds.getRepository(Alarm).findOneByOrFail({ name: 'DISK_FULL' })).id;
    await expect(
      ignoreKpiDay(ds, { alarmId: disk, by: s.admin.userId, now: NOW }),
    ).rejects.toMatchObject({
      name: 'NotKpiAlarmError',
      code: 'USAGE',
      message: `Alarm #${disk} is not an SW_KPI_ANOMALY alarm; only those days can be ignored.`,
    });
    const kpi = await insertAlarm(s.sites.bj01.id, 'SW_KPI_ANOMALY', '2026-11-24');
    for (const alarmId of [kpi, disk, 99_999]) {
      await expect(
        ignoreKpiDay(ds, { alarmId, by: s.wang.userId, now: NOW }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: `No alarm #${alarmId}.`,
      });
    }
    expect(await rows()).toEqual([]);
    expect((await ds.getRepository(Alarm).findOneByOrFail({ id: kpi })).ackedBy).toBeNull();
    expect((await ds.getRepository(Alarm).findOneByOrFail({ id: disk })).ackedBy).toBeNull();
  });
});
