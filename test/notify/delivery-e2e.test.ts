// The whole hub (createApp) from a site's alarm file to a real SMTP server: grouped alarm and recovery emails, and a hub killed before sending.
import { addSite } from '../../src/admin/sites';
import { addUser } from '../../src/admin/users';
import { silentLogger } from '../../src/log';
import { type App, createApp } from '../../src/main';
import { claimDue, listOutbox } from '../../src/outbox/store';
import { startOfDay } from '../../src/time';
import { type UrlDatabase, testConfig, urlDatabases } from '../helpers/db';
import { alarmPath, day } from '../helpers/fixtures';
import { startSiteServer, type SiteServer } from '../helpers/site-server';
import { startSmtp, type TestSmtp } from '../helpers/smtp';

/** 10:00 on the files' day in Shanghai. */
const T0 = startOfDay(day, 'Asia/Shanghai') + 10 * 3600_000;
const MIN = 60_000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const BJ01_ALARMS =
  'BJ01|DISK_FULL|db-01|/data 使用率 95%|2026-11-24 08:00:00||2026-11-24 08:00:30\n' +
  'BJ01|LINK_DOWN|gw-02|到 HLR 的链路中断|2026-11-24 08:30:00||2026-11-24 08:30:30\n' +
  'BJ01|PROCESS_DOWN|app-01|nginx 进程不存在|2026-11-24 09:00:00||2026-11-24 09:00:30\n' +
  'BJ01|VENDOR_X_ALARM|sbc-01|vendor code 0x1f|2026-11-24 09:20:00||2026-11-24 09:20:30\n';
const BJ01_RECOVERY =
  'BJ01|DISK_FULL|db-01|/data 使用率 95%|2026-11-24 08:00:00|2026-11-24 09:40:00|2026-11-24 09:41:00\n';
const BJ02_ALARMS =
  'BJ02|CPU_HIGH|app-03|CPU 使用率 97%|2026-11-24 09:10:00||2026-11-24 09:10:30\n';

const BJ01_SUBJECT = '[Sitewatch] 北京一号（BJ01） 新告警 4 条';
const BJ01_TEXT = [
  '【告警】北京一号（BJ01）：新告警 4 条',
  [
    '1. [严重] 磁盘空间不足（DISK_FULL）',
    '节点：db-01  发生：11-24 08:00',
    '描述：/data 使用率 95%',
    '状态：未恢复',
    '建议：清理日志与临时文件，或扩容磁盘',
  ].join('\n'),
  [
    '2. [严重] 链路中断（LINK_DOWN）',
    '节点：gw-02  发生：11-24 08:30',
    '描述：到 HLR 的链路中断',
    '状态：未恢复',
    '建议：检查网络连接与对端设备',
  ].join('\n'),
  [
    '3. [严重] 进程停止（PROCESS_DOWN）',
    '节点：app-01  发生：11-24 09:00',
    '描述：nginx 进程不存在',
    '状态：未恢复',
    '建议：登录服务器查看进程日志并重启进程',
  ].join('\n'),
  [
    '4. [提示] VENDOR_X_ALARM',
    '节点：sbc-01  发生：11-24 09:20',
    '描述：vendor code 0x1f',
    '状态：未恢复',
  ].join('\n'),
].join('\n\n');

const engines = urlDatabases('alarm delivery end to end');

describe.each(engines)('alarm delivery end to end [$name]', ({ open }) => {
  let smtp: TestSmtp;
  let bj01: SiteServer;
  let bj02: SiteServer;
  let db: UrlDatabase;
  let t = T0;
  const apps: App[] = [];

  beforeEach(async () => {
    t = T0;
    [smtp, bj01, bj02, db] = await Promise.all([
      startSmtp(),
      startSiteServer(),
      startSiteServer(),
      open(),
    ]);
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await Promise.all([smtp.close(), bj01.close(), bj02.close()]);
    await db.drop();
  });

  /** A hub on the test database with email over the test SMTP server; no bot, no schedule. */
  async function hub(hubId = 'hub-a'): Promise<App> {
    const config = testConfig({
      db: { url: db.url },
      timezone: 'Asia/Shanghai',
      bot: { enabled: false },
      charts: { threads: 1 },
      cluster: { hubId },
      // Sitewatch's own checks would add notices about the files the test does not serve.
      selfAlarms: { enabled: false },
      ingest: { backfillDays: 1, retries: 0, retryDelayMs: 1 },
      notify: {
        retryBaseMs: 30_000,
        email: {
          smtpUrl: smtp.url,
          from: 'Sitewatch <sitewatch@example.com>',
          timeoutMs: 3000,
        },
      },
    });
    const app = await createApp(config, silentLogger, { now: () => t, schedule: false });
    apps.push(app);
    return app;
  }

  async function register(app: App): Promise<void> {
    await addSite(app.ds, { code: 'BJ01', name: '北京一号', baseUrl: bj01.url }, T0 - 86_400_000);
    await addSite(app.ds, { code: 'BJ02', name: '北京二号', baseUrl: bj02.url }, T0 - 86_400_000);
    const password = 'correct-horse-battery';
    await addUser(app.ds, { login: 'li', password, email: 'li@example.com', sites: ['BJ01'] });
    await addUser(app.ds, { login: 'wang', password, email: 'wang@example.com', sites: ['BJ02'] });
    // Manages nothing: receives nothing.
    await addUser(app.ds, { login: 'zhao', password, email: 'zhao@example.com' });
  }

  /** Outbox rows by recipient (sites are ingested side by side, so ids do not follow the sites). */
  const outboxRows = async (app: App) =>
    (await listOutbox(app.ds, { limit: 100 }))
      .map((r) => [r.channel, r.recipient, r.kind, r.status, r.attempts])
      .sort((a, b) => String(a[1]).localeCompare(String(b[1])));

  it("sends each site's managers one grouped email with the chart inline, then the recovery with its duration", async () => {
    const app = await hub();
    await register(app);
    bj01.put(alarmPath(), BJ01_ALARMS);
    bj02.put(alarmPath(), BJ02_ALARMS);

    await app.ingest.run();
    await app.notifications.afterIngest();

    expect(smtp.received.map((r) => [r.rcptTo, r.mail.subject]).sort()).toEqual([
      [['li@example.com'], BJ01_SUBJECT],
      [['wang@example.com'], '[Sitewatch] 北京二号（BJ02） 新告警 1 条'],
    ]);
    expect(smtp.to('zhao@example.com')).toEqual([]);
    const [mail] = smtp.to('li@example.com');
    expect(mail.text?.trim()).toBe(BJ01_TEXT);
    const html = String(mail.html);
    expect(html.match(/<tr><td /g)).toHaveLength(4);
    expect(mail.attachments).toHaveLength(1);
    const chart = mail.attachments[0];
    expect([chart.contentType, chart.contentDisposition]).toEqual(['image/png', 'inline']);
    expect(chart.content.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(chart.content.length).toBeGreaterThan(1000);
    expect(html).toContain(`<img src="cid:${chart.cid}" alt="告警图表"`);
    expect(await outboxRows(app)).toEqual([
      ['email', 'li@example.com', 'alarms', 'sent', 1],
      ['email', 'wang@example.com', 'alarms', 'sent', 1],
    ]);

    // The next ingest finds the disk alarm recovered.
    t = T0 + 5 * MIN;
    bj01.append(alarmPath(), BJ01_RECOVERY);
    await app.ingest.run();
    await app.notifications.afterIngest();
    expect(smtp.received).toHaveLength(3);
    const recovery = smtp.to('li@example.com')[1];
    expect(recovery.subject).toBe('[Sitewatch] 北京一号（BJ01） 恢复 1 条');
    expect(recovery.text?.trim()).toBe(
      [
        '【告警】北京一号（BJ01）：恢复 1 条',
        [
          '1. [严重] 磁盘空间不足（DISK_FULL）',
          '节点：db-01  发生：11-24 08:00',
          '描述：/data 使用率 95%',
          '状态：已恢复，持续 1小时40分',
          '建议：清理日志与临时文件，或扩容磁盘',
        ].join('\n'),
      ].join('\n\n'),
    );
    expect(smtp.to('wang@example.com')).toHaveLength(1);

    // Nothing new in the files: nothing more is sent.
    t = T0 + 10 * MIN;
    await app.ingest.run();
    await app.notifications.afterIngest();
    expect(smtp.received).toHaveLength(3);
  });

  it('a hub that could not reach the SMTP server sends the mail once the server is back', async () => {
    const app = await hub();
    await register(app);
    bj01.put(alarmPath(), BJ01_ALARMS);
    await smtp.setMode('down');

    await app.ingest.run();
    await app.notifications.afterIngest();
    const [row] = await listOutbox(app.ds);
    expect([row.status, row.attempts]).toEqual(['pending', 1]);
    expect(row.lastError).toBe(
      `email to li@example.com failed: connect ECONNREFUSED 127.0.0.1:${smtp.port} (ESOCKET)`,
    );

    await smtp.setMode('accept');
    // Within the backoff (30 s ± 20 %) nothing is tried; after it, the next ingest's sweep sends.
    t = T0 + 20_000;
    await app.notifications.afterIngest();
    expect(smtp.received).toEqual([]);
    t = T0 + 5 * MIN;
    await app.ingest.run();
    await app.notifications.afterIngest();
    expect(smtp.received.map((r) => [r.rcptTo, r.mail.subject])).toEqual([
      [['li@example.com'], BJ01_SUBJECT],
    ]);
    expect(await outboxRows(app)).toEqual([['email', 'li@example.com', 'alarms', 'sent', 2]]);
  });

  it('a hub killed between writing the outbox and sending: a new hub delivers exactly once', async () => {
    await smtp.setMode('down');
    const first = await hub('hub-a');
    await register(first);
    bj01.put(alarmPath(), BJ01_ALARMS);
    bj02.put(alarmPath(), BJ02_ALARMS);
    // The ingest commits the alarms and their outbox rows; the hub dies before any sweep.
    await first.ingest.run();
    expect(await outboxRows(first)).toEqual([
      ['email', 'li@example.com', 'alarms', 'pending', 0],
      ['email', 'wang@example.com', 'alarms', 'pending', 0],
    ]);
    await first.stop();

    await smtp.setMode('accept');
    t = T0 + MIN;
    const second = await hub('hub-b');
    expect(await second.notifications.dispatcher.runOnce()).toEqual({
      sent: 2,
      retrying: 0,
      failed: 0,
    });
    expect(smtp.received.map((r) => [r.rcptTo, r.mail.subject]).sort()).toEqual([
      [['li@example.com'], BJ01_SUBJECT],
      [['wang@example.com'], '[Sitewatch] 北京二号（BJ02） 新告警 1 条'],
    ]);
    expect(smtp.to('li@example.com')[0].text?.trim()).toBe(BJ01_TEXT);

    // Again, and with the files read again from the start: nothing more.
    expect(await second.notifications.dispatcher.runOnce()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    await second.ds.query('DELETE FROM ingest_cursor');
    t = T0 + 2 * MIN;
    const again = await second.ingest.run();
    expect(again.map((r) => [r.site, r.files.find((f) => f.kind === 'system_alarm')])).toEqual([
      ['BJ01', expect.objectContaining({ outcome: 'ingested', lines: 4, inserted: 0 })],
      ['BJ02', expect.objectContaining({ outcome: 'ingested', lines: 1, inserted: 0 })],
    ]);
    await second.notifications.afterIngest();
    expect(smtp.received).toHaveLength(2);
    expect(await outboxRows(second)).toEqual([
      ['email', 'li@example.com', 'alarms', 'sent', 1],
      ['email', 'wang@example.com', 'alarms', 'sent', 1],
    ]);
  });

  it('a message claimed by a hub that died mid-send is delivered once by the next hub, after the claim expires', async () => {
    const first = await hub('hub-a');
    await register(first);
    bj01.put(alarmPath(), BJ01_ALARMS);
    await first.ingest.run();
    const claimMs = first.config.notify.claimMs;
    // The dying hub took the message for sending and never finished.
    const [claimed] = await claimDue(first.ds, 'hub-a', t, claimMs, 10);
    expect([claimed.recipient, claimed.status]).toEqual(['li@example.com', 'sending']);
    await first.stop();

    const second = await hub('hub-b');
    t = T0 + claimMs;
    expect(await second.notifications.dispatcher.runOnce()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(smtp.received).toEqual([]);

    t = T0 + claimMs + 1;
    expect(await second.notifications.dispatcher.runOnce()).toEqual({
      sent: 1,
      retrying: 0,
      failed: 0,
    });
    expect(await second.notifications.dispatcher.runOnce()).toEqual({
      sent: 0,
      retrying: 0,
      failed: 0,
    });
    expect(smtp.received.map((r) => [r.rcptTo, r.mail.subject])).toEqual([
      [['li@example.com'], BJ01_SUBJECT],
    ]);
    const [row] = await listOutbox(second.ds);
    expect([row.id, row.status, row.attempts, row.sentAt]).toEqual([
      claimed.id,
      'sent',
      1,
      T0 + claimMs + 1,
    ]);
  });
});
