// Two hubs on one database and one WeCom robot: the holder of the connection is killed (SIGKILL), the other takes the lease over within its time, and every message and push is delivered once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processEnv } from '../../../config/schema';
import { bindContact } from '../../../src/admin/chat-bindings';
import { subscribeRoom } from '../../../src/admin/rooms';
import { addSite } from '../../../src/admin/sites';
import { addUser } from '../../../src/admin/users';
import { createLeases } from '../../../src/cluster/leases';
import { migrate, openDataSource } from '../../../src/db/data-source';
import { silentLogger } from '../../../src/log';
import { type App, createApp } from '../../../src/main';
import { listOutbox } from '../../../src/outbox/store';
import { WECOM_LEASE } from '../../../src/transports/wecom/wecom';
import { type UrlDatabase, testConfig, urlDatabases } from '../../helpers/db';
import { type FakeWeCom, startFakeWeCom } from '../../helpers/fake-wecom';
import { alarmPath } from '../../helpers/fixtures';
import { type SiteServer, startSiteServer } from '../../helpers/site-server';
import { REGISTER } from '../../helpers/ts-process';

const LEASE_MS = 1500;
const GROUP = 'wrkOPSGROUP01';
const ROOT = join(__dirname, '..', '..', '..');
/** Today in Shanghai as the file name has it (20261206) and as its lines do (2026-12-06): both hubs run on the real clock. */
function today(): { file: string; line: string } {
  const line = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
  return { file: line.replace(/-/g, ''), line };
}

const engines = urlDatabases('WeCom connection takeover');

describe.each(engines)('WeCom connection takeover [$name]', ({ open }) => {
  let db: UrlDatabase;
  let server: FakeWeCom;
  let site: SiteServer;
  let child: ChildProcess | null = null;
  let hubB: App | null = null;
  let dir: string;

  beforeEach(async () => {
    [db, server, site] = await Promise.all([open(), startFakeWeCom(), startSiteServer()]);
    dir = mkdtempSync(join(tmpdir(), 'sw-takeover-'));
  });
  afterEach(async () => {
    child?.kill('SIGKILL');
    child = null;
    await hubB?.stop();
    hubB = null;
    await Promise.all([server.close(), site.close()]);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const settings = (hubId: string) => ({
    db: { url: db.url },
    timezone: 'Asia/Shanghai',
    cluster: { hubId },
    bot: { enabled: false },
    web: { enabled: false },
    selfAlarms: { enabled: false },
    charts: { threads: 1 },
    ingest: { backfillDays: 2, retries: 0, retryDelayMs: 1 },
    wecomBot: {
      enabled: true,
      botId: server.botId,
      secret: server.secret,
      wsUrl: server.url,
      leaseMs: LEASE_MS,
      sendIntervalMs: 0,
    },
    log: { level: 'silent' },
  });

  /** Hub A in its own process; resolves once it holds the connection. */
  async function startHubA(): Promise<void> {
    const file = join(dir, 'hub-a.json');
    writeFileSync(file, JSON.stringify(settings('hub-a')));
    const c = spawn(
      process.execPath,
      ['--disable-warning=ExperimentalWarning', '-e', REGISTER, join(__dirname, 'hub-process.ts')],
      {
        cwd: ROOT,
        env: { PATH: processEnv().PATH ?? '', SITEWATCH_CONFIG: file },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = c;
    let out = '';
    let err = '';
    c.stderr?.on('data', (d) => (err += String(d)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`hub A did not start: ${err}`)), 30_000);
      c.stdout?.on('data', (d) => {
        out += String(d);
        if (out.includes('ready authenticated')) {
          clearTimeout(timer);
          resolve();
        }
      });
      c.once('exit', (code) => reject(new Error(`hub A exited (${code}): ${err}`)));
    });
  }

  it('hands the connection to the second hub after the first is killed; every answer and push arrives once', async () => {
    // The schema, a site, an admin bound on WeCom, and a WeCom chat subscribed to the site.
    const ds = await openDataSource(db.url);
    await migrate(ds);
    const bj01 = await addSite(ds, { code: 'BJ01', name: '北京一号', baseUrl: site.url });
    const admin = await addUser(ds, {
      login: 'admin',
      password: 'correct-horse-battery',
      role: 'admin',
    });
    await bindContact(ds, admin.id, { transport: 'wecom', id: 'AdminWang', name: 'AdminWang' });
    await subscribeRoom(ds, {
      transport: 'wecom',
      topic: GROUP,
      roomId: null,
      siteId: bj01.id,
      by: admin.id,
      now: Date.now(),
    });
    await ds.destroy();

    await startHubA();
    hubB = await createApp(testConfig(settings('hub-b')), silentLogger, { schedule: false });
    await hubB.start();
    const wecomB = hubB.transports.find((t) => t.name === 'wecom')!;
    await server.waitFor(() => wecomB.health().state === 'standby', 5000, 'hub B standing by');
    expect(wecomB.health().holder).toBe('hub-a');

    // Answered by hub A, on the first connection; the group has now talked to the robot.
    const q1 = server.text({ from: 'AdminWang', content: '局点', chatId: GROUP });
    await server.waitFor(() => server.replies(q1).some((r) => r.finish === true), 10_000, 'q1');

    // An alarm ingested by hub B waits for the hub holding the connection.
    const d = today();
    site.put(
      alarmPath(d.file),
      `BJ01|DISK_FULL|db-01|/data 使用率 95%|${d.line} 08:00:00||${d.line} 08:00:30\n`,
    );
    await hubB.ingest.run();
    await hubB.notifications.afterIngest();
    const queued = (await listOutbox(hubB.ds)).filter((r) => r.channel === 'wecom-bot');
    expect(queued.map((r) => [r.recipient, r.status, r.attempts])).toEqual([
      [`room:${GROUP}`, 'pending', 0],
    ]);

    // Hub A dies holding the lease; messages sent meanwhile wait at WeCom.
    const killedAt = Date.now();
    child!.kill('SIGKILL');
    child = null;
    // A callback WeCom hands to a socket in the instant it dies is lost with it (not ours to save):
    // these are sent once WeCom has seen the connection close.
    await server.waitFor(() => server.openConnections().length === 0, 5000, 'A gone');
    const during = ['告警', '帮助'].map((content) => server.text({ from: 'AdminWang', content }));
    await server.waitFor(() => wecomB.health().state === 'authenticated', 10_000, 'takeover');
    const tookMs = Date.now() - killedAt;
    // The lease expires at most LEASE_MS after A's last renewal; B looks every quarter of it.
    expect(tookMs).toBeLessThan(LEASE_MS * 1.25 + 1500);
    expect(await createLeases({ ds: hubB.ds, owner: 'x', ttlMs: 1 }).holder(WECOM_LEASE)).toBe(
      'hub-b',
    );

    for (const req of during)
      await server.waitFor(() => server.replies(req).some((r) => r.finish === true), 10_000, req);
    await hubB.notifications.dispatcher.runOnce();
    await server.waitFor(() => server.sent(GROUP).length >= 2, 10_000, 'the alarm push');

    // Once each: every callback has one finished answer, the alarm one markdown and one image.
    for (const req of [q1, ...during])
      expect(server.replies(req).filter((r) => r.finish === true)).toHaveLength(1);
    expect(server.sent(GROUP).map((b) => b.msgtype)).toEqual(['markdown', 'image']);
    expect(server.framesOf('aibot_subscribe').map((f) => f.conn)).toEqual([1, 2]);
    const sent = (await listOutbox(hubB.ds)).filter((r) => r.channel === 'wecom-bot');
    expect(sent.map((r) => [r.status, r.attempts])).toEqual([['sent', 1]]);
    expect(server.problems).toEqual([]);
  }, 60_000);
});
