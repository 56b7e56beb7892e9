// The alarm notifier on both engines: one grouped notice per site and recipient, dictionary titles, history, silences, dedupe, rollback.
import { builtInAlarmDict } from '../../config/alarm-dict';
import { Alarm, Silence } from '../../entities';
import { createAlarmNotifier, HISTORY_MS } from '../../src/alarms/notifier';
import { withTransaction } from '../../src/db/tx';
import type { AlarmEvent, AlarmItem } from '../../src/outbox/notices';
import { adminRecipients, siteRecipients } from '../../src/queries/recipients';
import type { AlarmChange } from '../../src/types/alarm-change';
import { describeEachEngine, resetDb } from '../helpers/db';
import {
  DAY,
  HOUR,
  MIN,
  NOW,
  RECIPIENTS,
  addAlarm,
  channelsFor,
  addSilence,
  clearAlarmData,
  noticeSite,
  outboxRows,
  seedAlarms,
  type AlarmSeed,
} from './seed';

const dict = new Map(Object.entries(builtInAlarmDict));

function change(a: Alarm, kind: AlarmChange['change']): AlarmChange {
  return {
    alarmId: a.id,
    siteId: a.siteId,
    change: kind,
    name: a.name,
    node: a.node,
    description: a.description,
    raisedAt: a.raisedAt,
    resumedAt: kind === 'raised' ? null : a.resumedAt,
  };
}

/** The item a notice lists for alarm `a`, with the dictionary entry given by hand. */
function item(
  a: Alarm,
  event: AlarmEvent,
  d: { title: string; severity: AlarmItem['severity']; action: string },
  extra: Partial<AlarmItem> = {},
): AlarmItem {
  return {
    alarmId: a.id,
    event,
    name: a.name,
    node: a.node,
    description: a.description,
    raisedAt: a.raisedAt,
    resumedAt: event === 'raised' ? null : a.resumedAt,
    ...d,
    source: a.source,
    ackedBy: null,
    silencedBy: null,
    ...extra,
  };
}

const CPU = {
  title: 'CPU 使用率过高',
  severity: 'major',
  action: '查看占用 CPU 最多的进程，必要时扩容或限流',
} as const;
const DISK = {
  title: '磁盘空间不足',
  severity: 'critical',
  action: '清理日志与临时文件，或扩容磁盘',
} as const;
const PROC = {
  title: '进程停止',
  severity: 'critical',
  action: '登录服务器查看进程日志并重启进程',
} as const;
const UNKNOWN = { title: 'MY_CUSTOM_ALARM', severity: 'info', action: '' } as const;
const FILE = {
  title: '局点文件缺失',
  severity: 'major',
  action: '检查局点的采集脚本与文件服务是否正常',
} as const;
const MEM = {
  title: '内存使用率过高',
  severity: 'major',
  action: '检查内存泄漏的进程，必要时重启服务',
} as const;
const LINK = { title: '链路中断', severity: 'critical', action: '检查网络连接与对端设备' } as const;

describeEachEngine('alarm notifier', (db) => {
  let s: AlarmSeed;
  let al: Record<string, Alarm>;
  let changes: AlarmChange[];
  const notifier = createAlarmNotifier({
    dict,
    recipients: RECIPIENTS,
    defaultTz: 'Asia/Shanghai',
  });
  const notify = (c: AlarmChange[], now = NOW) =>
    withTransaction(db().ds, (em) => notifier.onAlarmChanges(em, c, now));
  const notifiedAt = async () => {
    const rows = await db()
      .ds.getRepository(Alarm)
      .find({ order: { id: 'ASC' } });
    return Object.fromEntries(
      Object.entries(al).map(([k, a]) => [k, rows.find((r) => r.id === a.id)!.notifiedAt]),
    );
  };

  beforeAll(async () => {
    await resetDb(db());
    s = await seedAlarms(db().ds);
  });

  beforeEach(async () => {
    const { ds } = db();
    await clearAlarmData(ds);
    const { bj01, sh01 } = s.sites;
    const add = (
      siteId: number,
      name: string,
      node: string,
      description: string,
      raisedAt: number,
      more: Partial<Parameters<typeof addAlarm>[1]> = {},
    ) => addAlarm(ds, { siteId, name, node, description, raisedAt, ...more });
    al = {
      a1: await add(bj01.id, 'CPU_HIGH', 'app01', 'cpu over 90% for 5 minutes', NOW - 5 * MIN),
      a2: await add(bj01.id, 'DISK_FULL', 'db01', '/data 使用率 95%', NOW - 3 * MIN),
      a3: await add(bj01.id, 'PROCESS_DOWN', 'app02', 'nginx 进程停止', NOW - 20 * MIN, {
        resumedAt: NOW - 2 * MIN,
      }),
      a4: await add(bj01.id, 'MY_CUSTOM_ALARM', 'gw01', '自定义告警', NOW - MIN),
      a5: await add(
        bj01.id,
        'SW_FILE_MISSING',
        'system_info',
        '今天的 system_info 文件不存在',
        NOW,
        {
          source: 'sitewatch',
        },
      ),
      b1: await add(sh01.id, 'MEM_HIGH', 'app01', 'memory over 85%', NOW - 10 * MIN),
      b2: await add(sh01.id, 'LINK_DOWN', 'gw02', '到 HLR 的链路中断', NOW - 3 * DAY, {
        resumedAt: NOW - HISTORY_MS - 1,
      }),
      b3: await add(sh01.id, 'LINK_DOWN', 'gw03', '到 SCP 的链路中断', NOW - HOUR, {
        resumedAt: NOW - 30 * MIN,
        ackedBy: s.users.li.id,
        ackedAt: NOW - 40 * MIN,
        notifiedAt: NOW - HOUR,
      }),
      b4: await add(sh01.id, 'LINK_DOWN', 'gw04', '到 STP 的链路中断', NOW - 2 * DAY, {
        resumedAt: NOW - HISTORY_MS,
      }),
    };
    changes = [
      change(al.a1, 'raised'),
      change(al.b1, 'raised'),
      change(al.a2, 'raised'),
      change(al.a3, 'raised'),
      change(al.b2, 'raised'),
      change(al.b2, 'resolved'),
      change(al.a3, 'resolved'),
      change(al.a4, 'raised'),
      change(al.a5, 'raised'),
      change(al.b3, 'resolved'),
      change(al.b4, 'resolved'),
      // A site that no longer exists is left out.
      { ...change(al.a1, 'raised'), alarmId: 999_999, siteId: 999_999 },
    ];
  });

  it('siteRecipients and adminRecipients follow each user’s choices', async () => {
    const { ds } = db();
    const { bj01, sh01, off1 } = s.sites;
    const alarm = await siteRecipients(ds.manager, [bj01, sh01], 'alarm', RECIPIENTS);
    expect([...alarm]).toEqual([
      [
        bj01.id,
        [
          { channel: 'email', recipient: 'li@example.com' },
          { channel: 'wechat', recipient: 'room:北京运维群' },
          { channel: 'wechat', recipient: 'user:li' },
          { channel: 'wecom', recipient: 'bj-robot' },
        ],
      ],
      [
        sh01.id,
        [
          { channel: 'email', recipient: 'li@example.com' },
          { channel: 'email', recipient: 'zhao@example.com' },
          { channel: 'wechat', recipient: 'room:上海运维群' },
          { channel: 'wechat', recipient: 'user:li' },
        ],
      ],
    ]);
    const report = await siteRecipients(ds.manager, [bj01, sh01, off1], 'report', RECIPIENTS);
    expect(report.get(bj01.id)).toEqual([
      { channel: 'email', recipient: 'li@example.com' },
      { channel: 'wechat', recipient: 'room:北京运维群' },
      { channel: 'wecom', recipient: 'bj-robot' },
    ]);
    expect(report.get(sh01.id)).toEqual([
      { channel: 'email', recipient: 'li@example.com' },
      { channel: 'email', recipient: 'zhao@example.com' },
      { channel: 'wechat', recipient: 'room:上海运维群' },
    ]);
    const noEmail = await siteRecipients(
      ds.manager,
      [bj01],
      'alarm',
      channelsFor({ email: false, wechat: false, wecomRobots: [{ name: 'all', sites: ['*'] }] }),
    );
    expect(noEmail.get(bj01.id)).toEqual([{ channel: 'wecom', recipient: 'all' }]);
    expect(await siteRecipients(ds.manager, [], 'alarm', RECIPIENTS)).toEqual(new Map());

    expect(await adminRecipients(ds.manager, RECIPIENTS, 'escalation')).toEqual([
      { channel: 'email', recipient: 'admin@example.com' },
      { channel: 'wecom', recipient: 'bj-robot' },
    ]);
  });

  it('queues one grouped notice per site and recipient, with dictionary titles and the history rule', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    await notify(changes);
    const bjNotice = {
      kind: 'alarms',
      site: noticeSite(bj01),
      at: NOW,
      items: [
        item(al.a1, 'raised', CPU),
        item(al.a2, 'raised', DISK),
        // Raised and resolved in one batch: reported once, as resolved.
        item(al.a3, 'resolved', PROC),
        item(al.a4, 'raised', UNKNOWN),
        item(al.a5, 'raised', FILE),
      ],
      more: 0,
    };
    const shNotice = {
      kind: 'alarms',
      site: { id: sh01.id, code: 'SH01', name: '上海移动', tz: 'UTC' },
      at: NOW,
      // b2 recovered just over a day ago: history, not news; b4 exactly a day ago is still news.
      items: [
        item(al.b1, 'raised', MEM),
        item(al.b3, 'resolved', LINK, { ackedBy: '李雷' }),
        item(al.b4, 'resolved', LINK),
      ],
      more: 0,
    };
    const msg = (siteId: number, channel: string, recipient: string, notice: unknown) => ({
      channel,
      recipient,
      kind: 'alarms',
      siteId,
      status: 'pending',
      notice,
    });
    expect(await outboxRows(ds)).toEqual([
      msg(bj01.id, 'email', 'li@example.com', bjNotice),
      msg(bj01.id, 'wechat', 'room:北京运维群', bjNotice),
      msg(bj01.id, 'wechat', 'user:li', bjNotice),
      msg(bj01.id, 'wecom', 'bj-robot', bjNotice),
      msg(sh01.id, 'email', 'li@example.com', shNotice),
      msg(sh01.id, 'email', 'zhao@example.com', shNotice),
      msg(sh01.id, 'wechat', 'room:上海运维群', shNotice),
      msg(sh01.id, 'wechat', 'user:li', shNotice),
    ]);
    // Only alarms announced as raised count as notified (reminders start from there).
    expect(await notifiedAt()).toEqual({
      a1: NOW,
      a2: NOW,
      a3: null,
      a4: NOW,
      a5: NOW,
      b1: NOW,
      b2: null,
      b3: NOW - HOUR,
      b4: null,
    });
  });

  it('uses an alarm’s own severity, as a check judged it, over the dictionary’s', async () => {
    const { ds } = db();
    await ds.getRepository(Alarm).update(al.a5.id, { severity: 'critical' });
    await ds.getRepository(Alarm).update(al.a1.id, { severity: 'severe' });
    await notify([change(al.a5, 'raised'), change(al.a1, 'raised')]);
    const rows = (await ds.query('SELECT payload FROM outbox')) as { payload: string }[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const items = (JSON.parse(r.payload) as { items: { alarmId: number; severity: string }[] })
        .items;
      // a5 (SW_FILE_MISSING, major in the dictionary) is critical; an unknown stored value is ignored.
      expect(items.map((i) => [i.alarmId, i.severity])).toEqual([
        [al.a5.id, 'critical'],
        [al.a1.id, 'major'],
      ]);
    }
  });

  it('the same changes again queue nothing new; a new event is a new notice; notified_at is kept', async () => {
    const { ds } = db();
    await notify(changes);
    const first = await outboxRows(ds);
    expect(first).toHaveLength(8);
    // A replay (in any order) carries the same events, so the same dedupe keys.
    await notify(changes);
    await notify([...changes].reverse());
    expect(await outboxRows(ds)).toEqual(first);
    // A new event for one alarm is a new notice for that site only.
    await ds.getRepository(Alarm).update(al.a1.id, { resumedAt: NOW + 3 * MIN, state: 'resolved' });
    const resolved = { ...al.a1, resumedAt: NOW + 3 * MIN };
    await notify([change(resolved, 'resolved')], NOW + 3 * MIN);
    const rows = await outboxRows(ds);
    expect(rows).toHaveLength(12);
    const added = rows.filter((r) => r.notice.at === NOW + 3 * MIN);
    expect(added.map((r) => [r.channel, r.recipient])).toEqual([
      ['email', 'li@example.com'],
      ['wechat', 'room:北京运维群'],
      ['wechat', 'user:li'],
      ['wecom', 'bj-robot'],
    ]);
    expect(added[0].notice.items).toEqual([item(resolved as Alarm, 'resolved', CPU)]);
    // A raise seen again later keeps the time it was first announced.
    await notify([change(al.a2, 'raised')], NOW + 5 * MIN);
    expect((await notifiedAt()).a2).toBe(NOW);
  });

  it('silences suppress matching items, site-wide and by name; ended, cancelled and future ones do not', async () => {
    const { ds } = db();
    const { bj01, sh01 } = s.sites;
    const by = s.users.li.id;
    await addSilence(ds, {
      siteId: sh01.id,
      alarmName: null,
      startsAt: NOW - HOUR,
      endsAt: NOW + HOUR,
      userId: by,
    });
    await addSilence(ds, {
      siteId: bj01.id,
      alarmName: 'cpu_high',
      startsAt: NOW - HOUR,
      endsAt: NOW + 1,
      userId: by,
    });
    await addSilence(ds, {
      siteId: bj01.id,
      alarmName: 'DISK_FULL',
      startsAt: NOW - HOUR,
      endsAt: NOW,
      userId: by,
    });
    await addSilence(ds, {
      siteId: bj01.id,
      alarmName: null,
      startsAt: NOW + 1,
      endsAt: NOW + HOUR,
      userId: by,
    });
    const cancelled = await addSilence(ds, {
      siteId: bj01.id,
      alarmName: 'MY_CUSTOM_ALARM',
      startsAt: NOW - HOUR,
      endsAt: NOW + HOUR,
      userId: by,
    });
    await ds.getRepository(Silence).update(cancelled.id, { cancelledAt: NOW - MIN });
    await notify(changes);
    const rows = await outboxRows(ds);
    expect(rows.map((r) => [r.siteId, r.channel, r.recipient])).toEqual([
      [bj01.id, 'email', 'li@example.com'],
      [bj01.id, 'wechat', 'room:北京运维群'],
      [bj01.id, 'wechat', 'user:li'],
      [bj01.id, 'wecom', 'bj-robot'],
    ]);
    expect(rows[0].notice.items).toEqual([
      item(al.a2, 'raised', DISK),
      item(al.a3, 'resolved', PROC),
      item(al.a4, 'raised', UNKNOWN),
      item(al.a5, 'raised', FILE),
    ]);
    // A silenced raise still starts the reminder clock, so reminders resume when the silence ends.
    expect(await notifiedAt()).toMatchObject({ a1: NOW, b1: NOW });
  });

  it('a rolled-back transaction leaves no outbox rows and no notified_at', async () => {
    const { ds } = db();
    await expect(
      withTransaction(ds, async (em) => {
        await notifier.onAlarmChanges(em, changes, NOW);
        expect(Number((await em.query('SELECT COUNT(*) AS n FROM outbox'))[0].n)).toBe(8);
        throw new Error('chunk failed');
      }),
    ).rejects.toThrow('chunk failed');
    expect(await outboxRows(ds)).toEqual([]);
    expect(await notifiedAt()).toEqual({
      a1: null,
      a2: null,
      a3: null,
      a4: null,
      a5: null,
      b1: null,
      b2: null,
      b3: NOW - HOUR,
      b4: null,
    });
    // Nothing at all to report: nothing queued.
    await notify([]);
    await notify([change(al.b2, 'raised'), change(al.b2, 'resolved')]);
    expect(await outboxRows(ds)).toEqual([]);
  });
});
