// Tests of 静默 / 解除静默 / 确认 through the router on both engines: exact replies, durations, ids, rooms, access and refusal logs.
import { Alarm, Silence, Site } from '../../entities';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import { SILENCE_USAGE } from '../../commands/silence';
import type { Caller, Reply, RoomContext } from '../../commands/types';
import { addUser } from '../../src/admin/users';
import { ackAlarm, canManageSite, cancelSilence, silenceSite } from '../../src/alarms/silences';
import { describeEachEngine, resetDb } from '../helpers/db';
import { captureLog } from '../helpers/log';
import { HOUR, NOW, room, seed, testDeps, type Seeded, type TestDeps } from './seed';

const texts = (r: Reply[]) => r.map((x) => (x.kind === 'text' ? x.text : `[image ${x.name}]`));

describeEachEngine('静默 / 解除静默 / 确认', (db) => {
  let s: Seeded;
  let t: TestDeps;
  let ask: (text: string, caller: Caller, r?: RoomContext | null) => Promise<string[]>;
  const lastSilence = async () =>
    (
      await db()
        .ds.getRepository(Silence)
        .find({ order: { id: 'DESC' }, take: 1 })
    )[0];
  const silenceCount = () => db().ds.getRepository(Silence).count();
  const alarmId = async (name: string) =>
    (await db().ds.getRepository(Alarm).findOneByOrFail({ name })).id;

  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });
  beforeEach(async () => {
    await db().ds.query('DELETE FROM silence');
    await db().ds.query('UPDATE alarm SET acked_by = NULL, acked_at = NULL');
    t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    ask = async (text, caller, r = null) => texts(await router.handle(text, caller, r));
  });

  it('静默 silences one alarm name or the whole site, until a time in the site’s zone', async () => {
    expect(await ask('静默 BJ01 2小时 DISK_FULL', s.li)).toEqual([
      `已静默北京一号（BJ01）的 DISK_FULL 告警 2小时，至 11-25 23:00（静默编号 ${(await lastSilence()).id}）。`,
    ]);
    expect(await lastSilence()).toMatchObject({
      siteId: s.sites.bj01.id,
      alarmName: 'DISK_FULL',
      startsAt: NOW,
      endsAt: NOW + 2 * HOUR,
      createdBy: s.li.userId,
      cancelledAt: null,
    });
    expect(await ask('silence 北京一号 90分钟', s.li)).toEqual([
      `已静默北京一号（BJ01）的全部告警 1小时30分，至 11-25 22:30（静默编号 ${(await lastSilence()).id}）。`,
    ]);
    expect((await lastSilence()).alarmName).toBeNull();
    // SH01 shows its times in UTC; the name takes the case the site's files use
    expect(await ask('静默 sh 1d mem_high', s.li)).toEqual([
      `已静默上海移动（SH01）的 MEM_HIGH 告警 1天，至 11-26 13:00（静默编号 ${(await lastSilence()).id}）。`,
    ]);
    // the only visible site needs no argument; a duration written apart; written without a space
    expect(await ask('静默 30m', s.wang)).toEqual([
      `已静默北京二号（BJ02）的全部告警 30分，至 11-25 21:30（静默编号 ${(await lastSilence()).id}）。`,
    ]);
    expect(await ask('静默 BJ01 2 小时 NEW_ALARM', s.li)).toEqual([
      `已静默北京一号（BJ01）的 NEW_ALARM 告警 2小时，至 11-25 23:00（静默编号 ${(await lastSilence()).id}）。`,
    ]);
    expect(await ask('静默BJ01 1h30m', s.admin)).toEqual([
      `已静默北京一号（BJ01）的全部告警 1小时30分，至 11-25 22:30（静默编号 ${(await lastSilence()).id}）。`,
    ]);
    expect(await silenceCount()).toBe(6);
  });

  it('静默 without arguments lists the silences in force on the visible sites', async () => {
    expect(await ask('静默', s.li)).toEqual([`当前没有静默。\n${SILENCE_USAGE}`]);
    await ask('静默 BJ01 2h DISK_FULL', s.li);
    const a = (await lastSilence()).id;
    await ask('静默 SH01 1h', s.admin);
    const b = (await lastSilence()).id;
    await ask('静默 BJ02 3h', s.wang);
    expect(await ask('静默', s.li)).toEqual([
      [
        '当前静默 2 条：',
        `#${b} 上海移动（SH01）的全部告警，至 11-25 14:00（admin）`,
        `#${a} 北京一号（BJ01）的 DISK_FULL 告警，至 11-25 23:00（李雷）`,
        '解除：解除静默 <静默编号>',
      ].join('\n'),
    ]);
    expect(await ask('静默', s.li, room('北京运维', s.sites.bj01, s.sites.bj02))).toEqual([
      [
        '当前静默 1 条：',
        `#${a} 北京一号（BJ01）的 DISK_FULL 告警，至 11-25 23:00（李雷）`,
        '解除：解除静默 <静默编号>',
      ].join('\n'),
    ]);
  });

  it('静默 answers bad or out-of-range durations with the usage, and stores nothing', async () => {
    expect(SILENCE_USAGE).toBe(
      '用法：静默 <局点> <时长> [告警名]，时长如 30m、2h、1d、90分钟、2小时、1天（最长 30 天）；不写告警名则静默该局点的全部告警。',
    );
    for (const q of ['静默 BJ01', '静默 BJ01 2x', '静默 BJ01 两小时', 'silence BJ01 90']) {
      expect(await ask(q, s.li)).toEqual([SILENCE_USAGE]);
    }
    for (const q of ['静默 BJ01 31d', '静默 BJ01 0m', '静默 BJ01 721h']) {
      expect(await ask(q, s.li)).toEqual(['静默时长应在 1 分钟到 30 天之间。']);
    }
    expect(await silenceCount()).toBe(0);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'li', text: '静默 BJ01 2x', reason: 'bad duration' }),
    );
  });

  it('静默 answers a duration whose number is not a whole count with the range, not the usage', async () => {
    const range = ['静默时长应在 1 分钟到 30 天之间。'];
    for (const q of [
      '静默 BJ01 -5m',
      '静默 BJ01 1e309h',
      '静默 BJ01 1.5h',
      '静默 BJ01 0.5天',
      '静默 BJ01 9999999m',
      '静默 BJ01 -2 小时',
      '静默 BJ01 1e309h DISK_FULL',
      '静默 GZ 1e309h',
    ]) {
      expect(await ask(q, s.li)).toEqual(range);
    }
    expect(await silenceCount()).toBe(0);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        login: 'li',
        text: '静默 BJ01 -5m',
        reason: 'duration out of range',
      }),
    );
  });

  it('静默 with an alarm name over 128 characters is refused in words, logged capped at warn, and stores nothing', async () => {
    const { log, lines } = captureLog();
    const router = createCommandRouter(createCommandRegistry(), { ...t.deps, log });
    const name = 'N'.repeat(100 * 1024);
    const reply = await router.handle(`静默 BJ01 1h ${name}`, s.li, null);
    expect(texts(reply)).toEqual(['告警名最多 128 个字符。']);
    expect(texts(await router.handle(`静默 BJ01 1h ${'N'.repeat(129)}`, s.li, null))).toEqual([
      '告警名最多 128 个字符。',
    ]);
    expect(await silenceCount()).toBe(0);
    const logged = `静默 BJ01 1h ${name}`;
    expect(lines.map(({ time: _time, ...l }) => l)).toEqual([
      {
        level: 40,
        msg: 'command refused',
        login: 'li',
        room: null,
        text: `${logged.slice(0, 500)}…(${logged.length} chars)`,
        reason: 'alarm name too long',
      },
      {
        level: 40,
        msg: 'command refused',
        login: 'li',
        room: null,
        text: `静默 BJ01 1h ${'N'.repeat(129)}`,
        reason: 'alarm name too long',
      },
    ]);
    expect(logged.length).toBe(102_411);
    // 128 characters are fine
    expect(await ask(`静默 BJ01 1h ${'N'.repeat(128)}`, s.li)).toEqual([
      `已静默北京一号（BJ01）的 ${'N'.repeat(128)} 告警 1小时，至 11-25 22:00（静默编号 ${(await lastSilence()).id}）。`,
    ]);
  });

  it('静默 is refused for sites not the caller’s and, in a room, not the room’s', async () => {
    expect(await ask('静默 BJ02 2h', s.li)).toEqual([
      '没有找到该局点。您可查询的局点：BJ01 北京一号、SH01 上海移动',
    ]);
    const r = room('北京运维', s.sites.bj01, s.sites.bj02);
    expect(await ask('静默 SH01 2h', s.li, r)).toEqual([
      '没有找到该局点。本群可查询的局点：BJ01 北京一号',
    ]);
    expect(await ask('静默 北京 2h', s.admin, r)).toEqual([
      '“北京”对应多个局点：BJ01 北京一号、BJ02 北京二号，请说得更具体些。',
    ]);
    expect(await silenceCount()).toBe(0);
    // in the room, li's only site there needs no argument
    expect(await ask('静默 2h', s.li, r)).toEqual([
      `已静默北京一号（BJ01）的全部告警 2小时，至 11-25 23:00（静默编号 ${(await lastSilence()).id}）。`,
    ]);
  });

  it('解除静默 ends a silence once; others’ silences are not found', async () => {
    await ask('静默 BJ01 2h DISK_FULL', s.li);
    const id = (await lastSilence()).id;
    const missing = await ask('解除静默 99999', s.wang);
    expect(missing).toEqual(['没有找到静默 #99999。']);
    expect(await ask(`解除静默 ${id}`, s.wang)).toEqual([`没有找到静默 #${id}。`]);
    expect(await ask(`解除静默 ${id}`, s.li, room('上海群', s.sites.sh01))).toEqual([
      `没有找到静默 #${id}。`,
    ]);
    expect(await ask(`unsilence #${id}`, s.li)).toEqual([
      `已解除静默 #${id}（北京一号（BJ01）的 DISK_FULL 告警）。`,
    ]);
    expect((await lastSilence()).cancelledAt).toBe(NOW);
    expect(await ask(`解除静默 ${id}`, s.admin)).toEqual([`静默 #${id} 已于 11-25 21:00 解除。`]);
    const old = await silenceSite(db().ds, {
      userId: s.li.userId,
      siteId: s.sites.sh01.id,
      minutes: 60,
      alarmName: null,
      now: NOW - 2 * HOUR,
    });
    expect(await ask(`解除静默 ${old.id}`, s.li)).toEqual([
      `静默 #${old.id} 已于 11-25 12:00 到期。`,
    ]);
    const usage = '用法：解除静默 <静默编号>；发送“静默”查看当前静默及其编号。';
    expect(await ask('解除静默', s.li)).toEqual([usage]);
    expect(await ask('解除静默 abc', s.li)).toEqual([usage]);
  });

  it('确认 and 解除静默 answer a number that cannot be an id with what an id is', async () => {
    const alarmIdText = ['告警编号应为正整数；编号见“告警”列表中的 #编号。'];
    const silenceIdText = ['静默编号应为正整数；发送“静默”查看当前静默及其编号。'];
    for (const n of ['0', '-5', '1.5', '1e309', '#-1', '#0', '－３']) {
      expect(await ask(`确认 ${n}`, s.li)).toEqual(alarmIdText);
      expect(await ask(`解除静默 ${n}`, s.li)).toEqual(silenceIdText);
    }
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'li', text: '确认 1.5', reason: 'bad id number' }),
    );
    // a whole number is an id, found or not
    expect(await ask('确认 99999999999', s.li)).toEqual(['没有找到告警 #99999999999。']);
    expect(await ask('解除静默 ＃９９９', s.li)).toEqual(['没有找到静默 #999。']);
    expect(
      await db()
        .ds.getRepository(Alarm)
        .find({ where: { ackedBy: s.li.userId } }),
    ).toEqual([]);
  });

  it('确认 acknowledges an alarm once and then says who did', async () => {
    const disk = await alarmId('DISK_FULL');
    expect(await ask(`确认 ${disk}`, s.li)).toEqual([
      `已确认告警 #${disk} DISK_FULL（db01），不再提醒。`,
    ]);
    const row = await db().ds.getRepository(Alarm).findOneByOrFail({ id: disk });
    expect([row.ackedBy, row.ackedAt]).toEqual([s.li.userId, NOW]);
    expect(await ask(`ack #${disk}`, s.admin)).toEqual([
      `告警 #${disk} 已由 李雷 于 11-25 21:00 确认。`,
    ]);
    // SH01 times are UTC
    const mem = await alarmId('MEM_HIGH');
    expect(await ask(`确认 ${mem}`, s.admin)).toEqual([
      `已确认告警 #${mem} MEM_HIGH（app01），不再提醒。`,
    ]);
    expect(await ask(`确认 ${mem}`, s.li)).toEqual([
      `告警 #${mem} 已由 admin 于 11-25 13:00 确认。`,
    ]);
    const down = await alarmId('NODE_DOWN');
    expect(await ask(`确认 ${down}`, s.li)).toEqual([
      `告警 #${down} 已于 11-25 17:00 恢复，无需确认。`,
    ]);
    const usage = '用法：确认 <告警编号>；编号见“告警”列表中的 #编号。';
    expect(await ask('确认', s.li)).toEqual([usage]);
    expect(await ask('确认 DISK_FULL', s.li)).toEqual([usage]);
  });

  it('确认 of an alarm on a site not the caller’s (or the room’s) reads like a nonexistent one', async () => {
    const mem = await alarmId('MEM_HIGH'); // SH01
    expect(await ask('确认 99999', s.wang)).toEqual(['没有找到告警 #99999。']);
    expect(await ask(`确认 ${mem}`, s.wang)).toEqual([`没有找到告警 #${mem}。`]);
    expect(await ask(`确认 ${mem}`, s.li, room('北京运维', s.sites.bj01))).toEqual([
      `没有找到告警 #${mem}。`,
    ]);
    expect((await db().ds.getRepository(Alarm).findOneByOrFail({ id: mem })).ackedBy).toBeNull();
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'wang', text: `确认 ${mem}`, reason: 'unknown alarm' }),
    );
  });

  it('a user who manages a disabled site can neither silence nor ack there: answered like a nonexistent site', async () => {
    const { ds } = db();
    const off = await ds.getRepository(Site).findOneByOrFail({ code: 'OFF1' });
    const zhaoUser = await addUser(
      ds,
      { login: 'zhao', password: 'password-1', displayName: '赵六', sites: ['OFF1', 'BJ02'] },
      NOW,
    );
    const zhao: Caller = {
      userId: zhaoUser.id,
      login: 'zhao',
      displayName: '赵六',
      role: 'operator',
    };
    await ds.getRepository(Alarm).insert({
      siteId: off.id,
      name: 'OFF_ALARM',
      node: 'n1',
      description: 'on a disabled site',
      raisedAt: NOW - HOUR,
      resumedAt: null,
      state: 'active',
      lastSeenAt: NOW - HOUR,
      createdAt: NOW - HOUR,
      updatedAt: NOW - HOUR,
    });
    const offAlarm = await alarmId('OFF_ALARM');
    // the chat
    const unknownSite = ['没有找到该局点。您可查询的局点：BJ02 北京二号'];
    expect(await ask('静默 NOPE 2h', zhao)).toEqual(unknownSite);
    expect(await ask('静默 OFF1 2h', zhao)).toEqual(unknownSite);
    expect(await ask('静默 停用局点 2h', s.admin)).toEqual(
      await ask('静默 不存在的局点 2h', s.admin),
    );
    expect(await ask(`确认 ${offAlarm}`, zhao)).toEqual([`没有找到告警 #${offAlarm}。`]);
    expect(await ask(`确认 ${offAlarm}`, s.admin)).toEqual([`没有找到告警 #${offAlarm}。`]);
    // the domain rule the CLI and the portal rely on: the same error as for a nonexistent site
    for (const userId of [zhao.userId, s.admin.userId]) {
      expect(await canManageSite(ds, userId, off.id)).toBe(false);
      const base = { userId, minutes: 60, alarmName: null, now: NOW };
      const disabled = await silenceSite(ds, { ...base, siteId: off.id }).catch((e: Error) => e);
      const missing = await silenceSite(ds, { ...base, siteId: 99_999 }).catch((e: Error) => e);
      expect(disabled).toMatchObject({ code: 'NOT_FOUND', message: `No site #${off.id}.` });
      expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'No site #99999.' });
      await expect(ackAlarm(ds, { userId, alarmId: offAlarm, now: NOW })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: `No alarm #${offAlarm}.`,
      });
    }
    const [{ id: offSilence }] = await ds.getRepository(Silence).save([
      {
        siteId: off.id,
        alarmName: null,
        startsAt: NOW,
        endsAt: NOW + HOUR,
        createdBy: zhao.userId,
        createdAt: NOW,
        cancelledAt: null,
      },
    ]);
    await expect(
      cancelSilence(ds, { userId: zhao.userId, silenceId: offSilence, now: NOW }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', message: `No silence #${offSilence}.` });
    expect(await ask(`解除静默 ${offSilence}`, zhao)).toEqual([`没有找到静默 #${offSilence}。`]);
    expect(await silenceCount()).toBe(1);
    expect((await ds.getRepository(Alarm).findOneByOrFail({ id: offAlarm })).ackedBy).toBeNull();
    // zhao's enabled site is still zhao's
    expect(await canManageSite(ds, zhao.userId, s.sites.bj02.id)).toBe(true);
  });
});
