// Tests of every bot command through the router, on both engines: exact reply texts, site resolution, rooms and charts.
import { createCommandRegistry } from '../../commands/registry';
import { CHART_FAILED_TEXT } from '../../commands/chart';
import { createCommandRouter } from '../../commands/router';
import type { Caller, Reply, RoomContext } from '../../commands/types';
import { describeEachEngine, resetDb } from '../helpers/db';
import { room, seed, testDeps, type Seeded, type TestDeps } from './seed';

const texts = (r: Reply[]) => r.filter((x) => x.kind === 'text').map((x) => x.text);
const images = (r: Reply[]) => r.filter((x) => x.kind === 'image');

const BJ01_STATUS = [
  '北京一号（BJ01）状态（2026-11-25 21:00）',
  '服务器 3 台：在报 2，停报 1；活动告警 2 条',
  'app01 10.0.0.1：CPU 15.0%，内存 50.0%，磁盘 80.0%（/data），最后 2026-11-25 20:55',
  'app02 10.0.0.2：CPU 6.0%，内存 12.5%，磁盘 25.0%（/），最后 2026-11-25 20:56',
  'db01 10.0.0.3：CPU 45.0%，内存 75.0%，磁盘 90.0%（/），最后 2026-11-25 18:00【停报】',
  '最近采集 2026-11-25 20:55',
].join('\n');

describeEachEngine('bot commands', (db) => {
  let s: Seeded;
  let t: TestDeps;
  let ask: (text: string, caller: Caller, r?: RoomContext | null) => Promise<Reply[]>;
  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });
  beforeEach(() => {
    t = testDeps(db().ds);
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    ask = (text, caller, r = null) => router.handle(text, caller, r);
  });

  it('帮助 lists the commands (admin-only ones for admins only)', async () => {
    const op = texts(await ask('帮助', s.li))[0];
    expect(op).toBe(
      [
        'Sitewatch 命令：',
        '帮助（help/?） — 列出所有命令。',
        '局点（sites） — 列出可查询的局点及其概况。',
        '状态 <局点>（status） — 局点各服务器的最新 CPU、内存、磁盘和上报时间。',
        '昨日 <局点>（yesterday） — 局点昨日的业务数据及与前一日的变化。',
        '报表 <局点> [天数]（report） — 局点最近若干天（默认 7，最多 90）的每日业务数据。',
        '告警 [局点]（alarms） — 当前活动告警（最新 10 条）；不写局点则列出所有可查询局点的告警。',
        '确认 <告警编号>（ack） — 确认一条活动告警（编号见“告警”列表中的 #），之后不再提醒。',
        '忽略 <告警编号>（ignore） — 把一条业务异常告警的那一天标记为预期（节假日、割接等），不再计入基线，并确认该告警。',
        '静默 <局点> <时长> [告警名]（silence） — 一段时间内（最长 30 天）不推送、不提醒局点的告警，或只其中一个告警名；不写参数则列出当前静默。',
        '解除静默 <静默编号>（unsilence） — 提前结束一个静默；发送“静默”查看当前静默及其编号。',
        '服务器 <名称或IP>（server） — 服务器的系统信息、最新读数和近 24 小时 CPU/内存图。',
        'cpu <服务器> [小时]（处理器） — 服务器最近若干小时（默认 24，最多 720）的 CPU 使用率。',
        '内存 <服务器> [小时]（mem/memory） — 服务器最近若干小时（默认 24，最多 720）的内存使用率。',
        '磁盘 <服务器> [小时]（disk） — 服务器各挂载点最近若干小时（默认 24，最多 720）的磁盘使用率。',
        '绑定 <绑定码>（bind） — 用管理员给的绑定码把微信或企业微信绑定到 Sitewatch 账号（私聊发送）。',
        '局点可写代码、名称或其中一部分。',
        '也可以这样问：“北京昨天开户多少”、“上周北京的业务”、“北京和上海昨天对比”、“北京状态怎么样”、“最近一周的告警”、“app01 的 CPU”、“CPU最高的前5台”、“停报的服务器有哪些”、“那上海呢”',
      ].join('\n'),
    );
    const admin = texts(await ask('?', s.admin))[0];
    expect(admin).toContain('订阅 <局点>（subscribe） — 把局点加入本群（管理员，在群里使用）。');
    expect(admin).toContain('退订 <局点>（unsubscribe） — 把局点移出本群（管理员，在群里使用）。');
    expect(texts(await ask('HELP', s.li))[0]).toBe(op);
  });

  it('局点 lists the caller’s sites with health', async () => {
    expect(texts(await ask('局点', s.li))).toEqual([
      [
        '局点（2）：',
        'BJ01 北京一号：服务器 2/3 在报，活动告警 2，最近采集 2026-11-25 20:55',
        'SH01 上海移动：服务器 1/1 在报，活动告警 1，最近采集 2026-11-25 12:00，最近错误 2026-11-25 12:57：connect ECONNREFUSED 10.2.0.1:8088',
      ].join('\n'),
    ]);
    expect(texts(await ask('sites', s.admin))).toEqual([
      [
        '局点（3）：',
        'BJ01 北京一号：服务器 2/3 在报，活动告警 2，最近采集 2026-11-25 20:55',
        'BJ02 北京二号：服务器 1/1 在报，活动告警 0，最近采集 —',
        'SH01 上海移动：服务器 1/1 在报，活动告警 1，最近采集 2026-11-25 12:00，最近错误 2026-11-25 12:57：connect ECONNREFUSED 10.2.0.1:8088',
      ].join('\n'),
    ]);
    expect(texts(await ask('局点', s.li, room('空群')))).toEqual(['本群还没有订阅局点。']);
  });

  it('状态 shows every server and adds the site-overview chart', async () => {
    const r = await ask('状态 BJ01', s.li);
    expect(texts(r)).toEqual([BJ01_STATUS]);
    expect(images(r)).toEqual([
      {
        kind: 'image',
        png: expect.any(Buffer),
        name: 'status-BJ01.png',
        alt: '北京一号 服务器概览（CPU/内存/磁盘）',
      },
    ]);
    expect(t.charts).toHaveLength(1);
    expect(JSON.stringify(t.charts[0])).toContain('服务器概览');
    // by name, by part of the name, case-insensitively; in the site's own zone (SH01 is UTC)
    expect(texts(await ask('状态 北京一号', s.li))).toEqual([BJ01_STATUS]);
    expect(texts(await ask('status bj', s.li))).toEqual([BJ01_STATUS]);
    expect(texts(await ask('状态 sh', s.li))).toEqual([
      [
        '上海移动（SH01）状态（2026-11-25 13:00）',
        '服务器 1 台：在报 1，停报 0；活动告警 1 条',
        'app01 10.2.0.1：CPU 80.0%，内存 87.5%，磁盘 50.0%（/），最后 2026-11-25 12:50',
        '最近采集 2026-11-25 12:00；最近错误 2026-11-25 12:57：connect ECONNREFUSED 10.2.0.1:8088',
      ].join('\n'),
    ]);
    // no argument: fine with exactly one visible site
    expect(texts(await ask('状态', s.wang))).toEqual([
      [
        '北京二号（BJ02）状态（2026-11-25 21:00）',
        '服务器 1 台：在报 1，停报 0；活动告警 0 条',
        'web01 10.1.0.1：CPU 2.0%，内存 25.0%，磁盘 —，最后 2026-11-25 20:58',
        '最近采集 —',
      ].join('\n'),
    ]);
  });

  it('a chart that cannot be drawn leaves the text and says so, instead of failing the command', async () => {
    const broken = testDeps(db().ds);
    broken.deps.renderChart = async () => {
      throw new Error('render worker crashed');
    };
    const router = createCommandRouter(createCommandRegistry(), broken.deps);
    expect(texts(await router.handle('状态 BJ01', s.li, null))).toEqual([
      BJ01_STATUS,
      CHART_FAILED_TEXT,
    ]);
    expect(broken.logs.map((l) => [l.msg, l.chart, l.err])).toEqual([
      ['chart not rendered; text sent alone', 'site-overview', 'render worker crashed'],
    ]);
  });

  it('says which commands may answer with a chart, for the transports that announce it', () => {
    const router = createCommandRouter(createCommandRegistry(), t.deps);
    for (const q of [
      '状态 BJ01',
      '报表 BJ01 7',
      'cpu app01',
      '内存 app01',
      '磁盘 app01',
      '服务器 app01',
      'STATUS BJ01',
      '状态BJ01',
    ])
      expect([q, router.charts(q)]).toEqual([q, true]);
    for (const q of ['局点', '告警', '帮助', '昨日 BJ01', '绑定 X', '', '没有这个命令'])
      expect([q, router.charts(q)]).toEqual([q, false]);
  });

  it('no images when renderChart is null', async () => {
    const plain = testDeps(db().ds, { charts: false });
    const router = createCommandRouter(createCommandRegistry(), plain.deps);
    for (const q of [
      '状态 BJ01',
      '报表 BJ01',
      '服务器 10.0.0.1',
      'cpu 10.0.0.1',
      '内存 10.0.0.1',
      '磁盘 10.0.0.1',
    ]) {
      const r = await router.handle(q, s.li, null);
      expect(images(r)).toEqual([]);
      expect(texts(r)).toHaveLength(1);
    }
  });

  it('ambiguous, missing and unknown sites; a site not the caller’s is answered like a nonexistent one', async () => {
    expect(texts(await ask('状态 北京', s.admin))).toEqual([
      '“北京”对应多个局点：BJ01 北京一号、BJ02 北京二号，请说得更具体些。',
    ]);
    expect(texts(await ask('状态', s.li))).toEqual([
      '请指定局点，例如：状态 BJ01\n可查询的局点：BJ01 北京一号、SH01 上海移动',
    ]);
    const unknown = texts(await ask('状态 XX99', s.li));
    expect(unknown).toEqual(['没有找到该局点。您可查询的局点：BJ01 北京一号、SH01 上海移动']);
    expect(texts(await ask('状态 BJ02', s.li))).toEqual(unknown);
    expect(texts(await ask('状态 北京二号', s.li))).toEqual(unknown);
    // a part of a name shared with a hidden site resolves to the visible one only
    expect(texts(await ask('状态 北京', s.li))).toEqual([BJ01_STATUS]);
    // disabled sites do not exist for anyone
    expect(texts(await ask('状态 OFF1', s.admin))).toEqual([
      '没有找到该局点。您可查询的局点：BJ01 北京一号、BJ02 北京二号、SH01 上海移动',
    ]);
    // refusals are logged with login, room and text
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        login: 'li',
        room: null,
        text: '状态 BJ02',
        msg: 'command refused',
      }),
    );
  });

  it('in a room only the room’s sites, intersected with the caller’s, are visible', async () => {
    const r = room('北京运维', s.sites.bj01, s.sites.bj02);
    // li sees BJ01 only here (BJ02 is not li's), so no argument is enough
    expect(texts(await ask('状态', s.li, r))).toEqual([BJ01_STATUS]);
    const hidden = texts(await ask('状态 SH01', s.li, r));
    expect(hidden).toEqual(['没有找到该局点。本群可查询的局点：BJ01 北京一号']);
    expect(texts(await ask('状态 NOPE', s.li, r))).toEqual(hidden);
    expect(texts(await ask('状态 北京', s.admin, r))).toEqual([
      '“北京”对应多个局点：BJ01 北京一号、BJ02 北京二号，请说得更具体些。',
    ]);
    expect(texts(await ask('状态', s.li, room('空群')))).toEqual(['本群没有可查询的局点。']);
    expect(t.logs).toContainEqual(
      expect.objectContaining({ login: 'li', room: '北京运维', text: '状态 SH01' }),
    );
    expect(texts(await ask('服务器 10.2.0.1', s.li, r))).toEqual(['没有找到该服务器。']);
  });

  it('昨日 gives yesterday with the change against the day before', async () => {
    expect(texts(await ask('昨日 bj01', s.li))).toEqual([
      [
        '北京一号（BJ01）2026-11-24 业务数据（括号内为较前一日）：',
        '开通 140（+10 (+7.7%)）',
        '退订 24（+1 (+4.3%)）',
        '总用户 10,400（+100 (+1.0%)）',
        '调用 54,000（+1,000 (+1.9%)）',
        '推送 42,000（+500 (+1.2%)）',
        '上行 3,040（+10 (+0.3%)）',
        '下行 6,080（+20 (+0.3%)）',
      ].join('\n'),
    ]);
    expect(texts(await ask('yesterday', s.wang))).toEqual([
      [
        '北京二号（BJ02）2026-11-24 业务数据（无前一日数据）：',
        '开通 100',
        '退订 20',
        '总用户 1,234,567',
        '调用 50,000',
        '推送 40,000',
        '上行 3,000',
        '下行 6,000',
      ].join('\n'),
    ]);
    expect(texts(await ask('昨日 上海', s.li))).toEqual([
      '上海移动（SH01）暂无 2026-11-24 的业务数据。',
    ]);
  });

  it('报表 gives N days (default 7, max 90) and the business-trend chart', async () => {
    const r = await ask('报表 BJ01', s.li);
    expect(texts(r)).toEqual([
      [
        '北京一号（BJ01）近 7 天业务（2026-11-18 至 2026-11-24）：',
        '日期 开通/退订/总用户/调用/推送/上行/下行',
        '11-20 100/20/10,000/50,000/40,000/3,000/6,000',
        '11-21 110/21/10,100/51,000/40,500/3,010/6,020',
        '11-22 120/22/10,200/52,000/41,000/3,020/6,040',
        '11-23 130/23/10,300/53,000/41,500/3,030/6,060',
        '11-24 140/24/10,400/54,000/42,000/3,040/6,080',
        '合计：开通 600，退订 110，调用 260,000，推送 205,000，上行 15,100，下行 30,200',
        '总用户：10,000 → 10,400（+400 (+4.0%)）',
        '缺 2 天数据。',
      ].join('\n'),
    ]);
    expect(images(r).map((i) => i.kind === 'image' && [i.name, i.alt])).toEqual([
      ['report-BJ01-7d.png', '北京一号 近 7 天业务趋势'],
    ]);
    expect(JSON.stringify(t.charts[0])).toContain('业务趋势');
    expect(texts(await ask('report 北京一号 3', s.li))).toEqual([
      [
        '北京一号（BJ01）近 3 天业务（2026-11-22 至 2026-11-24）：',
        '日期 开通/退订/总用户/调用/推送/上行/下行',
        '11-22 120/22/10,200/52,000/41,000/3,020/6,040',
        '11-23 130/23/10,300/53,000/41,500/3,030/6,060',
        '11-24 140/24/10,400/54,000/42,000/3,040/6,080',
        '合计：开通 390，退订 69，调用 159,000，推送 124,500，上行 9,090，下行 18,180',
        '总用户：10,200 → 10,400（+200 (+2.0%)）',
      ].join('\n'),
    ]);
    expect(texts(await ask('报表 BJ01 91', s.li))).toEqual(['天数应为 1 到 90 之间的整数。']);
    expect(texts(await ask('报表 SH01', s.li))).toEqual([
      '上海移动（SH01）近 7 天业务（2026-11-18 至 2026-11-24）：暂无数据。',
    ]);
  });

  it('报表 answers any number of days that is not a whole 1 to 90 with the range, before the site', async () => {
    const range = ['天数应为 1 到 90 之间的整数。'];
    for (const n of ['-5', '1e309', '0', '91', '1.5', '99999999999', '-0', '.5', '1e-3', '－５']) {
      expect(texts(await ask(`报表 BJ01 ${n}`, s.li))).toEqual(range);
    }
    // a site that does not exist: the number is still what is wrong
    expect(texts(await ask('报表 GZ 1e309', s.li))).toEqual(range);
    expect(texts(await ask('报表 GZ 99999999999', s.li))).toEqual(range);
    // with the only visible site left out
    expect(texts(await ask('报表 -5', s.wang))).toEqual(range);
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'command refused',
        login: 'li',
        text: '报表 GZ 1e309',
        reason: 'bad days',
      }),
    );
    // a number that is a whole one in range, however written, is taken
    expect(texts(await ask('报表 BJ01 3.0', s.li))[0]).toMatch(/^北京一号（BJ01）近 3 天业务/);
  });

  it('告警 lists active alarms newest first with their number (alarm id), node, time, description and duration', async () => {
    expect(texts(await ask('告警', s.li))).toEqual([
      [
        '活动告警 3 条：',
        '#4 【上海移动】app01 MEM_HIGH：memory over 85%（2026-11-25 12:30 起，已 30分）',
        '#1 【北京一号】app01 CPU_HIGH：cpu over 90% for 5 minutes（2026-11-25 19:30 起，已 1小时30分）',
        '#2 【北京一号】db01 DISK_FULL：disk / at 90%（2026-11-23 18:00 起，已 2天3小时）',
      ].join('\n'),
    ]);
    expect(texts(await ask('alarms bj01', s.li))).toEqual([
      [
        '北京一号（BJ01）活动告警 2 条：',
        '#1 app01 CPU_HIGH：cpu over 90% for 5 minutes（2026-11-25 19:30 起，已 1小时30分）',
        '#2 db01 DISK_FULL：disk / at 90%（2026-11-23 18:00 起，已 2天3小时）',
      ].join('\n'),
    ]);
    expect(texts(await ask('告警', s.wang))).toEqual(['北京二号（BJ02）没有活动告警。']);
  });

  it('服务器 finds a server by name or IP and adds cpu and memory charts', async () => {
    expect(texts(await ask('服务器 app01', s.li))).toEqual([
      '“app01”对应多台服务器：app01（10.0.0.1，北京一号）、app01（10.2.0.1，上海移动），请写完整名称或 IP。',
    ]);
    const r = await ask('服务器 10.0.0.1', s.li);
    expect(texts(r)).toEqual([
      [
        'app01（10.0.0.1）· 北京一号（BJ01）',
        '系统 CentOS 7.9，已运行 1天1小时',
        'CPU 15.0%，内存 50.0%，磁盘 80.0%（/data）',
        '最后上报 2026-11-25 20:55',
      ].join('\n'),
    ]);
    expect(images(r).map((i) => i.kind === 'image' && [i.name, i.alt])).toEqual([
      ['cpu-app01.png', 'app01 近 24 小时 CPU 使用率'],
      ['mem-app01.png', 'app01 近 24 小时内存使用'],
    ]);
    expect(t.charts).toHaveLength(2);
    expect(texts(await ask('server db01', s.admin))).toEqual([
      [
        'db01（10.0.0.3）· 北京一号（BJ01）',
        'CPU 45.0%，内存 75.0%，磁盘 90.0%（/）',
        '最后上报 2026-11-25 18:00【停报】',
      ].join('\n'),
    ]);
    // another user's server is answered like a nonexistent one
    const none = texts(await ask('服务器 nosuch', s.li));
    expect(none).toEqual(['没有找到该服务器。']);
    expect(texts(await ask('服务器 web01', s.li))).toEqual(none);
    expect(texts(await ask('服务器', s.li))).toEqual(['请写服务器名称或 IP，例如：服务器 app01']);
  });

  it('cpu / 内存 / 磁盘 summarise the last N hours and add their chart', async () => {
    const cpu = await ask('CPU 10.0.0.1 2', s.li);
    expect(texts(cpu)).toEqual([
      'app01（北京一号）近 2 小时 CPU：最新 15.0%，平均 17.8%，最高 26.0%（2026-11-25 20:30），共 3 个点',
    ]);
    expect(images(cpu).map((i) => i.kind === 'image' && [i.name, i.alt])).toEqual([
      ['cpu-app01-2h.png', 'app01 近 2 小时 CPU 使用率'],
    ]);
    expect(texts(await ask('cpu app02', s.li))).toEqual([
      'app02（北京一号）近 24 小时 CPU：最新 6.0%，平均 6.0%，最高 6.0%（2026-11-25 20:56），共 1 个点',
    ]);
    const mem = await ask('mem 10.0.0.1', s.li);
    expect(texts(mem)).toEqual([
      'app01（北京一号）近 24 小时内存：最新 50.0%，平均 50.0%，最高 62.5%（2026-11-25 20:30），当前 4.0G/8.0G，共 3 个点',
    ]);
    expect(images(mem).map((i) => i.kind === 'image' && i.name)).toEqual(['mem-app01-24h.png']);
    const disk = await ask('磁盘 10.0.0.1', s.li);
    expect(texts(disk)).toEqual([
      [
        'app01（北京一号）近 24 小时磁盘：',
        '/：最新 42.0%，平均 40.7%，最高 42.0%（2026-11-25 20:55），当前 21.0G/50.0G',
        '/data：最新 80.0%，平均 79.0%，最高 80.0%（2026-11-25 20:55），当前 80.0G/100.0G',
      ].join('\n'),
    ]);
    expect(images(disk).map((i) => i.kind === 'image' && i.name)).toEqual(['disk-app01-24h.png']);
    expect(t.charts.map((c) => (c.title as { text: string }).text)).toEqual([
      'app01 · CPU 使用率',
      'app02 · CPU 使用率',
      'app01 · 内存使用',
      'app01 · 磁盘使用率',
    ]);
    expect(texts(await ask('disk db01 1', s.li))).toEqual([
      'db01（北京一号）近 1 小时磁盘：暂无数据。',
    ]);
    expect(texts(await ask('cpu db01 721', s.li))).toEqual(['小时数应为 1 到 720 之间的整数。']);
  });

  it('cpu / 内存 / 磁盘 answer any number of hours that is not a whole 1 to 720 with the range', async () => {
    const range = ['小时数应为 1 到 720 之间的整数。'];
    for (const command of ['cpu', '内存', '磁盘']) {
      for (const n of ['-5', '1e309', '0', '721', '1.5', '-1e309', '－５', '1e3']) {
        expect(texts(await ask(`${command} app01 ${n}`, s.li))).toEqual(range);
        expect(texts(await ask(`${command} 10.0.0.1 ${n}`, s.li))).toEqual(range);
      }
    }
    expect(t.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'command refused',
        text: 'cpu app01 -5',
        reason: 'bad hours',
      }),
    );
    // an IP alone is a server, not a number of hours
    expect(texts(await ask('cpu 10.0.0.2', s.li))[0]).toMatch(/^app02（北京一号）近 24 小时 CPU/);
    expect(texts(await ask('cpu 10.0.0.1 2e0', s.li))[0]).toMatch(
      /^app01（北京一号）近 2 小时 CPU/,
    );
  });
});
