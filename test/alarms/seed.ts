// Test seeding for alarm delivery: two sites, managers with different notification choices, an admin, rooms and a robot.
import type { DataSource } from 'typeorm';
import {
  Alarm,
  RoomSubscription,
  Silence,
  Site,
  User,
  WechatBinding,
  type AlarmSource,
} from '../../entities';
import { addSite } from '../../src/admin/sites';
import { addUser } from '../../src/admin/users';
import { configuredChannels } from '../../src/notify/channels/registry';
import type { NoticeSite } from '../../src/outbox/notices';
import type { ConfiguredChannels } from '../../src/queries/recipients';
import { testConfig } from '../helpers/db';

/** 2026-11-25 21:00 in Asia/Shanghai (13:00 UTC). */
export const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** The channels configured with email (an SMTP URL), WeChat (the bot enabled) and these WeCom robots. */
export function channelsFor(o: {
  email: boolean;
  wechat: boolean;
  wecomRobots: { name: string; sites: string[] }[];
}): ConfiguredChannels {
  return configuredChannels(
    testConfig({
      bot: { enabled: o.wechat },
      notify: {
        email: { smtpUrl: o.email ? 'smtp://127.0.0.1:25' : null },
        wecom: {
          robots: o.wecomRobots.map((r) => ({ ...r, url: 'http://127.0.0.1:9/robot' })),
        },
      },
    }),
  );
}

/** Email, WeChat and one WeCom robot that serves BJ01 only. */
export const RECIPIENTS: ConfiguredChannels = channelsFor({
  email: true,
  wechat: true,
  wecomRobots: [{ name: 'bj-robot', sites: ['BJ01'] }],
});

export interface AlarmSeed {
  /** BJ01 北京一号 (the default zone), SH01 上海移动 (UTC), OFF1 disabled. */
  sites: { bj01: Site; sh01: Site; off1: Site };
  /**
   * admin: role admin, admin@example.com, no WeChat binding;
   * li 李雷: BJ01+SH01, alarm email on, report email on, WeChat pushes on and bound;
   * wang 王芳: BJ01, alarm email off, report email off;
   * zhao 赵六: SH01, alarm email on, report email on, WeChat pushes on but not bound;
   * qian 钱七: BJ01, no email, WeChat bound but pushes off.
   */
  users: { admin: User; li: User; wang: User; zhao: User; qian: User };
}

export function noticeSite(site: Site, defaultTz = 'Asia/Shanghai'): NoticeSite {
  return { id: site.id, code: site.code, name: site.name, tz: site.timezone ?? defaultTz };
}

async function bind(ds: DataSource, user: User, alias: string): Promise<void> {
  await ds.getRepository(WechatBinding).insert({
    userId: user.id,
    alias,
    contactId: `wx-${alias}`,
    contactName: user.displayName,
    boundAt: NOW - DAY,
    lastSeenAt: null,
  });
}

/** Seed an empty database (see AlarmSeed). Rooms: 北京运维群 → BJ01, 上海运维群 → SH01, 停用群 → OFF1. */
export async function seedAlarms(ds: DataSource): Promise<AlarmSeed> {
  const bj01 = await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: 'http://bj01' }, NOW);
  const sh01 = await addSite(
    ds,
    { code: 'SH01', name: '上海移动', baseUrl: 'http://sh01', timezone: 'UTC' },
    NOW,
  );
  const off1 = await addSite(
    ds,
    { code: 'OFF1', name: '停用局点', baseUrl: 'http://off', enabled: false },
    NOW,
  );
  const pw = 'password-1';
  const admin = await addUser(
    ds,
    { login: 'admin', password: pw, role: 'admin', email: 'admin@example.com' },
    NOW,
  );
  const li = await addUser(
    ds,
    {
      login: 'li',
      password: pw,
      displayName: '李雷',
      email: 'li@example.com',
      sites: ['BJ01', 'SH01', 'OFF1'],
    },
    NOW,
  );
  const wang = await addUser(
    ds,
    {
      login: 'wang',
      password: pw,
      displayName: '王芳',
      email: 'wang@example.com',
      sites: ['BJ01'],
    },
    NOW,
  );
  const zhao = await addUser(
    ds,
    {
      login: 'zhao',
      password: pw,
      displayName: '赵六',
      email: 'zhao@example.com',
      sites: ['SH01'],
    },
    NOW,
  );
  const qian = await addUser(
    ds,
    { login: 'qian', password: pw, displayName: '钱七', sites: ['BJ01'] },
    NOW,
  );
  const users = ds.getRepository(User);
  await users.update(li.id, { notifyEmail: true, notifyWechat: true, reportEmail: true });
  await users.update(wang.id, { notifyEmail: false, notifyWechat: false, reportEmail: false });
  await users.update(zhao.id, { notifyEmail: true, notifyWechat: true, reportEmail: true });
  await users.update(qian.id, { notifyEmail: true, notifyWechat: false, reportEmail: true });
  await bind(ds, li, 'sw-li');
  await bind(ds, qian, 'sw-qian');

  const rooms = ds.getRepository(RoomSubscription);
  for (const [topic, site] of [
    ['北京运维群', bj01],
    ['上海运维群', sh01],
    ['停用群', off1],
  ] as const) {
    await rooms.insert({
      roomTopic: topic,
      roomId: null,
      siteId: site.id,
      createdBy: admin.id,
      createdAt: NOW,
    });
  }
  const reload = (u: User) => users.findOneByOrFail({ id: u.id });
  return {
    sites: { bj01, sh01, off1 },
    users: {
      admin: await reload(admin),
      li: await reload(li),
      wang: await reload(wang),
      zhao: await reload(zhao),
      qian: await reload(qian),
    },
  };
}

export interface AlarmInput {
  siteId: number;
  name: string;
  node: string;
  description: string;
  raisedAt: number;
  resumedAt?: number | null;
  state?: 'active' | 'resolved' | 'stale';
  source?: AlarmSource;
  lastSeenAt?: number;
  notifiedAt?: number | null;
  ackedBy?: number | null;
  ackedAt?: number | null;
}

/** Insert one alarm (active unless resumed) and return it. */
export async function addAlarm(ds: DataSource, a: AlarmInput): Promise<Alarm> {
  const repo = ds.getRepository(Alarm);
  const resumedAt = a.resumedAt ?? null;
  const res = await repo.insert({
    siteId: a.siteId,
    name: a.name,
    node: a.node,
    description: a.description,
    raisedAt: a.raisedAt,
    resumedAt,
    state: a.state ?? (resumedAt === null ? 'active' : 'resolved'),
    lastSeenAt: a.lastSeenAt ?? a.raisedAt,
    source: a.source ?? 'site',
    ackedBy: a.ackedBy ?? null,
    ackedAt: a.ackedAt ?? null,
    notifiedAt: a.notifiedAt ?? null,
    createdAt: a.raisedAt,
    updatedAt: a.raisedAt,
  });
  return repo.findOneByOrFail({ id: Number(res.identifiers[0].id) });
}

/** A silence set by `userId` from `startsAt` to `endsAt` (alarmName null: the whole site). */
export async function addSilence(
  ds: DataSource,
  s: { siteId: number; alarmName: string | null; startsAt: number; endsAt: number; userId: number },
): Promise<Silence> {
  const repo = ds.getRepository(Silence);
  return repo.save(
    repo.create({
      siteId: s.siteId,
      alarmName: s.alarmName,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      createdBy: s.userId,
      createdAt: s.startsAt,
      cancelledAt: null,
    }),
  );
}

export interface StoredMessage {
  channel: string;
  recipient: string;
  kind: string;
  siteId: number | null;
  status: string;
  notice: Record<string, unknown>;
}

/** Every outbox row, by site, channel and recipient, with its notice parsed. */
export async function outboxRows(ds: DataSource): Promise<StoredMessage[]> {
  const rows = (await ds.query(
    'SELECT channel, recipient, kind, site_id, status, payload FROM outbox ORDER BY id',
  )) as Record<string, unknown>[];
  // Sorted here, not in SQL: the engines collate Chinese room names differently.
  const key = (r: Record<string, unknown>) =>
    [String(r.site_id ?? '').padStart(9, '0'), r.channel, r.recipient].join('\u0000');
  rows.sort((x, y) => (key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0));
  return rows.map((r) => ({
    channel: String(r.channel),
    recipient: String(r.recipient),
    kind: String(r.kind),
    siteId: r.site_id === null ? null : Number(r.site_id),
    status: String(r.status),
    notice: JSON.parse(String(r.payload)) as Record<string, unknown>,
  }));
}

/** Empty the tables the alarm tests write to, keeping sites, users, bindings and rooms. */
export async function clearAlarmData(ds: DataSource): Promise<void> {
  for (const t of ['outbox', 'silence', 'alarm', 'job_lease']) await ds.query(`DELETE FROM ${t}`);
}
