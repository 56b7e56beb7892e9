// DingTalk robot channel against a real HTTP server on loopback that checks token, 加签 signature and payloads the way DingTalk documents them.
import { Writable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { ConfigError } from '../../../config/schema';
import { RateLimitedError, SitewatchError } from '../../../src/errors';
import { createLogger, silentLogger } from '../../../src/log';
import {
  DINGTALK_THROTTLE_MS,
  createDingtalkChannel,
  dingtalkChannel,
  dingtalkSign,
  type DingtalkChannelOptions,
  type DingtalkRobot,
} from '../../../src/notify/channels/dingtalk';
import type { SendContext } from '../../../src/notify/types';
import {
  DINGTALK_ANSWERS,
  DINGTALK_SECRET,
  DINGTALK_TOKEN,
  dingtalkRobots,
  startDingtalkRobot,
  stopDingtalkRobots,
  type DingtalkRobotServer,
} from '../../helpers/dingtalk-robot';
import { testConfig } from '../../helpers/db';
import { alarmNotice, botNotice, reportNotice, sendContext } from '../fixtures';

afterEach(() => stopDingtalkRobots());

/** 2026-11-24 10:00 Beijing: the clock of channel and server unless a test moves one. */
const T0 = Date.UTC(2026, 10, 24, 2, 0);

const ALARM_TEXT = [
  '### 【告警】北京移动（BJ-CMCC）',
  '新告警 3 条，恢复 1 条，提醒 1 条，升级 1 条',
  '',
  '**1.** [严重] **磁盘空间不足（DISK_FULL）**  ',
  '节点：db-01\u3000发生：11-24 09:12  ',
  '描述：/data 使用率 95%  ',
  '状态：未恢复  ',
  '建议：清理日志与临时文件，或扩容磁盘',
  '',
  '**2.** [严重] **链路中断（LINK_DOWN）**  ',
  '节点：gw-02\u3000发生：11-24 08:00  ',
  '描述：到 HLR 的链路中断  ',
  '状态：已恢复，持续 1小时5分  ',
  '建议：检查网络连接与对端设备  ',
  '已由 张三 确认',
  '',
  '**3.** [重要] **CPU 使用率过高（CPU_HIGH）**  ',
  '节点：app-03\u3000发生：11-24 05:30  ',
  '描述：CPU 使用率 97%  ',
  '状态：第 2 次提醒，已持续 4小时  ',
  '建议：查看占用 CPU 最多的进程，必要时扩容或限流  ',
  '已由 李四 静默',
  '',
  '**4.** [严重] **进程停止（PROCESS_DOWN）**  ',
  '节点：app-01\u3000发生：11-23 21:30  ',
  '描述：nginx 进程不存在  ',
  '状态：已提醒 3 次仍未恢复（已持续 12小时），升级至管理员  ',
  '建议：登录服务器查看进程日志并重启进程',
  '',
  '**5.** [重要] **局点文件停止增长（SW_FILE_STALE）** [Sitewatch]  ',
  '节点：sys_monitor\u3000发生：11-24 09:25  ',
  '描述：system_info_20261124.txt 已 45 分钟未增长  ',
  '状态：未恢复  ',
  '建议：检查局点的采集脚本是否仍在运行',
  '',
  '**6.** [提示] **VENDOR_X_ALARM**  ',
  '节点：sbc-01\u3000发生：11-24 09:20  ',
  '描述：vendor code 0x1f  ',
  '状态：未恢复',
].join('\n');

const REPORT_TEXT = [
  '### 【日报】北京移动（BJ-CMCC） 2026-11-24',
  '业务数据（括号内为较前一日）：  ',
  '开通 **1,234**（+12 (+1.0%)）  ',
  '退订 **56**（-4 (-6.7%)）  ',
  '总用户 **1,204,567**（+1,178 (+0.1%)）  ',
  '调用 **98,765**（-1,235 (-1.2%)）  ',
  '推送 **43,210**（0 (0.0%)）  ',
  '上行 **5,000**（+1,000 (+25.0%)）  ',
  '下行 **0**（0）  ',
  '服务器 12 台，其中 2 台停止上报  ',
  '未恢复告警 5 条，当日新增告警 8 条  ',
  '**通知发送失败 3 条，请查看 sitewatch outbox**',
].join('\n');

const NO_AT = { atMobiles: [], atUserIds: [], isAtAll: false };

/** A context whose notice has a chart (an option), at `link` or with none. */
function chartContext(link: string | null): SendContext {
  return { ...sendContext(null, undefined, link), chartOption: async () => ({ series: [] }) };
}

function channel(
  server: DingtalkRobotServer,
  robot: Partial<DingtalkRobot> = {},
  o: Partial<DingtalkChannelOptions> = {},
) {
  return createDingtalkChannel({
    robots: [
      { name: '运维一群', url: server.url, secret: DINGTALK_SECRET, sites: ['BJ-CMCC'], ...robot },
    ],
    timeoutMs: 2000,
    log: silentLogger,
    groupLimit: 20,
    now: () => T0,
    ...o,
  });
}

const atT0 = () => startDingtalkRobot({ now: () => T0 });

async function failure(p: Promise<unknown>): Promise<SitewatchError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SitewatchError);
  return err as SitewatchError;
}

describe('DingTalk robot channel', () => {
  it('posts an alarm notice as one signed markdown message', async () => {
    const server = await atT0();
    const ch = channel(server);
    expect(ch.name).toBe('dingtalk');
    await ch.send('运维一群', alarmNotice(), sendContext(null));
    expect(server.problems).toEqual([]);
    expect(server.timestamps).toEqual([T0]);
    expect(server.payloads).toEqual([
      {
        msgtype: 'markdown',
        markdown: {
          title: '【告警】北京移动（BJ-CMCC）：新告警 3 条，恢复 1 条，提醒 1 条，升级 1 条',
          text: ALARM_TEXT,
        },
        at: NO_AT,
      },
    ]);
  });

  it('signs as DingTalk documents: base64 HMAC-SHA256 of "timestamp\\nsecret", URL-encoded', () => {
    // Worked by hand with openssl: printf '1700000000000\nSECabc' | openssl dgst -sha256 -hmac SECabc -binary | base64
    expect(dingtalkSign(1_700_000_000_000, 'SECabc')).toBe(
      'jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D',
    );
  });

  it('posts the daily report, mentioning nobody', async () => {
    const server = await atT0();
    await channel(server, { atMobiles: ['13800000000'], atAll: true }).send(
      '运维一群',
      reportNotice(),
      sendContext(null),
    );
    expect(server.problems).toEqual([]);
    expect(server.payloads).toEqual([
      {
        msgtype: 'markdown',
        markdown: { title: '【日报】北京移动（BJ-CMCC） 2026-11-24', text: REPORT_TEXT },
        at: NO_AT,
      },
    ]);
  });

  it('shows the chart from its portal link as an image', async () => {
    const server = await atT0();
    await channel(server).send(
      '运维一群',
      reportNotice(),
      chartContext('https://sw.example.com/charts/9f2c?exp=1764000000&sig=ab(c)'),
    );
    expect(server.problems).toEqual([]);
    expect(server.payloads[0].markdown.text).toBe(
      `${REPORT_TEXT}\n\n![图表](https://sw.example.com/charts/9f2c?exp=1764000000&sig=ab%28c%29)`,
    );
  });

  it('says the chart is in the portal when there is no link, and nothing when there is no chart', async () => {
    const server = await atT0();
    const ch = channel(server);
    await ch.send('运维一群', reportNotice(), chartContext(null));
    await ch.send('运维一群', reportNotice(), sendContext(null));
    expect(server.payloads.map((p) => p.markdown.text)).toEqual([
      `${REPORT_TEXT}\n\n图表请在 Sitewatch 门户查看`,
      REPORT_TEXT,
    ]);
  });

  it('asks to scan the bot QR code in the portal or email, since the robot takes no image', async () => {
    const server = await atT0();
    await channel(server).send('运维一群', botNotice(), sendContext(null));
    expect(server.problems).toEqual([]);
    expect(server.payloads[0].markdown).toEqual({
      title: '【Sitewatch】微信机器人已掉线（11-24 10:15）',
      text: [
        '### 【Sitewatch】微信机器人已掉线（11-24 10:15）',
        '在重新登录之前，微信群推送暂时改由本渠道发送。  ',
        '请用机器人的微信扫描二维码重新登录：[打开登录二维码](https://login.weixin.qq.com/l/Abc123==)  ',
        '登录二维码图片请在 Sitewatch 门户或通知邮件中查看并扫描',
      ].join('\n'),
    });
  });

  it('@-mentions the robot’s people in alarms, with "@…" in the text as DingTalk needs', async () => {
    const server = await atT0();
    const ch = channel(server, {
      atMobiles: ['13800000000', '13911112222'],
      atUserIds: ['manager4220'],
      atAll: true,
    });
    await ch.send('运维一群', alarmNotice(), chartContext('https://sw.example.com/c/1'));
    expect(server.problems).toEqual([]);
    expect(server.payloads[0].at).toEqual({
      atMobiles: ['13800000000', '13911112222'],
      atUserIds: ['manager4220'],
      isAtAll: true,
    });
    expect(server.payloads[0].markdown.text).toBe(
      `${ALARM_TEXT}\n\n![图表](https://sw.example.com/c/1)  \n@13800000000 @13911112222 @manager4220`,
    );
  });

  it('sends unsigned to a robot without a secret', async () => {
    const server = await startDingtalkRobot({ secret: null });
    await channel(server, { secret: undefined }).send(
      '运维一群',
      reportNotice(),
      sendContext(null),
    );
    expect(server.problems).toEqual([]);
    expect(server.payloads).toHaveLength(1);
  });

  it('fails on a wrong secret with DingTalk’s sign error, never repeating token or secret', async () => {
    const server = await atT0();
    const wrong = 'SECthis-is-not-the-robots-secret-0123456789';
    const err = await failure(
      channel(server, { secret: wrong }).send('运维一群', alarmNotice(), sendContext(null)),
    );
    expect(server.problems).toEqual(['sign mismatch']);
    expect(err.code).toBe('NOTIFY_SEND_FAILED');
    expect(err.message).toBe(
      'DingTalk robot "运维一群": refused: errcode 310000 (security check failed: check the secret (加签), the clock, keywords and IP whitelist) sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]',
    );
    for (const secret of [DINGTALK_TOKEN, wrong, DINGTALK_SECRET])
      expect(err.message).not.toContain(secret);
  });

  it('fails when its clock is over an hour off (the signature has expired)', async () => {
    const server = await atT0();
    const err = await failure(
      channel(server, {}, { now: () => T0 - 61 * 60_000 }).send(
        '运维一群',
        alarmNotice(),
        sendContext(null),
      ),
    );
    expect(server.problems).toEqual(['timestamp not within an hour']);
    expect(err.message).toBe(
      'DingTalk robot "运维一群": refused: errcode 310000 (security check failed: check the secret (加签), the clock, keywords and IP whitelist) invalid timestamp',
    );
  });

  it('masks the token and secret should DingTalk repeat them', async () => {
    const server = await atT0();
    server.answer = () => ({
      status: 200,
      body: { errcode: 300001, errmsg: `token ${DINGTALK_TOKEN} or ${DINGTALK_SECRET} bad` },
    });
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toBe(
      'DingTalk robot "运维一群": refused: errcode 300001 (no such robot: check the webhook URL) token *** or *** bad',
    );
  });

  it('keeps to 20 messages a minute per robot: the 21st waits for the oldest to leave the window', async () => {
    let t = T0;
    const server = await startDingtalkRobot({ now: () => t });
    const ch = channel(server, {}, { now: () => t });
    for (let i = 0; i < 20; i++) {
      t = T0 + i * 1000;
      await ch.send('运维一群', reportNotice(), sendContext(null));
    }
    t = T0 + 30_000;
    const err = await failure(ch.send('运维一群', reportNotice(), sendContext(null)));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(30_000);
    expect(err.message).toBe(
      'DingTalk robot "运维一群": 20 messages a minute reached; next in 30000 ms',
    );
    expect(server.payloads).toHaveLength(20);
    // The first send leaves the window a minute after it went out; the second one a second later.
    t = T0 + 60_000;
    await ch.send('运维一群', reportNotice(), sendContext(null));
    const next = await failure(ch.send('运维一群', reportNotice(), sendContext(null)));
    expect((next as RateLimitedError).retryAfterMs).toBe(1000);
    expect(server.payloads).toHaveLength(21);
    expect(server.problems).toEqual([]);
  });

  it('shares the window between two names for one webhook, not with another robot', async () => {
    const server = await atT0();
    const other = await atT0();
    const ch = createDingtalkChannel({
      robots: [
        { name: 'a', url: server.url, secret: DINGTALK_SECRET, sites: ['*'] },
        { name: 'b', url: server.url, secret: DINGTALK_SECRET, sites: ['*'] },
        { name: 'c', url: `${other.url}&x=1`, secret: DINGTALK_SECRET, sites: ['*'] },
      ],
      timeoutMs: 2000,
      log: silentLogger,
      groupLimit: 20,
      now: () => T0,
    });
    for (let i = 0; i < 10; i++) {
      await ch.send('a', reportNotice(), sendContext(null));
      await ch.send('b', reportNotice(), sendContext(null));
    }
    await expect(ch.send('a', reportNotice(), sendContext(null))).rejects.toBeInstanceOf(
      RateLimitedError,
    );
    await ch.send('c', reportNotice(), sendContext(null));
    expect([server.payloads.length, other.payloads.length]).toEqual([20, 1]);
  });

  it('turns errcode 130101 into a 10-minute wait, and waits locally meanwhile', async () => {
    let t = T0;
    const server = await startDingtalkRobot({ now: () => t });
    server.answer = () => DINGTALK_ANSWERS.tooFast;
    const ch = channel(server, {}, { now: () => t });
    const err = await failure(ch.send('运维一群', alarmNotice(), sendContext(null)));
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).retryAfterMs).toBe(DINGTALK_THROTTLE_MS);
    expect(err.message).toBe(
      'DingTalk robot "运维一群": rate limited (errcode 130101 send too fast, exceed 20 times per minute); DingTalk throttles it for 10 minutes',
    );
    server.answer = () => DINGTALK_ANSWERS.ok;
    t = T0 + 4 * 60_000;
    const wait = await failure(ch.send('运维一群', alarmNotice(), sendContext(null)));
    expect((wait as RateLimitedError).retryAfterMs).toBe(6 * 60_000);
    expect(server.payloads).toHaveLength(1);
    t = T0 + DINGTALK_THROTTLE_MS;
    await ch.send('运维一群', alarmNotice(), sendContext(null));
    expect(server.payloads).toHaveLength(2);
  });

  it('fails clearly when DingTalk says the message is too long', async () => {
    const server = await atT0();
    server.answer = () => DINGTALK_ANSWERS.tooLong;
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err).not.toBeInstanceOf(RateLimitedError);
    expect(err.message).toBe(
      'DingTalk robot "运维一群": refused: errcode 460101 (message too long) message too long, exceed 20000 bytes',
    );
  });

  it('fits 300 long alarms into DingTalk’s 20000 bytes, counting the rest', async () => {
    const server = await atT0();
    const notice = alarmNotice(300);
    notice.items = notice.items.map((it) => ({ ...it, description: `"${'磁'.repeat(298)}"` }));
    await channel(server, {}, { groupLimit: 300 }).send('运维一群', notice, sendContext(null));
    expect(server.problems).toEqual([]);
    const { text } = server.payloads[0].markdown;
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(18_000);
    const listed = text.match(/^\*\*\d+\.\*\* /gm)!.length;
    expect(listed).toBeGreaterThan(10);
    expect(listed).toBeLessThan(300);
    expect(text.endsWith(`……及其他 ${300 - listed} 条`)).toBe(true);
  });

  it('fails on an HTTP error', async () => {
    const server = await atT0();
    server.answer = () => ({ status: 500, body: { error: 'boom' } });
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toBe('DingTalk robot "运维一群": not sent: HTTP 500');
  });

  it('fails on an answer that is not DingTalk JSON', async () => {
    const server = await atT0();
    server.answer = () => ({ status: 200, body: '<html>proxy login</html>' });
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toBe('DingTalk robot "运维一群": not sent: unexpected answer (HTTP 200)');
  });

  it('times out when DingTalk does not answer', async () => {
    const server = await atT0();
    server.answer = () => 'hang';
    const started = Date.now();
    const err = await failure(
      channel(server, {}, { timeoutMs: 300 }).send('运维一群', alarmNotice(), sendContext(null)),
    );
    expect(err.message).toBe('DingTalk robot "运维一群": not sent: no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('fails when the server is down, without repeating the token or the signature', async () => {
    const server = await atT0();
    await server.close();
    dingtalkRobots.splice(dingtalkRobots.indexOf(server), 1);
    const err = await failure(channel(server).send('运维一群', alarmNotice(), sendContext(null)));
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.message).not.toContain(DINGTALK_TOKEN);
    expect(err.message).not.toContain(dingtalkSign(T0, DINGTALK_SECRET));
    expect(err.cause).toBeUndefined();
  });

  it('refuses an unknown robot', async () => {
    const server = await atT0();
    const err = await failure(channel(server).send('不存在的群', alarmNotice(), sendContext(null)));
    expect(err.code).toBe('NOTIFY_BAD_RECIPIENT');
    expect(err.message).toBe('no DingTalk robot named "不存在的群" in notify.dingtalk.robots');
    expect(server.payloads).toEqual([]);
  });

  it('logs the robot name, never the token or secret', async () => {
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
    expect(logged).not.toContain(DINGTALK_TOKEN);
    expect(logged).not.toContain(DINGTALK_SECRET);
  });
});

describe('DingTalk channel definition', () => {
  const em = {} as EntityManager;
  const robots = (url: string) => [
    { name: 'bj', url, secret: DINGTALK_SECRET, sites: ['BJ-CMCC'] },
    { name: 'all', url, sites: ['*'], atMobiles: ['13800000000'] },
  ];
  const url = `https://oapi.dingtalk.com/robot/send?access_token=${DINGTALK_TOKEN}`;

  it('sends each site to the robots that watch it or everything, and admins to every robot', async () => {
    const config = testConfig({ notify: { dingtalk: { robots: robots(url) } } });
    const r = dingtalkChannel.recipients(config)!;
    expect(
      await r.site(
        em,
        [
          { id: 1, code: 'BJ-CMCC' },
          { id: 2, code: 'SH-CU' },
        ],
        'alarm',
      ),
    ).toEqual([
      { siteId: 1, recipient: 'bj' },
      { siteId: 1, recipient: 'all' },
      { siteId: 2, recipient: 'all' },
    ]);
    expect(await r.admins(em, 'escalation')).toEqual(['bj', 'all']);
    expect(
      dingtalkChannel.create({ ds: null as never, config, log: silentLogger, chatSenders: {} })
        ?.name,
    ).toBe('dingtalk');
    expect(dingtalkChannel.limits(config)).toEqual({
      maxSize: 18_000,
      unit: 'utf8 bytes',
      groupLimit: 20,
    });
  });

  it('is not configured without robots', () => {
    const config = testConfig();
    expect(dingtalkChannel.recipients(config)).toBeNull();
    expect(
      dingtalkChannel.create({ ds: null as never, config, log: silentLogger, chatSenders: {} }),
    ).toBeNull();
  });

  it('refuses a webhook without its access token, without repeating the URL', () => {
    const bad = 'https://oapi.dingtalk.com/robot/send?token=SECRETVALUE';
    let err: unknown;
    try {
      testConfig({ notify: { dingtalk: { robots: [{ name: 'x', url: bad, sites: ['*'] }] } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'notify.dingtalk.robots.0.url must be the robot webhook with its ?access_token=…',
    ]);
  });
});
