// `sitewatch outbox`: listing (failed first), one message with its payload, retrying failed ones, counts; exit codes.
import type { DataSource } from 'typeorm';
import { noteChatSeen } from '../../src/admin/chat-seen';
import { addSite } from '../../src/admin/sites';
import { migrate, openDataSource } from '../../src/db/data-source';
import type { AlarmNotice, BotNotice, ReportNotice } from '../../src/outbox/notices';
import { enqueue, getOutboxMessage, type OutboxEntry } from '../../src/outbox/store';
import { urlDatabases } from '../helpers/db';
import { cli } from '../helpers/cli';

/** 2026-11-25 21:00 in Asia/Shanghai. */
const NOW = Date.UTC(2026, 10, 25, 13, 0, 0);
const MIN = 60_000;

const engines = urlDatabases('sitewatch outbox');

const site = (id: number, code: string, name: string) => ({
  id,
  code,
  name,
  tz: 'Asia/Shanghai',
});

describe.each(engines)('sitewatch outbox [$name]', ({ open }) => {
  let env: Record<string, string>;
  let ds: DataSource;
  let drop: () => Promise<void>;
  const id: Record<string, number> = {};
  let alarmNotice: AlarmNotice;

  const set = (recipient: string, sql: string, params: unknown[]) =>
    ds.query(`UPDATE outbox SET ${sql} WHERE recipient = ?`, [...params, recipient]);

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    env = { SITEWATCH_DB: db.url, SITEWATCH_LOG_LEVEL: 'silent' };
    ds = await openDataSource(db.url);
    await migrate(ds);
    const bj01 = await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: 'http://bj01' }, NOW);
    const bj02 = await addSite(ds, { code: 'BJ02', name: '北京二号', baseUrl: 'http://bj02' }, NOW);
    alarmNotice = {
      kind: 'alarms',
      site: site(bj02.id, 'BJ02', '北京二号'),
      at: NOW,
      items: [
        {
          alarmId: 7,
          event: 'raised',
          name: 'DISK_FULL',
          node: 'web01',
          description: 'disk / at 95%',
          raisedAt: NOW - 5 * MIN,
          resumedAt: null,
          title: '磁盘满',
          severity: 'major',
          action: '清理磁盘',
          source: 'site',
          ackedBy: null,
          silencedBy: null,
        },
      ],
      more: 0,
    } as AlarmNotice;
    const report = {
      kind: 'report',
      site: site(bj01.id, 'BJ01', '北京一号'),
      date: '2026-11-24',
      figures: null,
      previous: null,
      activeAlarms: 2,
      raisedAlarms: 3,
      servers: { total: 3, stale: 1 },
      failedDeliveries: 0,
      at: NOW,
    } as ReportNotice;
    const bot: BotNotice = { kind: 'bot', state: 'logged-out', at: NOW, qrUrl: null, qrPng: null };
    const entries: OutboxEntry[] = [
      {
        channel: 'email',
        recipient: 'li@example.com',
        event: 'e1',
        siteId: bj01.id,
        notice: { ...alarmNotice, site: site(bj01.id, 'BJ01', '北京一号') },
      },
      {
        channel: 'email',
        recipient: 'wang@example.com',
        event: 'e2',
        siteId: bj02.id,
        notice: alarmNotice,
      },
      {
        channel: 'wechat',
        recipient: 'room:北京运维',
        event: 'e3',
        siteId: bj01.id,
        notice: alarmNotice,
      },
      { channel: 'wecom', recipient: 'ops-robot', event: 'e4', siteId: bj01.id, notice: report },
      { channel: 'wechat', recipient: 'user:li', event: 'e5', siteId: null, notice: bot },
    ];
    for (const e of entries) await enqueue(ds.manager, [e], NOW);
    for (const r of (await ds.query('SELECT id, recipient FROM outbox')) as {
      id: number;
      recipient: string;
    }[])
      id[r.recipient] = Number(r.id);
    await set('li@example.com', "status = 'sent', attempts = 1, sent_at = ?", [NOW + MIN]);
    await set('wang@example.com', "status = 'failed', attempts = 8, last_error = ?", [
      '550 5.7.1 Message rejected\n  as spam',
    ]);
    await set('room:北京运维', 'attempts = 2, next_try_at = ?, last_error = ?', [
      NOW + 5 * MIN,
      'bot is logged out',
    ]);
    await set('ops-robot', "status = 'failed', attempts = 8, last_error = ?", [
      'HTTP 500 from https://qyapi.weixin.qq.com',
    ]);
    await set('user:li', "status = 'sending', claimed_by = 'hub-a', claimed_until = ?", [
      NOW + 2 * MIN,
    ]);
  });
  afterAll(async () => {
    await ds.destroy();
    await drop();
  });

  it('lists failed messages first, then pending, sending and sent', async () => {
    const e = id;
    const header =
      'ID  CHANNEL  RECIPIENT         KIND    SITE  STATUS   ATTEMPTS  NEXT TRY          LAST ERROR\n';
    const rows = {
      robot: `${e['ops-robot']}   wecom    ops-robot         report  BJ01  failed   8         -                 HTTP 500 from https://qyapi.weixin.qq.com\n`,
      wang: `${e['wang@example.com']}   email    wang@example.com  alarms  BJ02  failed   8         -                 550 5.7.1 Message rejected as spam\n`,
      room: `${e['room:北京运维']}   wechat   room:北京运维     alarms  BJ01  pending  2         2026-11-25 21:05  bot is logged out\n`,
      bot: `${e['user:li']}   wechat   user:li           bot     -     sending  0         -                 -\n`,
      li: `${e['li@example.com']}   email    li@example.com    alarms  BJ01  sent     1         -                 -\n`,
    };
    const footer =
      '2 message(s) above failed for good; after fixing the cause: sitewatch outbox retry <id> | --failed\n';
    expect(await cli(['outbox'], env)).toEqual({
      code: 0,
      stdout: header + rows.robot + rows.wang + rows.room + rows.bot + rows.li + footer,
      stderr: '',
    });
    expect((await cli(['outbox', 'list'], env)).stdout).toBe(
      header + rows.robot + rows.wang + rows.room + rows.bot + rows.li + footer,
    );
    expect((await cli(['outbox', '--limit', '3'], env)).stdout).toBe(
      header + rows.robot + rows.wang + rows.room + footer,
    );
    expect((await cli(['outbox', 'list', '--status', 'pending'], env)).stdout).toBe(
      'ID  CHANNEL  RECIPIENT      KIND    SITE  STATUS   ATTEMPTS  NEXT TRY          LAST ERROR\n' +
        `${e['room:北京运维']}   wechat   room:北京运维  alarms  BJ01  pending  2         2026-11-25 21:05  bot is logged out\n`,
    );
    const email = await cli(['outbox', '--channel', 'email'], env);
    expect(email.stdout).toBe(
      'ID  CHANNEL  RECIPIENT         KIND    SITE  STATUS  ATTEMPTS  NEXT TRY  LAST ERROR\n' +
        `${e['wang@example.com']}   email    wang@example.com  alarms  BJ02  failed  8         -         550 5.7.1 Message rejected as spam\n` +
        `${e['li@example.com']}   email    li@example.com    alarms  BJ01  sent    1         -         -\n` +
        '1 message(s) above failed for good; after fixing the cause: sitewatch outbox retry <id> | --failed\n',
    );
    expect((await cli(['outbox', '--site', 'BJ02'], env)).stdout.split('\n')[1]).toMatch(
      new RegExp(`^${e['wang@example.com']} +email +wang@example\\.com `),
    );
    expect(await cli(['outbox', '--status', 'failed', '--channel', 'wechat'], env)).toEqual({
      code: 0,
      stdout: 'No messages.\n',
      stderr: '',
    });
  });

  it('refuses bad filters: exit 2 for usage, 1 for an unknown site', async () => {
    const bad = await cli(['outbox', '--status', 'lost'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "error: option '--status <status>' argument 'lost' is invalid. Allowed choices are pending, sending, sent, failed.",
    );
    expect(await cli(['outbox', '--limit', '0'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'sitewatch: --limit "0" must be a positive whole number.\n',
    });
    expect(await cli(['outbox', '--site', 'NOPE'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sitewatch: No site "NOPE".\n',
    });
  });

  it('shows one message with its payload pretty-printed', async () => {
    const wang = id['wang@example.com'];
    expect(await cli(['outbox', 'show', String(wang)], env)).toEqual({
      code: 0,
      stdout:
        `message:     #${wang}\n` +
        'channel:     email\n' +
        'recipient:   wang@example.com\n' +
        'kind:        alarms\n' +
        'site:        BJ02 (北京二号)\n' +
        'status:      failed\n' +
        'attempts:    8\n' +
        'parts sent:  0\n' +
        'next try:    -\n' +
        'created:     2026-11-25 21:00\n' +
        'sent:        -\n' +
        'last error:  550 5.7.1 Message rejected\n  as spam\n' +
        `payload:\n${JSON.stringify(alarmNotice, null, 2)}\n`,
      stderr: '',
    });
    const bot = await cli(['outbox', 'show', String(id['user:li'])], env);
    expect(bot.stdout).toContain('site:        -\n');
    expect(bot.stdout).toContain(
      'payload:\n{\n  "kind": "bot",\n  "state": "logged-out",\n  "at": 1795611600000,\n  "qrUrl": null,\n  "qrPng": null\n}\n',
    );
    expect(await cli(['outbox', 'show', '999'], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'sitewatch: No outbox message #999.\n',
    });
    expect((await cli(['outbox', 'show', 'x'], env)).code).toBe(2);
  });

  it('says when a WeCom robot message is for a chat that never talked to the robot', async () => {
    await enqueue(
      ds.manager,
      ['wrkNEVER', 'wrkTALKED'].map((chat) => ({
        channel: 'wecom-bot',
        recipient: `room:${chat}`,
        event: `test:${chat}`,
        siteId: null,
        notice: alarmNotice,
      })),
      NOW,
    );
    await noteChatSeen(ds, 'wecom', 'wrkTALKED', 'group', NOW);
    const rows = (await ds.query(
      "SELECT id, recipient FROM outbox WHERE channel = 'wecom-bot' ORDER BY recipient",
    )) as { id: number; recipient: string }[];
    try {
      const [never, talked] = await Promise.all(
        rows.map((r) => cli(['outbox', 'show', String(r.id)], env)),
      );
      expect(never.stdout).toContain(
        'note:        WeCom chat wrkNEVER has never talked to the robot; WeCom lets a robot push only to chats that did: @-mention the robot there once, then sitewatch outbox retry <id>\n',
      );
      expect(talked.stdout).not.toContain('note:');
    } finally {
      await ds.query("DELETE FROM outbox WHERE channel = 'wecom-bot'");
      await ds.query('DELETE FROM chat_seen');
    }
  });

  it('counts messages per status', async () => {
    expect(await cli(['outbox', 'stats'], env)).toEqual({
      code: 0,
      stdout: 'STATUS   COUNT\npending  1\nsending  1\nsent     1\nfailed   2\n',
      stderr: '',
    });
  });

  it('puts failed messages back: one by id, or all with --failed', async () => {
    expect((await cli(['outbox', 'retry'], env)).stderr).toBe(
      'sitewatch: Give a message id or --failed (not both).\n',
    );
    expect((await cli(['outbox', 'retry', '1', '--failed'], env)).code).toBe(2);
    expect(await cli(['outbox', 'retry', String(id['li@example.com'])], env)).toEqual({
      code: 1,
      stdout: '',
      stderr: `sitewatch: Message #${id['li@example.com']} is sent; only failed or pending messages can be retried.\n`,
    });
    expect((await cli(['outbox', 'retry', '999'], env)).stderr).toBe(
      'sitewatch: No outbox message #999.\n',
    );
    const before = Date.now();
    const wang = id['wang@example.com'];
    expect(await cli(['outbox', 'retry', String(wang)], env)).toEqual({
      code: 0,
      stdout: `Message #${wang} (failed) is queued to be sent now.\n`,
      stderr: '',
    });
    const row = (await getOutboxMessage(ds, wang))!;
    expect(row.status).toBe('pending');
    expect(row.attempts).toBe(0);
    expect(row.nextTryAt).toBeGreaterThanOrEqual(before);
    expect(row.nextTryAt).toBeLessThanOrEqual(Date.now());
    // --failed with a channel leaves the others alone
    expect((await cli(['outbox', 'retry', '--failed', '--channel', 'email'], env)).stdout).toBe(
      'No failed messages.\n',
    );
    expect((await cli(['outbox', 'retry', '7', '--channel', 'email'], env)).stderr).toBe(
      'sitewatch: --channel goes with --failed only.\n',
    );
    expect((await cli(['outbox', 'retry', '--failed'], env)).stdout).toBe(
      '1 failed message(s) queued to be sent now.\n',
    );
    expect((await getOutboxMessage(ds, id['ops-robot']))!.status).toBe('pending');
    expect((await cli(['outbox', 'retry', '--failed'], env)).stdout).toBe('No failed messages.\n');
    expect((await cli(['outbox', 'stats'], env)).stdout).toBe(
      'STATUS   COUNT\npending  3\nsending  1\nsent     1\nfailed   0\n',
    );
  });
});
