// Feishu / Lark bot channel against a real HTTP server on loopback that checks token, signature and cards the way Feishu documents them.
import { Writable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { ConfigError } from '../../../config/schema';
import { RateLimitedError, SitewatchError } from '../../../src/errors';
import { createLogger, silentLogger } from '../../../src/log';
import {
  FEISHU_RATE_LIMITED_MS,
  createFeishuChannel,
  feishuChannel,
  feishuSign,
  type FeishuChannelOptions,
  type FeishuRobot,
} from '../../../src/notify/channels/feishu';
import type { SendContext } from '../../../src/notify/types';
import { testConfig } from '../../helpers/db';
import {
  FEISHU_ANSWERS,
  FEISHU_SECRET,
  FEISHU_TOKEN,
  feishuRobots,
  startFeishuRobot,
  stopFeishuRobots,
  type FeishuRobotServer,
} from '../../helpers/feishu-robot';
import { alarmNotice, botNotice, reportNotice, sendContext } from '../fixtures';

afterEach(() => stopFeishuRobots());

/** 2026-11-24 10:00 Beijing: the clock of channel and server unless a test moves one. */
const T0 = Date.UTC(2026, 10, 24, 2, 0);
const T0_S = String(T0 / 1000);

const ALARM_MD = [
  '新告警 3 条，恢复 1 条，提醒 1 条，升级 1 条',
  '',
  '**1.** [严重] **磁盘空间不足（DISK_FULL）**',
  '节点：db-01\u3000发生：11-24 09:12',
  '描述：/data 使用率 95%',
  '状态：未恢复',
  '建议：清理日志与临时文件，或扩容磁盘',
  '',
  '**2.** [严重] **链路中断（LINK_DOWN）**',
  '节点：gw-02\u3000发生：11-24 08:00',
  '描述：到 HLR 的链路中断',
  '状态：已恢复，持续 1小时5分',
  '建议：检查网络连接与对端设备',
  '已由 张三 确认',
  '',
  '**3.** [重要] **CPU 使用率过高（CPU_HIGH）**',
  '节点：app-03\u3000发生：11-24 05:30',
  '描述：CPU 使用率 97%',
  '状态：第 2 次提醒，已持续 4小时',
  '建议：查看占用 CPU 最多的进程，必要时扩容或限流',
  '已由 李四 静默',
  '',
  '**4.** [严重] **进程停止（PROCESS_DOWN）**',
  '节点：app-01\u3000发生：11-23 21:30',
  '描述：nginx 进程不存在',
  '状态：已提醒 3 次仍未恢复（已持续 12小时），升级至管理员',
  '建议：登录服务器查看进程日志并重启进程',
  '',
  '**5.** [重要] **局点文件停止增长（SW_FILE_STALE）** [Sitewatch]',
  '节点：sys_monitor\u3000发生：11-24 09:25',
  '描述：system_info_20261124.txt 已 45 分钟未增长',
  '状态：未恢复',
  '建议：检查局点的采集脚本是否仍在运行',
  '',
  '**6.** [提示] **VENDOR_X_ALARM**',
  '节点：sbc-01\u3000发生：11-24 09:20',
  '描述：vendor code 0x1f',
  '状态：未恢复',
].join('\n');

const REPORT_MD = [
  '业务数据（括号内为较前一日）：',
  '开通 **1,234**（+12 (+1.0%)）',
  '退订 **56**（-4 (-6.7%)）',
  '总用户 **1,204,567**（+1,178 (+0.1%)）',
  '调用 **98,765**（-1,235 (-1.2%)）',
  '推送 **43,210**（0 (0.0%)）',
  '上行 **5,000**（+1,000 (+25.0%)）',
  '下行 **0**（0）',
  '服务器 12 台，其中 2 台停止上报',
  '未恢复告警 5 条，当日新增告警 8 条',
  '**通知发送失败 3 条，请查看 sitewatch outbox**',
].join('\n');

const card = (template: string, title: string, elements: unknown[]) => ({
  config: { wide_screen_mode: true },
  header: { template, title: { tag: 'plain_text', content: title } },
  elements,
});

const md = (content: string) => ({ tag: 'markdown', content });

const button = (url: string) => ({
  tag: 'action',
  actions: [
    { tag: 'button', text: { tag: 'plain_text', content: '查看图表' }, type: 'primary', url },
  ],
});

/** A context whose notice has a chart (an option), at `link` or with none. */
function chartContext(link: string | null): SendContext {
  return { ...sendContext(null, undefined, link), chartOption: async () => ({ series: [] }) };
}

function channel(
  server: FeishuRobotServer,
  robot: Partial<FeishuRobot> = {},
  o: Partial<FeishuChannelOptions> = {},
) {
  return createFeishuChannel({
    robots: [
      { name: '运维一群', url: server.url, secret: FEISHU_SECRET, sites: ['BJ-CMCC'], ...robot },
    ],
    timeoutMs: 2000,
    log: silentLogger,
    groupLimit: 20,
    now: () => T0,
    ...o,
  });
}

const atT0 = () => startFeishuRobot({ now: () => T0 });

async function failure(p: Promise<unknown>): Promise<SitewatchError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SitewatchError);
  return err as SitewatchError;
}

describe('Feishu bot channel', () => {
  it('posts an alarm notice as one signed card, red for the critical alarms still open', async () => {
    const server = await atT0();
    const ch = channel(server);
    expect(ch.name).toBe('feishu');
    await ch.send('运维一群', alarmNotice(), sendContext(null));
    expect(server.problems).toEqual([]);
    expect(server.payloads).toEqual([
      {
        timestamp: T0_S,
        sign: feishuSign(T0 / 1000, FEISHU_SECRET),
        msg_type: 'interactive',
        card: card('red', '【告警】北京移动（BJ-CMCC）', [md(ALARM_MD)]),
      },
    ]);
  });

  it('signs as Feishu documents: base64 HMAC-SHA256 keyed by "timestamp\\nsecret" over nothing', () => {
    // Worked by hand: printf '' | openssl dgst -sha256 -mac HMAC -macopt key:"$(printf '1700000000\nsecabc')" -binary | base64
    expect(feishuSign(1_700_000_000, 'secabc')).toBe(
      'bp3pwBn+ui1IAuZP22Sf/ToAIJ1vQIr2AwOmS/Evnow=',
    );
  });

  it('posts the daily report as a blue card with a button to the chart', async () => {
    const server = await atT0();
    await channel(server).send(
      '运维一群',
      reportNotice(),
      chartContext('https://sw.example.com/charts/9f2c?exp=1764000000&sig=abc'),
    );
    expect(server.problems).toEqual([]);
    expect(server.payloads[0].card).toEqual(
      card('blue', '【日报】北京移动（BJ-CMCC） 2026-11-24', [
        md(REPORT_MD),
        button('https://sw.example.com/charts/9f2c?exp=1764000000&sig=abc'),
      ]),
    );
  });

  it('says the chart is in the portal when there is no link, and nothing when there is no chart', async () => {
    const server = await atT0();
    const ch = channel(server);
    await ch.send('运维一群', reportNotice(), chartContext(null));
    await ch.send('运维一群', reportNotice(), sendContext(null));
    expect(server.payloads.map((p) => p.card.elements)).toEqual([
      [md(`${REPORT_MD}\n\n图表请在 Sitewatch 门户查看`)],
      [md(REPORT_MD)],
    ]);
  });

  it('takes no link that is not http(s)', async () => {
    const server = await atT0();
    await channel(server).send('运维一群', reportNotice(), chartContext('javascript:alert(1)'));
    expect(server.payloads[0].card.elements).toEqual([
      md(`${REPORT_MD}\n\n图表请在 Sitewatch 门户查看`),
    ]);
  });

  it('colours the header by the worst alarm still open, green when all recovered', async () => {
    const server = await atT0();
    const ch = channel(server);
    const n = alarmNotice();
    const major = { ...n, items: [n.items[2]] };
    const resolved = { ...n, items: [n.items[1]] };
    await ch.send('运维一群', major, sendContext(null));
    await ch.send('运维一群', resolved, sendContext(null));
    expect(server.payloads.map((p) => p.card.header.template)).toEqual(['orange', 'green']);
  });

  it('asks to scan the bot QR code in the portal or email, since the bot takes no image', async () => {
    const server = await atT0();
    const ch = channel(server);
    await ch.send('运维一群', botNotice(), sendContext(null));
    await ch.send('运维一群', botNotice('logged-in'), sendContext(null));
    expect(server.problems).toEqual([]);
    expect(server.payloads.map((p) => p.card)).toEqual([
      card('red', '【Sitewatch】微信机器人已掉线（11-24 10:15）', [
        md(
          [
            '在重新登录之前，微信群推送暂时改由本渠道发送。',
            '请用机器人的微信扫描二维码重新登录：[打开登录二维码](https://login.weixin.qq.com/l/Abc123==)',
            '登录二维码图片请在 Sitewatch 门户或通知邮件中查看并扫描',
          ].join('\n'),
        ),
      ]),
      card('green', '【Sitewatch】微信机器人已重新登录（11-24 10:15）', [
        md('群推送恢复经微信发送。'),
      ]),
    ]);
  });

  it('sends unsigned to a bot without a secret', async () => {
    const server = await startFeishuRobot({ secret: null });
    await channel(server, { secret: undefined }).send(
      '运维一群',
      reportNotice(),
      sendContext(null),
    );
    expect(server.problems).toEqual([]);
    expect(server.payloads[0]).not.toHaveProperty('sign');
  });

  it('fails on a wrong secret with Feishu’s sign error, never repeating token or secret', async () => {
    const server = await atT0();
    const wrong = 'this-is-not-the-bots-secret-0123';
    const err = await failure(
      channel(server, { secret: wrong }).send('运维一群', alarmNotice(), sendContext(null)),
    );
    expect(server.problems).toEqual(['sign mismatch']);
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toBe(
      'Feishu bot "运维一群": refused: code 19021 (signature check failed: check the secret and the clock) sign match fail or timestamp is not within one hour from current time',
    );
    for (const secret of [FEISHU_TOKEN, wrong, FEISHU_SECRET])
      expect(err.message).not.toContain(secret);
  });

  it('fails when its clock is over an hour off (the signature has expired)', async () => {
    const server = await atT0();
    const err = await failure(
      channel(server, {}, { now: () => T0 + 61 * 60_000 }).send(
        '运维一群',
        alarmNotice(),
        sendContext(null),
      ),
    );
    expect(server.problems).toEqual(['timestamp not within an hour']);
    expect(err.message).toContain('refused: code 19021');
  });

  it('accepts the older StatusCode answer', async () => {
    const server = await atT0();
    server.answer = () => FEISHU_ANSWERS.okLegacy;
    await channel(server).send('运维一群', alarmNotice(), sendContext(null));
    server.answer = () => ({
      status: 200,
      body: { StatusCode: 9499, StatusMessage: 'Bad Request' },
    });
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toBe('Feishu bot "运维一群": refused: code 9499 (bad request) Bad Request');
  });

  it('turns code 11232 (frequency limited) into a wait of a minute', async () => {
    const server = await atT0();
    server.answer = () => FEISHU_ANSWERS.rateLimited;
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(FEISHU_RATE_LIMITED_MS);
    expect(err.message).toBe(
      'Feishu bot "运维一群": rate limited (code 11232 frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]); retry in 60000 ms',
    );
  });

  it('waits as long as an HTTP 429 says in x-ogw-ratelimit-reset', async () => {
    const server = await atT0();
    server.answer = () => ({
      status: 429,
      body: { code: 99991400, msg: 'request trigger frequency limit' },
      headers: { 'x-ogw-ratelimit-reset': '52' },
    });
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(52_000);
  });

  it('fails clearly on a bad request (9499), as for a body Feishu cannot take', async () => {
    const server = await atT0();
    server.answer = () => FEISHU_ANSWERS.badRequest;
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err).not.toBeInstanceOf(RateLimitedError);
    expect(err.message).toBe('Feishu bot "运维一群": refused: code 9499 (bad request) Bad Request');
  });

  it('fits 300 long alarms into Feishu’s 20 KB body, counting the rest', async () => {
    const server = await atT0();
    const notice = alarmNotice(300);
    notice.items = notice.items.map((it) => ({ ...it, description: `"${'磁'.repeat(298)}"` }));
    await channel(server, {}, { groupLimit: 300 }).send(
      '运维一群',
      notice,
      chartContext('https://sw.example.com/c/1'),
    );
    expect(server.problems).toEqual([]);
    const content = (server.payloads[0].card.elements[0] as { content: string }).content;
    expect(Buffer.byteLength(content, 'utf8')).toBeLessThanOrEqual(18_000);
    const listed = content.match(/^\*\*\d+\.\*\* /gm)!.length;
    expect(listed).toBeGreaterThan(10);
    expect(listed).toBeLessThan(300);
    expect(content.endsWith(`……及其他 ${300 - listed} 条`)).toBe(true);
  });

  it('fails on an HTTP error', async () => {
    const server = await atT0();
    server.answer = () => ({ status: 500, body: { error: 'boom' } });
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toBe('Feishu bot "运维一群": not sent: HTTP 500');
  });

  it('fails on an answer that is not Feishu JSON', async () => {
    const server = await atT0();
    server.answer = () => ({ status: 200, body: '<html>proxy login</html>' });
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toBe('Feishu bot "运维一群": not sent: unexpected answer (HTTP 200)');
  });

  it('times out when Feishu does not answer', async () => {
    const server = await atT0();
    server.answer = () => 'hang';
    const started = Date.now();
    const err = await failure(
      channel(server, {}, { timeoutMs: 300 }).send('运维一群', alarmNotice(), sendContext(null)),
    );
    expect(err.message).toBe('Feishu bot "运维一群": not sent: no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails when the server is down, without repeating the token', async () => {
    const server = await atT0();
    await server.close();
    feishuRobots.splice(feishuRobots.indexOf(server), 1);
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain(FEISHU_TOKEN);
    expect(err.cause).toBeUndefined();
  });

  it('refuses an unknown bot', async () => {
    const server = await atT0();
    const err = await failure(channel(server).send('不存在的群', alarmNotice(), sendContext(null)));
    expect(err.code).toBe('NOTIFY_BAD_RECIPIENT');
    expect(err.message).toBe('no Feishu bot named "不存在的群" in notify.feishu.robots');
    expect(server.payloads).toEqual([]);
  });

  it('logs the bot name, never the token or secret', async () => {
    const server = await atT0();
    let logged = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logged += chunk.toString();
        cb();
      },
    });
    const log = createLogger('debug', sink);
    await channel(server, {}, { log }).send('运维一群', alarmNotice(), sendContext(null));
    expect(logged).toContain('"robot":"运维一群"');
    expect(logged).not.toContain(FEISHU_TOKEN);
    expect(logged).not.toContain(FEISHU_SECRET);
  });
});

describe('Feishu channel definition', () => {
  const em = {} as EntityManager;
  const url = `https://open.feishu.cn/open-apis/bot/v2/hook/${FEISHU_TOKEN}`;

  it('sends each site to the bots that watch it or everything, and admins to every bot', async () => {
    const config = testConfig({
      notify: {
        feishu: {
          robots: [
            { name: 'all', url, sites: ['*'] },
            { name: 'sh', url, secret: FEISHU_SECRET, sites: ['SH-CU'] },
          ],
        },
      },
    });
    const r = feishuChannel.recipients(config)!;
    expect(
      await r.site(
        em,
        [
          { id: 1, code: 'BJ-CMCC' },
          { id: 2, code: 'SH-CU' },
        ],
        'report',
      ),
    ).toEqual([
      { siteId: 1, recipient: 'all' },
      { siteId: 2, recipient: 'all' },
      { siteId: 2, recipient: 'sh' },
    ]);
    expect(await r.admins(em, 'bot')).toEqual(['all', 'sh']);
    expect(feishuChannel.limits(config)).toEqual({
      maxSize: 18_000,
      unit: 'utf8 bytes',
      groupLimit: 20,
    });
  });

  it('is not configured without bots', () => {
    const config = testConfig();
    expect(feishuChannel.recipients(config)).toBeNull();
    expect(
      feishuChannel.create({ ds: null as never, config, log: silentLogger, chatSenders: {} }),
    ).toBeNull();
  });

  it('refuses a webhook that is not a bot hook, without repeating the URL', () => {
    const bad = 'https://open.feishu.cn/open-apis/other/SECRETVALUE';
    let err: unknown;
    try {
      testConfig({ notify: { feishu: { robots: [{ name: 'x', url: bad, sites: ['*'] }] } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'notify.feishu.robots.0.url must be the bot webhook …/open-apis/bot/v2/hook/<token>',
    ]);
  });
});
