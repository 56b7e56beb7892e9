// Reminders and escalation on both engines with a fake clock: the schedule, acks, silences, and stale alarms.
import { builtInAlarmDict } from '../../config/alarm-dict';
import { Alarm } from '../../entities';
import { createReminders, markStale } from '../../src/alarms/reminders';
import type { AlarmItem } from '../../src/outbox/notices';
import { describeEachEngine, resetDb } from '../helpers/db';
import {
  HOUR,
  MIN,
  NOW,
  RECIPIENTS,
  addAlarm,
  addSilence,
  clearAlarmData,
  noticeSite,
  outboxRows,
  seedAlarms,
  type AlarmSeed,
  type StoredMessage,
} from './seed';

const EVERY = 2 * HOUR;
const T0 = NOW;

const BJ01_RECIPIENTS = [
  ['email', 'li@example.com'],
  ['wechat', 'room:北京运维群'],
  ['wechat', 'user:li'],
  ['wecom', 'bj-robot'],
];
const SH01_RECIPIENTS = [
  ['email', 'li@example.com'],
  ['email', 'zhao@example.com'],
  ['wechat', 'room:上海运维群'],
  ['wechat', 'user:li'],
];
const ADMINS = [
  ['email', 'admin@example.com'],
  ['wecom', 'bj-robot'],
];

describeEachEngine('reminders', (db) => {
  let s: AlarmSeed;
  const reminders = () =>
    createReminders({
      ds: db().ds,
      dict: new Map(Object.entries(builtInAlarmDict)),
      recipients: RECIPIENTS,
      defaultTz: 'Asia/Shanghai',
      everyMs: EVERY,
      maxReminders: 2,
    });
  /** Messages queued at `at`, as [channel, recipient]. */
  const queuedAt = (rows: StoredMessage[], at: number) =>
    rows.filter((r) => r.notice.at === at).map((r) => [r.channel, r.recipient]);
  const itemsAt = (rows: StoredMessage[], at: number) =>
    rows.find((r) => r.notice.at === at)?.notice.items as AlarmItem[];
  const alarm = (id: number) => db().ds.getRepository(Alarm).findOneByOrFail({ id });

  beforeAll(async () => {
    await resetDb(db());
    s = await seedAlarms(db().ds);
  });
  beforeEach(() => clearAlarmData(db().ds));

  it('reminds every interval up to the limit, then escalates once to the admins; acked, silenced and unannounced alarms wait', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    const cpu = await addAlarm(ds, {
      siteId: bj01.id,
      name: 'CPU_HIGH',
      node: 'app01',
      description: 'cpu over 90%',
      raisedAt: T0 - 5 * MIN,
      notifiedAt: T0,
    });
    const acked = await addAlarm(ds, {
      siteId: bj01.id,
      name: 'DISK_FULL',
      node: 'db01',
      description: 'disk / at 90%',
      raisedAt: T0 - 5 * MIN,
      notifiedAt: T0,
      ackedBy: s.users.li.id,
      ackedAt: T0 + MIN,
    });
    const resolved = await addAlarm(ds, {
      siteId: bj01.id,
      name: 'PROCESS_DOWN',
      node: 'app02',
      description: 'nginx down',
      raisedAt: T0 - 5 * MIN,
      resumedAt: T0 + HOUR,
      notifiedAt: T0,
    });
    // Never announced (raised already resolved, or before notifications existed): no reminders.
    const unannounced = await addAlarm(ds, {
      siteId: bj01.id,
      name: 'LINK_DOWN',
      node: 'gw01',
      description: 'link down',
      raisedAt: T0 - 5 * MIN,
    });
    const mem = await addAlarm(ds, {
      siteId: sh01.id,
      name: 'MEM_HIGH',
      node: 'app01',
      description: 'memory over 85%',
      raisedAt: T0 - 10 * MIN,
      notifiedAt: T0,
    });
    await addSilence(ds, {
      siteId: sh01.id,
      alarmName: 'mem_high',
      startsAt: T0,
      endsAt: T0 + 5 * HOUR,
      userId: s.users.zhao.id,
    });
    const r = reminders();
    const steps: [number, { reminded: number; escalated: number; messages: number }][] = [
      [T0 + EVERY - 1, { reminded: 0, escalated: 0, messages: 0 }],
      [T0 + EVERY, { reminded: 1, escalated: 0, messages: 4 }],
      [T0 + EVERY + HOUR, { reminded: 0, escalated: 0, messages: 0 }],
      [T0 + 2 * EVERY, { reminded: 1, escalated: 0, messages: 4 }],
      // The silence on MEM_HIGH has ended: its reminders resume.
      [T0 + 5 * HOUR, { reminded: 1, escalated: 0, messages: 4 }],
      [T0 + 3 * EVERY, { reminded: 0, escalated: 1, messages: 2 }],
      [T0 + 7 * HOUR, { reminded: 1, escalated: 0, messages: 4 }],
      [T0 + 9 * HOUR, { reminded: 0, escalated: 1, messages: 2 }],
      [T0 + 20 * HOUR, { reminded: 0, escalated: 0, messages: 0 }],
      [T0 + 100 * HOUR, { reminded: 0, escalated: 0, messages: 0 }],
    ];
    for (const [at, expected] of steps) expect([at, await r.run(at)]).toEqual([at, expected]);

    const rows = await outboxRows(ds);
    expect(rows).toHaveLength(20);
    expect(queuedAt(rows, T0 + EVERY)).toEqual(BJ01_RECIPIENTS);
    expect(queuedAt(rows, T0 + 2 * EVERY)).toEqual(BJ01_RECIPIENTS);
    expect(queuedAt(rows, T0 + 5 * HOUR)).toEqual(SH01_RECIPIENTS);
    expect(queuedAt(rows, T0 + 3 * EVERY)).toEqual(ADMINS);
    expect(queuedAt(rows, T0 + 7 * HOUR)).toEqual(SH01_RECIPIENTS);
    expect(queuedAt(rows, T0 + 9 * HOUR)).toEqual(ADMINS);

    const cpuItem = {
      alarmId: cpu.id,
      name: 'CPU_HIGH',
      node: 'app01',
      description: 'cpu over 90%',
      raisedAt: T0 - 5 * MIN,
      resumedAt: null,
      title: 'CPU 使用率过高',
      severity: 'major',
      action: '查看占用 CPU 最多的进程，必要时扩容或限流',
      source: 'site',
      ackedBy: null,
      silencedBy: null,
    };
    expect(itemsAt(rows, T0 + EVERY)).toEqual([{ ...cpuItem, event: 'reminder', reminder: 1 }]);
    expect(itemsAt(rows, T0 + 2 * EVERY)).toEqual([{ ...cpuItem, event: 'reminder', reminder: 2 }]);
    const escalation = rows.find((r) => r.notice.at === T0 + 3 * EVERY)!;
    expect(escalation).toMatchObject({ kind: 'alarms', siteId: bj01.id, status: 'pending' });
    expect(escalation.notice).toEqual({
      kind: 'alarms',
      site: noticeSite(bj01),
      at: T0 + 3 * EVERY,
      items: [{ ...cpuItem, event: 'escalated', reminder: 2 }],
      more: 0,
    });
    expect(itemsAt(rows, T0 + 5 * HOUR).map((i) => [i.alarmId, i.event, i.reminder])).toEqual([
      [mem.id, 'reminder', 1],
    ]);
    expect(itemsAt(rows, T0 + 9 * HOUR).map((i) => [i.alarmId, i.event, i.reminder])).toEqual([
      [mem.id, 'escalated', 2],
    ]);
    expect(rows.find((r) => r.notice.at === T0 + 9 * HOUR)!.notice.site).toEqual(noticeSite(sh01));

    expect(await alarm(cpu.id)).toMatchObject({
      remindersSent: 2,
      lastRemindedAt: T0 + 2 * EVERY,
      escalatedAt: T0 + 3 * EVERY,
    });
    expect(await alarm(mem.id)).toMatchObject({
      remindersSent: 2,
      lastRemindedAt: T0 + 7 * HOUR,
      escalatedAt: T0 + 9 * HOUR,
    });
    for (const quiet of [acked, resolved, unannounced]) {
      expect(await alarm(quiet.id)).toMatchObject({
        remindersSent: 0,
        lastRemindedAt: null,
        escalatedAt: null,
      });
    }
  });

  it('an acknowledgement stops further reminders and the escalation', async () => {
    const { ds } = db();
    const a = await addAlarm(ds, {
      siteId: s.sites.bj01.id,
      name: 'SW_SERVER_SILENT',
      node: 'db01',
      description: 'db01 停止上报 30 分钟',
      raisedAt: T0,
      notifiedAt: T0,
      source: 'sitewatch',
    });
    const r = reminders();
    expect(await r.run(T0 + EVERY)).toEqual({ reminded: 1, escalated: 0, messages: 4 });
    const [first] = await outboxRows(ds);
    expect((first.notice.items as AlarmItem[])[0]).toMatchObject({
      event: 'reminder',
      reminder: 1,
      source: 'sitewatch',
      title: '服务器停止上报',
      severity: 'major',
    });
    await ds.getRepository(Alarm).update(a.id, { ackedBy: s.users.wang.id, ackedAt: T0 + HOUR });
    for (const at of [T0 + 2 * EVERY, T0 + 3 * EVERY, T0 + 10 * EVERY])
      expect(await r.run(at)).toEqual({ reminded: 0, escalated: 0, messages: 0 });
    expect(await outboxRows(ds)).toHaveLength(4);
  });

  it('a site-wide silence holds every alarm of the site, and a second run at the same time queues nothing twice', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    await addAlarm(ds, {
      siteId: bj01.id,
      name: 'CPU_HIGH',
      node: 'app01',
      description: 'cpu',
      raisedAt: T0,
      notifiedAt: T0,
    });
    await addAlarm(ds, {
      siteId: sh01.id,
      name: 'MEM_HIGH',
      node: 'app01',
      description: 'mem',
      raisedAt: T0,
      notifiedAt: T0,
    });
    await addSilence(ds, {
      siteId: bj01.id,
      alarmName: null,
      startsAt: T0,
      endsAt: T0 + 10 * HOUR,
      userId: s.users.admin.id,
    });
    const r = reminders();
    expect(await r.run(T0 + EVERY)).toEqual({ reminded: 1, escalated: 0, messages: 4 });
    expect(await r.run(T0 + EVERY)).toEqual({ reminded: 0, escalated: 0, messages: 0 });
    expect((await outboxRows(ds)).map((m) => m.siteId)).toEqual([
      sh01.id,
      sh01.id,
      sh01.id,
      sh01.id,
    ]);
  });

  it('markStale retires only site alarms unseen for the limit, and returns how many', async () => {
    const { ds } = db();
    const { bj01 } = s.sites;
    const STALE = 48 * HOUR;
    const add = (
      name: string,
      lastSeenAt: number,
      more: Partial<Parameters<typeof addAlarm>[1]> = {},
    ) =>
      addAlarm(ds, {
        siteId: bj01.id,
        name,
        node: 'n',
        description: name,
        raisedAt: NOW - 100 * HOUR,
        lastSeenAt,
        notifiedAt: NOW - 100 * HOUR,
        ...more,
      });
    const old = await add('OLD', NOW - STALE - 1);
    const older = await add('OLDER', NOW - 72 * HOUR);
    const edge = await add('EDGE', NOW - STALE);
    const fresh = await add('FRESH', NOW - HOUR);
    const own = await add('SW_SERVER_SILENT', NOW - 100 * HOUR, { source: 'sitewatch' });
    const done = await add('DONE', NOW - 100 * HOUR, { resumedAt: NOW - 90 * HOUR });
    expect(await markStale(ds, NOW, STALE)).toBe(2);
    const state = async (a: Alarm) => {
      const x = await alarm(a.id);
      return [x.state, x.staleAt];
    };
    expect(await state(old)).toEqual(['stale', NOW]);
    expect(await state(older)).toEqual(['stale', NOW]);
    expect(await state(edge)).toEqual(['active', null]);
    expect(await state(fresh)).toEqual(['active', null]);
    expect(await state(own)).toEqual(['active', null]);
    expect(await state(done)).toEqual(['resolved', null]);
    expect(await markStale(ds, NOW + MIN, STALE)).toBe(1);
    expect(await state(edge)).toEqual(['stale', NOW + MIN]);
    expect(await markStale(ds, NOW + 2 * MIN, STALE)).toBe(0);
    // Stale alarms get no reminders; the still active ones do.
    const res = await reminders().run(NOW + 2 * MIN);
    expect(res).toEqual({ reminded: 2, escalated: 0, messages: 4 });
    const rows = await outboxRows(ds);
    expect(((rows[0].notice.items as AlarmItem[]) ?? []).map((i) => i.name)).toEqual([
      'FRESH',
      'SW_SERVER_SILENT',
    ]);
  });
});
