// Tests of silences and acknowledgements on both engines: durations, windows, named vs site-wide, cancel, ack once, access.
import { Alarm, Silence, Site } from '../../entities';
import {
  MAX_SILENCE_MINUTES,
  ackAlarm,
  activeSilences,
  canManageSite,
  cancelSilence,
  listSilences,
  parseDuration,
  silenceFor,
  silenceSite,
} from '../../src/alarms/silences';
import { describeEachEngine, resetDb } from '../helpers/db';
import { HOUR, MIN, NOW, seed, type Seeded } from '../commands/seed';

describe('parseDuration', () => {
  it.each([
    ['30m', 30],
    ['2h', 120],
    ['1d', 1440],
    ['90分钟', 90],
    ['45分', 45],
    ['2小时', 120],
    ['3个小时', 180],
    ['1天', 1440],
    ['2 小时', 120],
    ['1h30m', 90],
    ['1天2小时', 1560],
    ['2H', 120],
    ['15min', 15],
    ['3days', 4320],
  ])('%s is %i minutes', (s, minutes) => {
    expect(parseDuration(s)).toBe(minutes);
  });

  it.each(['', '90', '2x', 'h', '1.5h', '-2h', 'forever', '2h foo', '2小时后'])(
    '"%s" is not a duration',
    (s) => {
      expect(parseDuration(s)).toBeNull();
    },
  );
});

describe('silenceFor', () => {
  const list = [
    { id: 1, siteId: 1, alarmName: 'DISK_FULL', endsAt: NOW + HOUR },
    { id: 2, siteId: 1, alarmName: null, endsAt: NOW + 30 * MIN },
    { id: 3, siteId: 2, alarmName: 'CPU_HIGH', endsAt: NOW + 2 * HOUR },
    { id: 4, siteId: 2, alarmName: 'cpu_high', endsAt: NOW + 3 * HOUR },
  ];

  it('matches a site-wide silence or one of the same name, the longest-lasting first', () => {
    expect(silenceFor(list, 1, 'DISK_FULL')?.id).toBe(1);
    expect(silenceFor(list, 1, 'CPU_HIGH')?.id).toBe(2);
    expect(silenceFor(list, 2, 'CPU_HIGH')?.id).toBe(4);
    expect(silenceFor(list, 2, 'Cpu_High')?.id).toBe(4);
    expect(silenceFor(list, 2, 'DISK_FULL')).toBeNull();
    expect(silenceFor(list, 3, 'DISK_FULL')).toBeNull();
    expect(silenceFor([], 1, 'DISK_FULL')).toBeNull();
  });
});

describeEachEngine('silences and acknowledgements', (db) => {
  let s: Seeded;
  let alarmId: (name: string) => Promise<number>;
  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
    alarmId = async (name) => (await db().ds.getRepository(Alarm).findOneByOrFail({ name })).id;
  });
  beforeEach(async () => {
    await db().ds.query('DELETE FROM silence');
    await db().ds.query('UPDATE alarm SET acked_by = NULL, acked_at = NULL');
  });

  it('canManageSite: admins every site, operators their own', async () => {
    const { ds } = db();
    const { bj01, bj02, sh01 } = s.sites;
    expect(await canManageSite(ds, s.admin.userId, bj02.id)).toBe(true);
    expect(await canManageSite(ds, s.li.userId, bj01.id)).toBe(true);
    expect(await canManageSite(ds, s.li.userId, sh01.id)).toBe(true);
    expect(await canManageSite(ds, s.li.userId, bj02.id)).toBe(false);
    expect(await canManageSite(ds, s.wang.userId, bj01.id)).toBe(false);
    expect(await canManageSite(ds, s.admin.userId, 99_999)).toBe(false);
    expect(await canManageSite(ds, 99_999, bj01.id)).toBe(false);
  });

  it('canManageSite: a disabled site is no one’s, not even an admin’s or a linked operator’s', async () => {
    const { ds } = db();
    const off = await ds.getRepository(Site).findOneByOrFail({ code: 'OFF1' });
    await ds.query('INSERT INTO user_site (user_id, site_id) VALUES (?, ?)', [s.li.userId, off.id]);
    try {
      expect(await canManageSite(ds, s.admin.userId, off.id)).toBe(false);
      expect(await canManageSite(ds, s.li.userId, off.id)).toBe(false);
      expect(await canManageSite(ds.manager, s.li.userId, off.id)).toBe(false);
      // the same site enabled again is theirs
      await ds.getRepository(Site).update(off.id, { enabled: true });
      expect(await canManageSite(ds, s.admin.userId, off.id)).toBe(true);
      expect(await canManageSite(ds, s.li.userId, off.id)).toBe(true);
    } finally {
      await ds.getRepository(Site).update(off.id, { enabled: false });
      await ds.query('DELETE FROM user_site WHERE user_id = ? AND site_id = ?', [
        s.li.userId,
        off.id,
      ]);
    }
  });

  it('a silence covers its window only, and is stored with who set it', async () => {
    const { ds } = db();
    const bj01 = s.sites.bj01.id;
    const sil = await silenceSite(ds, {
      userId: s.li.userId,
      siteId: bj01,
      minutes: 120,
      alarmName: ' DISK_FULL ',
      now: NOW,
    });
    const row = await ds.getRepository(Silence).findOneByOrFail({ id: sil.id });
    expect(row).toMatchObject({
      siteId: bj01,
      alarmName: 'DISK_FULL',
      startsAt: NOW,
      endsAt: NOW + 2 * HOUR,
      createdBy: s.li.userId,
      createdAt: NOW,
      cancelledAt: null,
    });
    const entry = {
      id: sil.id,
      siteId: bj01,
      alarmName: 'DISK_FULL',
      endsAt: NOW + 2 * HOUR,
      createdBy: s.li.userId,
      createdByName: '李雷',
    };
    expect(await activeSilences(ds.manager, [bj01], NOW)).toEqual([entry]);
    expect(await activeSilences(ds.manager, [bj01], NOW + 2 * HOUR - 1)).toEqual([entry]);
    // ends_at is exclusive; not yet started is not in force either
    expect(await activeSilences(ds.manager, [bj01], NOW + 2 * HOUR)).toEqual([]);
    expect(await activeSilences(ds.manager, [bj01], NOW - 1)).toEqual([]);
    expect(await activeSilences(ds.manager, [s.sites.sh01.id], NOW)).toEqual([]);
    expect(await activeSilences(ds.manager, [], NOW)).toEqual([]);
  });

  it('stores an alarm name in the case the site’s alarms use; unknown names as given', async () => {
    const { ds } = db();
    const base = { userId: s.li.userId, siteId: s.sites.bj01.id, minutes: 10, now: NOW };
    expect((await silenceSite(ds, { ...base, alarmName: 'disk_full' })).alarmName).toBe(
      'DISK_FULL',
    );
    expect((await silenceSite(ds, { ...base, alarmName: 'Not_Seen_Yet' })).alarmName).toBe(
      'Not_Seen_Yet',
    );
    // MEM_HIGH is SH01's, not BJ01's
    expect((await silenceSite(ds, { ...base, alarmName: 'mem_high' })).alarmName).toBe('mem_high');
    expect((await silenceSite(ds, { ...base, alarmName: '  ' })).alarmName).toBeNull();
  });

  it('named silences cover that name, site-wide ones every alarm of the site', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    const named = await silenceSite(ds, {
      userId: s.li.userId,
      siteId: bj01.id,
      minutes: 60,
      alarmName: 'DISK_FULL',
      now: NOW,
    });
    const wide = await silenceSite(ds, {
      userId: s.admin.userId,
      siteId: sh01.id,
      minutes: 30,
      alarmName: null,
      now: NOW,
    });
    const active = await activeSilences(ds.manager, [bj01.id, sh01.id], NOW + MIN);
    expect(silenceFor(active, bj01.id, 'DISK_FULL')).toMatchObject({
      id: named.id,
      createdByName: '李雷',
    });
    expect(silenceFor(active, bj01.id, 'CPU_HIGH')).toBeNull();
    expect(silenceFor(active, sh01.id, 'MEM_HIGH')).toMatchObject({
      id: wide.id,
      alarmName: null,
      createdByName: 'admin',
    });
    expect(silenceFor(active, sh01.id, 'ANYTHING')?.id).toBe(wide.id);
    // listSilences adds the site, soonest ending first
    expect(
      (await listSilences(ds, [bj01.id, sh01.id], NOW + MIN)).map((l) => [
        l.id,
        l.siteCode,
        l.siteName,
        l.siteTimezone,
        l.alarmName,
        l.startsAt,
        l.endsAt,
      ]),
    ).toEqual([
      [wide.id, 'SH01', '上海移动', 'UTC', null, NOW, NOW + 30 * MIN],
      [named.id, 'BJ01', '北京一号', null, 'DISK_FULL', NOW, NOW + HOUR],
    ]);
    expect(await listSilences(ds, [bj01.id, sh01.id], NOW + 31 * MIN)).toHaveLength(1);
  });

  it('refuses durations outside 1 minute to 30 days and sites the user does not manage', async () => {
    const { ds } = db();
    const base = { userId: s.li.userId, siteId: s.sites.bj01.id, alarmName: null, now: NOW };
    for (const minutes of [0, -5, 1.5, MAX_SILENCE_MINUTES + 1]) {
      await expect(silenceSite(ds, { ...base, minutes })).rejects.toMatchObject({
        code: 'USAGE',
        message: `A silence lasts from 1 minute to 30 days (got ${minutes} minutes).`,
      });
    }
    const longest = await silenceSite(ds, { ...base, minutes: MAX_SILENCE_MINUTES });
    expect(longest.endsAt - longest.startsAt).toBe(30 * 24 * HOUR);
    await expect(
      silenceSite(ds, { ...base, minutes: 1, alarmName: 'X'.repeat(129) }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    const bj02 = s.sites.bj02.id;
    await expect(silenceSite(ds, { ...base, siteId: bj02, minutes: 10 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: `No site #${bj02}.`,
    });
    await expect(silenceSite(ds, { ...base, siteId: 99_999, minutes: 10 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'No site #99999.',
    });
    expect(await ds.getRepository(Silence).count()).toBe(1);
  });

  it('cancels a silence once; ended or cancelled ones are reported, others’ are not found', async () => {
    const { ds } = db();
    const sil = await silenceSite(ds, {
      userId: s.li.userId,
      siteId: s.sites.bj01.id,
      minutes: 60,
      alarmName: null,
      now: NOW,
    });
    await expect(
      cancelSilence(ds, { userId: s.wang.userId, silenceId: sil.id, now: NOW + MIN }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: `No silence #${sil.id}.` });
    await expect(
      cancelSilence(ds, { userId: s.li.userId, silenceId: 99_999, now: NOW + MIN }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No silence #99999.' });
    // an admin may end an operator's silence
    const first = await cancelSilence(ds, {
      userId: s.admin.userId,
      silenceId: sil.id,
      now: NOW + 10 * MIN,
    });
    expect(first.outcome).toBe('cancelled');
    expect(first.silence.cancelledAt).toBe(NOW + 10 * MIN);
    expect(await activeSilences(ds.manager, [s.sites.bj01.id], NOW + 11 * MIN)).toEqual([]);
    const again = await cancelSilence(ds, {
      userId: s.li.userId,
      silenceId: sil.id,
      now: NOW + 20 * MIN,
    });
    expect(again.outcome).toBe('already-cancelled');
    expect(again.silence.cancelledAt).toBe(NOW + 10 * MIN);

    const short = await silenceSite(ds, {
      userId: s.li.userId,
      siteId: s.sites.bj01.id,
      minutes: 5,
      alarmName: 'CPU_HIGH',
      now: NOW,
    });
    const ended = await cancelSilence(ds, {
      userId: s.li.userId,
      silenceId: short.id,
      now: NOW + 5 * MIN,
    });
    expect(ended.outcome).toBe('already-ended');
    expect(ended.silence.cancelledAt).toBeNull();
  });

  it('acknowledges an alarm once and reports who was first', async () => {
    const { ds } = db();
    const id = await alarmId('DISK_FULL');
    const first = await ackAlarm(ds, { userId: s.li.userId, alarmId: id, now: NOW });
    expect(first.already).toBe(false);
    expect(first.ackedByName).toBe('李雷');
    expect(first.alarm).toMatchObject({ id, ackedBy: s.li.userId, ackedAt: NOW, updatedAt: NOW });
    const second = await ackAlarm(ds, { userId: s.admin.userId, alarmId: id, now: NOW + HOUR });
    expect(second.already).toBe(true);
    expect(second.ackedByName).toBe('李雷');
    expect(second.alarm).toMatchObject({ ackedBy: s.li.userId, ackedAt: NOW });
    const row = await ds.getRepository(Alarm).findOneByOrFail({ id });
    expect([row.ackedBy, row.ackedAt]).toEqual([s.li.userId, NOW]);
  });

  it('two people acknowledging at once: exactly one is first', async () => {
    const { ds } = db();
    const id = await alarmId('CPU_HIGH');
    const results = await Promise.all([
      ackAlarm(ds, { userId: s.li.userId, alarmId: id, now: NOW }),
      ackAlarm(ds, { userId: s.admin.userId, alarmId: id, now: NOW + 1 }),
    ]);
    expect(results.filter((r) => !r.already)).toHaveLength(1);
    const winner = results.find((r) => !r.already)!;
    expect(results.map((r) => r.alarm.ackedBy)).toEqual([
      winner.alarm.ackedBy,
      winner.alarm.ackedBy,
    ]);
  });

  it('an alarm of another user’s site is answered exactly like a nonexistent one', async () => {
    const { ds } = db();
    const id = await alarmId('MEM_HIGH'); // SH01, not wang's
    const other = await ackAlarm(ds, { userId: s.wang.userId, alarmId: id, now: NOW }).catch(
      (e: Error) => e,
    );
    const missing = await ackAlarm(ds, {
      userId: s.wang.userId,
      alarmId: 99_999,
      now: NOW,
    }).catch((e: Error) => e);
    expect(other).toMatchObject({ code: 'NOT_FOUND', message: `No alarm #${id}.` });
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'No alarm #99999.' });
    expect(Object.keys(other)).toEqual(Object.keys(missing));
    expect((await ds.getRepository(Alarm).findOneByOrFail({ id })).ackedBy).toBeNull();
  });

  it('a resolved alarm cannot be acknowledged', async () => {
    const { ds } = db();
    const id = await alarmId('NODE_DOWN');
    await expect(
      ackAlarm(ds, { userId: s.li.userId, alarmId: id, now: NOW }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `Alarm #${id} is resolved; only active alarms can be acknowledged.`,
    });
    expect((await ds.getRepository(Alarm).findOneByOrFail({ id })).ackedBy).toBeNull();
  });
});
