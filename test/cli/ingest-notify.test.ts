// `sitewatch ingest` announces what it stores: alarms and recoveries reach the outbox in their transaction, email goes out at once, WeChat waits for a hub, and Sitewatch's own checks run too.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDataSource } from '../../src/db/data-source';
import { dayKey } from '../../src/time';
import { cli } from '../helpers/cli';
import { urlDatabases } from '../helpers/db';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

const engines = urlDatabases('sitewatch ingest notifications');

describe.each(engines)('sitewatch ingest notifications [$name]', ({ open }) => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  let dir: string;
  let smtp: TestSmtp;
  const today = dayKey(Date.now(), 'Asia/Shanghai');
  const d = `${today.slice(0, 4)}-${today.slice(4, 6)}-${today.slice(6)}`;
  const alarmFile = () => join(dir, 'sys_alarm', `system_alarm_${today}.txt`);
  const outbox = async () => {
    const ds = await openDataSource(env.SITEWATCH_DB);
    try {
      return (await ds.query(
        'SELECT channel, recipient, kind, status FROM outbox ORDER BY id',
      )) as Record<string, string>[];
    } finally {
      await ds.destroy();
    }
  };

  beforeEach(async () => {
    const db = await open();
    drop = db.drop;
    smtp = await startSmtp();
    dir = mkdtempSync(join(tmpdir(), 'sw-px-'));
    mkdirSync(join(dir, 'sys_alarm'));
    const conf = join(dir, 'sitewatch.json');
    // Today's other files are missing from 00:00 on, so the own checks raise exactly two alarms whenever the test runs.
    writeFileSync(conf, JSON.stringify({ selfAlarms: { fileMissingAfter: '00:00' } }));
    env = {
      SITEWATCH_DB: db.url,
      SITEWATCH_LOG_LEVEL: 'silent',
      SITEWATCH_INGEST_RETRIES: '0',
      SITEWATCH_SMTP_URL: smtp.url,
      SITEWATCH_CONFIG: conf,
    };
    expect(await cli(['db', 'migrate'], env)).toMatchObject({ code: 0 });
    const url = pathToFileURL(dir).href;
    expect(await cli(['site', 'add', 'PX', '--name', '浦西', '--url', url], env)).toMatchObject({
      code: 0,
    });
    expect(
      await cli(
        ['user', 'add', 'wang', '--password-stdin', '--sites', 'PX', '--email', 'wang@example.com'],
        env,
        'long enough\n',
      ),
    ).toMatchObject({ code: 0 });
    const ds = await openDataSource(env.SITEWATCH_DB);
    await ds.query(
      'INSERT INTO room_subscription (room_topic, room_id, site_id, created_by, created_at) VALUES (?, NULL, (SELECT id FROM site WHERE code = ?), 1, ?)',
      ['运维群', 'PX', Date.now()],
    );
    await ds.destroy();
    writeFileSync(
      alarmFile(),
      `PX|DISK_FULL|db-01|/data 使用率 95%|${d} 00:01:00||${d} 00:01:30\n` +
        `PX|LINK_DOWN|gw-02|到 HLR 的链路中断|${d} 00:02:00||${d} 00:02:30\n`,
    );
  });
  afterEach(async () => {
    await smtp.close();
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('mails new alarms and then the recovery at once, and leaves the room message for the hub with the bot', async () => {
    const first = await cli(['ingest', '--site', 'PX', '--date', today, '--no-checks'], env);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').slice(-4)).toEqual([
      'Alarms: 2 raised, 0 resolved (notifications queued with them).',
      "Sitewatch's own checks: not run (--no-checks).",
      'Notifications: 1 sent (email), 0 to retry, 0 failed; 1 left for a running hub (wechat 1: WeChat is sent by the hub that runs the bot).',
      '',
    ]);
    expect(smtp.to('wang@example.com').map((m) => m.subject)).toEqual([
      '[Sitewatch] 浦西（PX） 新告警 2 条',
    ]);
    appendFileSync(
      alarmFile(),
      `PX|DISK_FULL|db-01|/data 使用率 95%|${d} 00:01:00|${d} 00:03:00|${d} 00:03:10\n`,
    );
    const second = await cli(['ingest', '--site', 'PX', '--date', today, '--no-checks'], env);
    expect(second.stdout.split('\n').slice(-4, -2)).toEqual([
      'Alarms: 0 raised, 1 resolved (notifications queued with them).',
      "Sitewatch's own checks: not run (--no-checks).",
    ]);
    expect(smtp.to('wang@example.com').map((m) => m.subject)).toEqual([
      '[Sitewatch] 浦西（PX） 新告警 2 条',
      '[Sitewatch] 浦西（PX） 恢复 1 条',
    ]);
    expect(await outbox()).toEqual([
      { channel: 'email', recipient: 'wang@example.com', kind: 'alarms', status: 'sent' },
      { channel: 'wechat', recipient: 'room:运维群', kind: 'alarms', status: 'pending' },
      { channel: 'email', recipient: 'wang@example.com', kind: 'alarms', status: 'sent' },
      { channel: 'wechat', recipient: 'room:运维群', kind: 'alarms', status: 'pending' },
    ]);
    // Read again, nothing is new: nothing more is queued or sent.
    const third = await cli(['ingest', '--site', 'PX', '--date', today, '--no-checks'], env);
    expect(third.stdout).toContain('Alarms: 0 raised, 0 resolved');
    expect((await outbox()).length).toBe(4);
    expect(smtp.received.length).toBe(2);
  });

  it('with --no-send, queues every notification for a running hub and sends none', async () => {
    const r = await cli(
      ['ingest', '--site', 'PX', '--date', today, '--no-checks', '--no-send'],
      env,
    );
    expect(r.stdout.split('\n').slice(-2, -1)).toEqual([
      'Notifications: not sent (--no-send); 2 wait in the outbox for a running hub (email 1, wechat 1).',
    ]);
    expect(smtp.received.length).toBe(0);
    expect((await outbox()).map((o) => `${o.channel} ${o.status}`)).toEqual([
      'email pending',
      'wechat pending',
    ]);
  });

  it("runs Sitewatch's own checks after the ingest, through the same notifier", async () => {
    const r = await cli(['ingest', '--site', 'PX', '--date', today], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(-4, -2)).toEqual([
      'Alarms: 2 raised, 0 resolved (notifications queued with them).',
      "Sitewatch's own checks: 2 raised, 0 resolved, 0 alarm(s) gone stale.",
    ]);
    const subjects = smtp.to('wang@example.com').map((m) => m.subject);
    expect(subjects).toEqual([
      '[Sitewatch] 浦西（PX） 新告警 2 条',
      '[Sitewatch] 浦西（PX） 新告警 2 条',
    ]);
    const second = smtp.to('wang@example.com')[1].text ?? '';
    expect(second).toContain('SW_FILE_MISSING');
  });

  it('says when a hub holds the checks, and runs none itself', async () => {
    const ds = await openDataSource(env.SITEWATCH_DB);
    await ds.query(
      'INSERT INTO job_lease (name, owner, expires_at, done_slot, updated_at) VALUES (?, ?, ?, 0, ?)',
      ['job:alarm-checks', 'hub-a', Date.now() + 3600_000, Date.now()],
    );
    await ds.destroy();
    const r = await cli(['ingest', '--site', 'PX', '--date', today], env);
    expect(r.stdout).toContain(
      `Sitewatch's own checks: not run here, hub "hub-a" is running them now.\n`,
    );
    expect(smtp.received.length).toBe(1);
  });
});
