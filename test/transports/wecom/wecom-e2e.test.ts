// The whole hub on WeCom's intelligent robot (real SDK, fake long-connection server): strangers, binding, 状态 with its chart, a room's sites, and alarm pushes with their recovery.
import { createHash } from 'node:crypto';
import { createBindCode } from '../../../src/admin/bind-codes';
import { addSite } from '../../../src/admin/sites';
import { addUser } from '../../../src/admin/users';
import { UNBOUND_HINT } from '../../../src/chat/handler';
import { silentLogger } from '../../../src/log';
import { type App, createApp } from '../../../src/main';
import { listOutbox } from '../../../src/outbox/store';
import { THINKING_TEXT } from '../../../src/transports/wecom/wecom';
import { startOfDay } from '../../../src/time';
import { type UrlDatabase, testConfig, urlDatabases } from '../../helpers/db';
import { type FakeWeCom, type StreamReply, startFakeWeCom } from '../../helpers/fake-wecom';
import { alarmPath, day } from '../../helpers/fixtures';
import { type SiteServer, startSiteServer } from '../../helpers/site-server';

/** 10:00 on the files' day in Shanghai. */
const T0 = startOfDay(day, 'Asia/Shanghai') + 10 * 3600_000;
const GROUP = 'wrkOPSGROUP01';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

const BJ01_ALARMS =
  'BJ01|DISK_FULL|db-01|/data 使用率 95%|2026-11-24 08:00:00||2026-11-24 08:00:30\n' +
  'BJ01|LINK_DOWN|gw-02|到 HLR 的链路中断|2026-11-24 08:30:00||2026-11-24 08:30:30\n';
const BJ01_RECOVERY =
  'BJ01|LINK_DOWN|gw-02|到 HLR 的链路中断|2026-11-24 08:30:00|2026-11-24 09:55:00|2026-11-24 09:56:00\n';

const engines = urlDatabases('WeCom robot end to end');

describe.each(engines)('WeCom robot end to end [$name]', ({ open }) => {
  let db: UrlDatabase;
  let server: FakeWeCom;
  let bj01: SiteServer;
  let bj02: SiteServer;
  let app: App | undefined;
  let t = T0;

  beforeEach(async () => {
    t = T0;
    [db, server, bj01, bj02] = await Promise.all([
      open(),
      startFakeWeCom(),
      startSiteServer(),
      startSiteServer(),
    ]);
  });
  afterEach(async () => {
    await app?.stop();
    app = undefined;
    await Promise.all([server.close(), bj01.close(), bj02.close()]);
    await db.drop();
  });

  async function start(): Promise<App> {
    const config = testConfig({
      db: { url: db.url },
      timezone: 'Asia/Shanghai',
      bot: { enabled: false },
      wecomBot: {
        enabled: true,
        botId: server.botId,
        secret: server.secret,
        wsUrl: server.url,
        sendIntervalMs: 0,
      },
      charts: { threads: 1 },
      selfAlarms: { enabled: false },
      ingest: { backfillDays: 2, retries: 0, retryDelayMs: 1 },
      notify: { retryBaseMs: 30_000 },
    });
    const a = await createApp(config, silentLogger, { now: () => t, schedule: false });
    app = a;
    await a.start();
    await server.waitFor(
      () => a.transports.some((x) => x.name === 'wecom' && x.health().state === 'authenticated'),
      10_000,
      'the robot connected',
    );
    await addSite(a.ds, { code: 'BJ01', name: '北京一号', baseUrl: bj01.url });
    await addSite(a.ds, { code: 'BJ02', name: '北京二号', baseUrl: bj02.url });
    await addUser(a.ds, { login: 'admin', password: 'correct-horse-battery', role: 'admin' });
    await addUser(a.ds, {
      login: 'li.lei',
      password: 'correct-horse-battery',
      displayName: '李雷',
      role: 'operator',
      sites: ['BJ01', 'BJ02'],
    });
    return a;
  }

  /** Send `content` as `from` (in GROUP when `group`) and wait for the finished answer: every frame of it. */
  async function ask(from: string, content: string, group = false): Promise<StreamReply[]> {
    const req = server.text({ from, content, ...(group ? { chatId: GROUP } : {}) });
    await server.waitFor(
      () => server.replies(req).some((r) => r.finish === true),
      20_000,
      `the answer to "${content}"`,
    );
    return server.replies(req);
  }
  const final = async (from: string, content: string, group = false) =>
    (await ask(from, content, group)).at(-1)!;

  async function bind(a: App, login: string, userid: string): Promise<void> {
    const { code } = await createBindCode(a.ds, login, t);
    expect((await final(userid, `绑定 ${code}`)).content).toMatch(/^绑定成功：/);
  }

  it('gives a stranger the bind hint and no data, in one finished frame', async () => {
    await start();
    expect(await ask('stranger01', '状态 BJ01')).toEqual([
      { id: expect.stringMatching(/^stream_/), finish: true, content: UNBOUND_HINT },
    ]);
    expect(await ask('stranger01', '局点')).toEqual([
      { id: expect.any(String), finish: true, content: UNBOUND_HINT },
    ]);
    expect(server.problems).toEqual([]);
  });

  it('binds by WeCom userid, then answers 状态 with "查询中…" first and the text with a PNG whose md5 matches', async () => {
    const a = await start();
    await bind(a, 'li.lei', 'LiLei');
    const frames = await ask('LiLei', '状态 BJ01');
    expect(frames.map((f) => [f.finish, f.content?.split('\n')[0]])).toEqual([
      [false, THINKING_TEXT],
      [true, '北京一号（BJ01）状态（2026-11-24 10:00）'],
    ]);
    expect(frames[1].id).toBe(frames[0].id);
    const items = frames[1].msg_item ?? [];
    expect(items).toHaveLength(1);
    const png = Buffer.from(items[0].image.base64, 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(items[0].image.md5).toBe(md5(png));
    expect(server.problems).toEqual([]);
  });

  it('answers a room only about its subscribed sites: another site reads exactly like a nonexistent one', async () => {
    const a = await start();
    await bind(a, 'admin', 'AdminWang');
    await bind(a, 'li.lei', 'LiLei');
    expect((await final('AdminWang', '订阅 BJ01', true)).content).toBe(
      '已为本群订阅北京一号（BJ01）。\n本群订阅的局点：BJ01 北京一号',
    );
    const other = await final('LiLei', '状态 BJ02', true);
    const none = await final('LiLei', '状态 NOSUCH', true);
    expect(other.content).toBe(none.content?.replace('NOSUCH', 'BJ02'));
    expect(other.msg_item).toBeUndefined();
    const own = await final('LiLei', '状态 BJ01', true);
    expect(own.content?.split('\n')[0]).toBe('北京一号（BJ01）状态（2026-11-24 10:00）');
    // In a 1:1 chat li.lei sees BJ02, which is his.
    expect((await final('LiLei', '状态 BJ02')).content?.split('\n')[0]).toBe(
      '北京二号（BJ02）状态（2026-11-24 10:00）',
    );
  });

  it('pushes a grouped alarm notice to the subscribed WeCom chat, then its recovery, each once', async () => {
    const a = await start();
    await bind(a, 'admin', 'AdminWang');
    await final('AdminWang', '订阅 BJ01', true);
    bj01.put(alarmPath(), BJ01_ALARMS);
    await a.ingest.run();
    await a.notifications.afterIngest();
    await server.waitFor(() => server.sent(GROUP).length >= 2, 20_000, 'alarm push');
    const first = server.sent(GROUP);
    expect(first.map((b) => b.msgtype)).toEqual(['markdown', 'image']);
    const md = (first[0].markdown as { content: string }).content;
    expect(md).toBe(
      [
        '## 【告警】北京一号（BJ01）',
        '新告警 2 条',
        '**1.** <font color="warning">[严重]</font> **磁盘空间不足（DISK_FULL）**',
        '>节点：db-01　发生：11-24 08:00',
        '>描述：/data 使用率 95%',
        '>状态：<font color="warning">未恢复</font>',
        '>建议：清理日志与临时文件，或扩容磁盘',
        '**2.** <font color="warning">[严重]</font> **链路中断（LINK_DOWN）**',
        '>节点：gw-02　发生：11-24 08:30',
        '>描述：到 HLR 的链路中断',
        '>状态：<font color="warning">未恢复</font>',
        '>建议：检查网络连接与对端设备',
      ].join('\n'),
    );
    const mediaId = (first[1].image as { media_id: string }).media_id;
    const upload = server.uploads.find((u) => u.mediaId === mediaId);
    expect(upload?.bytes?.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    t = T0 + 5 * 60_000;
    bj01.append(alarmPath(), BJ01_RECOVERY);
    await a.ingest.run();
    await a.notifications.afterIngest();
    await server.waitFor(() => server.sent(GROUP).length >= 4, 20_000, 'recovery push');
    const recovery = (server.sent(GROUP)[2].markdown as { content: string }).content;
    expect(recovery).toBe(
      [
        '## 【告警】北京一号（BJ01）',
        '恢复 1 条',
        '**1.** <font color="warning">[严重]</font> **链路中断（LINK_DOWN）**',
        '>节点：gw-02　发生：11-24 08:30',
        '>描述：到 HLR 的链路中断',
        '>状态：<font color="info">已恢复，持续 1小时25分</font>',
        '>建议：检查网络连接与对端设备',
      ].join('\n'),
    );
    expect(server.sent(GROUP)).toHaveLength(4);
    expect(
      (await listOutbox(a.ds))
        .filter((r) => r.channel === 'wecom-bot')
        .map((r) => [r.recipient, r.kind, r.status, r.partsSent]),
    ).toEqual([
      [`room:${GROUP}`, 'alarms', 'sent', 1],
      [`room:${GROUP}`, 'alarms', 'sent', 1],
    ]);
    expect(server.problems).toEqual([]);
  });
});
