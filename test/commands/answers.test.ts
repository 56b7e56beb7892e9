// Tests of the answers to understood questions on both engines: exact texts per intent kind, the same numbers, alarm ids and servers as the equivalent commands, the charts, and the access rules.
import { createAnswerRegistry } from '../../commands/answers/registry';
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import type { Caller, Reply, RoomContext } from '../../commands/types';
import { Alarm, BusinessDaily, Server } from '../../entities';
import type { Figure, Intent, Metric, TimeSpec } from '../../src/nlu/types';
import type { ChartOption } from '../../src/types/chart-option';
import { describeEachEngine, resetDb } from '../helpers/db';
import { HOUR, MIN, NOW, room, seed, testDeps, type Seeded, type TestDeps } from './seed';

const texts = (r: Reply[]) => r.filter((x) => x.kind === 'text').map((x) => x.text);
const images = (r: Reply[]) =>
  r.flatMap((x) => (x.kind === 'image' ? [[x.name, x.alt] as [string, string]] : []));
/** The main title (the first entry when `title` is a list). */
const titleOf = (o: ChartOption) =>
  ((Array.isArray(o.title) ? o.title[0] : o.title) as { text: string }).text;
const seriesOf = (o: ChartOption) => o.series as Record<string, unknown>[];

const dayT = (day: string): TimeSpec => ({ kind: 'day', day });
const daysT = (from: string, to: string): TimeSpec => ({ kind: 'days', from, to });
const figuresQ = (sites: string[], time: TimeSpec, figures: Figure[] = []): Intent => ({
  kind: 'figures',
  sites,
  figures,
  time,
});
const compareQ = (sites: string[], times: TimeSpec[], figures: Figure[] = []): Intent => ({
  kind: 'compare',
  sites,
  figures,
  times,
});
const metricQ = (metric: Metric, server: number, time: TimeSpec | null = null): Intent => ({
  kind: 'metric',
  metric,
  server,
  time,
});
const rankQ = (
  target: (Intent & { kind: 'ranking' })['target'],
  o: Partial<Omit<Intent & { kind: 'ranking' }, 'kind' | 'target'>> = {},
): Intent => ({ kind: 'ranking', target, order: 'desc', limit: 5, sites: [], time: null, ...o });

const NO_SITE_LI = '没有找到该局点。您可查询的局点：BJ01 北京一号、SH01 上海移动';

/** 2026-11-20 hh:00 UTC (SH01's zone is UTC). */
const nov20Utc = (h: number) => Date.UTC(2026, 10, 20, h);

describeEachEngine('answers to understood questions', (db) => {
  let s: Seeded;
  let t: TestDeps;
  let ask: (intent: Intent, caller: Caller, r?: RoomContext | null) => Promise<Reply[]>;
  let command: (text: string, caller: Caller, r?: RoomContext | null) => Promise<Reply[]>;

  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
    const ds = db().ds;
    const day = (siteId: number, statDate: string, f: number[]) =>
      ds.getRepository(BusinessDaily).insert({
        siteId,
        statDate,
        subUsers: f[0],
        unsubUsers: f[1],
        totalUsers: f[2],
        callTimes: f[3],
        showTimes: f[4],
        moTimes: f[5],
        mtTimes: f[6],
        recordedAt: NOW,
        updatedAt: NOW,
      });
    // The same weekday a week before BJ01's yesterday, and one day of SH01.
    await day(s.sites.bj01.id, '2026-11-17', [150, 25, 9_900, 48_000, 39_000, 2_950, 5_900]);
    await day(s.sites.sh01.id, '2026-11-24', [90, 5, 5_000, 1_000, 1_000, 10, 20]);
    const alarm = (a: Partial<Alarm>) =>
      ds.getRepository(Alarm).insert({
        lastSeenAt: a.raisedAt,
        createdAt: a.raisedAt,
        updatedAt: a.raisedAt,
        ...a,
      });
    // #5: no longer listed by its site (stale); #6–#16: eleven short flaps on SH01.
    await alarm({
      siteId: s.sites.bj01.id,
      name: 'LINK_LOST',
      node: 'app01',
      description: 'link to gateway lost',
      raisedAt: NOW - 30 * HOUR,
      resumedAt: null,
      state: 'stale',
    });
    for (let i = 0; i <= 10; i++) {
      await alarm({
        siteId: s.sites.sh01.id,
        name: 'PORT_FLAP',
        node: `sw${i}`,
        description: 'port   flapping',
        raisedAt: nov20Utc(i),
        resumedAt: nov20Utc(i) + 10 * MIN,
        state: 'resolved',
      });
    }
    // A server that never reported.
    await ds.getRepository(Server).save(
      ds.getRepository(Server).create({
        siteId: s.sites.bj02.id,
        name: 'spare01',
        ip: '10.1.0.9',
        firstSeenAt: NOW - 86_400_000,
        lastSeenAt: null,
      }),
    );
  });

  beforeEach(() => {
    t = testDeps(db().ds);
    const answers = createAnswerRegistry();
    ask = (intent, caller, r = null) =>
      answers.answer(intent, { caller, args: 'a question', room: r, deps: t.deps });
    const router = createCommandRouter(createCommandRegistry(), testDeps(db().ds).deps);
    command = (text, caller, r = null) => router.handle(text, caller, r);
  });

  describe('figures of a day', () => {
    const BJ01_DAY = [
      '北京一号（BJ01）2026-11-24 业务数据：',
      '开通 140（较前一日 +10 (+7.7%)，较上周同日 -10 (-6.7%)）',
      '退订 24（较前一日 +1 (+4.3%)，较上周同日 -1 (-4.0%)）',
      '总用户 10,400（较前一日 +100 (+1.0%)，较上周同日 +500 (+5.1%)）',
      '调用 54,000（较前一日 +1,000 (+1.9%)，较上周同日 +6,000 (+12.5%)）',
      '推送 42,000（较前一日 +500 (+1.2%)，较上周同日 +3,000 (+7.7%)）',
      '上行 3,040（较前一日 +10 (+0.3%)，较上周同日 +90 (+3.1%)）',
      '下行 6,080（较前一日 +20 (+0.3%)，较上周同日 +180 (+3.1%)）',
    ].join('\n');

    it('gives each figure against the day before and the same weekday a week earlier', async () => {
      const r = await ask(figuresQ(['BJ01'], dayT('2026-11-24')), s.li);
      expect(texts(r)).toEqual([BJ01_DAY]);
      expect(images(r)).toEqual([]);
      expect(t.charts).toEqual([]);
    });

    it('reads the same numbers as 昨日', async () => {
      const mine = texts(await ask(figuresQ(['BJ01'], dayT('2026-11-24')), s.li))[0];
      const [head, ...lines] = texts(await command('昨日 BJ01', s.li))[0].split('\n');
      expect(head).toBe('北京一号（BJ01）2026-11-24 业务数据（括号内为较前一日）：');
      expect(lines).toHaveLength(7);
      for (const line of lines) {
        const m = /^(\S+ [\d,]+)（(.+)）$/.exec(line);
        expect(m).not.toBeNull();
        expect(mine).toContain(`\n${m![1]}（较前一日 ${m![2]}，`);
      }
    });

    it('names only the figures asked, one block per site, and says which comparisons are missing', async () => {
      expect(
        texts(await ask(figuresQ(['BJ01', 'SH01'], dayT('2026-11-24'), ['calls', 'opens']), s.li)),
      ).toEqual([
        [
          '北京一号（BJ01）2026-11-24 业务数据：',
          '开通 140（较前一日 +10 (+7.7%)，较上周同日 -10 (-6.7%)）',
          '调用 54,000（较前一日 +1,000 (+1.9%)，较上周同日 +6,000 (+12.5%)）',
          '',
          '上海移动（SH01）2026-11-24 业务数据（无前一日和上周同日数据）：',
          '开通 90',
          '调用 1,000',
        ].join('\n'),
      ]);
      expect(texts(await ask(figuresQ(['BJ01'], dayT('2026-11-23'), ['mt']), s.li))).toEqual([
        '北京一号（BJ01）2026-11-23 业务数据（无上周同日数据）：\n下行 6,060（较前一日 +20 (+0.3%)）',
      ]);
      expect(texts(await ask(figuresQ(['BJ01'], dayT('2026-11-17'), ['opens']), s.li))).toEqual([
        '北京一号（BJ01）2026-11-17 业务数据（无前一日和上周同日数据）：\n开通 150',
      ]);
      expect(texts(await ask(figuresQ(['BJ02'], dayT('2026-11-25')), s.admin))).toEqual([
        '北京二号（BJ02）暂无 2026-11-25 的业务数据。',
      ]);
    });

    it('answers for every site the request sees when the question names none', async () => {
      const r = texts(await ask(figuresQ([], dayT('2026-11-24'), ['opens']), s.li));
      expect(r).toEqual([
        [
          '北京一号（BJ01）2026-11-24 业务数据：',
          '开通 140（较前一日 +10 (+7.7%)，较上周同日 -10 (-6.7%)）',
          '',
          '上海移动（SH01）2026-11-24 业务数据（无前一日和上周同日数据）：',
          '开通 90',
        ].join('\n'),
      ]);
      expect(texts(await ask(figuresQ([], dayT('2026-11-24'), ['opens']), s.wang))).toEqual([
        '北京二号（BJ02）2026-11-24 业务数据（无前一日和上周同日数据）：\n开通 100',
      ]);
    });
  });

  describe('figures of a range', () => {
    it('sums the days, lists each, and adds the report’s trend chart, with the numbers of 报表', async () => {
      const r = await ask(figuresQ(['BJ01'], daysT('2026-11-18', '2026-11-24')), s.li);
      expect(texts(r)).toEqual([
        [
          '北京一号（BJ01）2026-11-18 至 2026-11-24 业务：',
          '合计：开通 600，退订 110，调用 260,000，推送 205,000，上行 15,100，下行 30,200',
          '总用户：10,000 → 10,400（+400 (+4.0%)）',
          '日期 开通/退订/总用户/调用/推送/上行/下行',
          '11-20 100/20/10,000/50,000/40,000/3,000/6,000',
          '11-21 110/21/10,100/51,000/40,500/3,010/6,020',
          '11-22 120/22/10,200/52,000/41,000/3,020/6,040',
          '11-23 130/23/10,300/53,000/41,500/3,030/6,060',
          '11-24 140/24/10,400/54,000/42,000/3,040/6,080',
          '缺 2 天数据。',
        ].join('\n'),
      ]);
      expect(images(r)).toEqual([
        ['report-BJ01-2026-11-18-2026-11-24.png', '北京一号 2026-11-18 至 2026-11-24 业务趋势'],
      ]);
      expect(t.charts.map(titleOf)).toEqual(['北京一号 · 业务趋势']);
      // 报表 of the same 7 days: every line but its head is in the answer
      const report = texts(await command('报表 BJ01 7', s.li))[0].split('\n');
      expect(report[0]).toBe('北京一号（BJ01）近 7 天业务（2026-11-18 至 2026-11-24）：');
      for (const line of report.slice(1)) expect(texts(r)[0].split('\n')).toContain(line);
    });

    it('sums only the figures asked, counts no day after yesterday as missing, and keeps at most 90 days', async () => {
      expect(
        texts(
          await ask(
            figuresQ(['BJ01'], daysT('2026-11-22', '2026-11-26'), ['totalUsers', 'opens']),
            s.li,
          ),
        ),
      ).toEqual([
        [
          '北京一号（BJ01）2026-11-22 至 2026-11-26 业务：',
          '合计：开通 390',
          '总用户：10,200 → 10,400（+200 (+2.0%)）',
          '日期 开通/总用户',
          '11-22 120/10,200',
          '11-23 130/10,300',
          '11-24 140/10,400',
        ].join('\n'),
      ]);
      expect(texts(await ask(figuresQ(['BJ01'], daysT('2026-01-01', '2026-11-24')), s.li))[0]).toBe(
        [
          '北京一号（BJ01）2026-08-27 至 2026-11-24 业务：',
          '合计：开通 750，退订 135，调用 308,000，推送 244,000，上行 18,050，下行 36,100',
          '总用户：9,900 → 10,400（+500 (+5.1%)）',
          '日期 开通/退订/总用户/调用/推送/上行/下行',
          '11-17 150/25/9,900/48,000/39,000/2,950/5,900',
          '11-20 100/20/10,000/50,000/40,000/3,000/6,000',
          '11-21 110/21/10,100/51,000/40,500/3,010/6,020',
          '11-22 120/22/10,200/52,000/41,000/3,020/6,040',
          '11-23 130/23/10,300/53,000/41,500/3,030/6,060',
          '11-24 140/24/10,400/54,000/42,000/3,040/6,080',
          '缺 84 天数据。',
          '（最多 90 天，已取最后 90 天。）',
        ].join('\n'),
      );
      const none = await ask(figuresQ(['SH01'], daysT('2026-11-18', '2026-11-20')), s.li);
      expect(texts(none)).toEqual(['上海移动（SH01）2026-11-18 至 2026-11-20 业务：暂无数据。']);
      expect(images(none)).toEqual([]);
    });
  });

  describe('compare', () => {
    it('sets several sites side by side over one day, with differences against the first, and the comparison chart', async () => {
      const r = await ask(
        compareQ(['BJ01', 'SH01'], [dayT('2026-11-24')], ['opens', 'calls']),
        s.li,
      );
      expect(texts(r)).toEqual([
        [
          '业务对比（2026-11-24）：北京一号（BJ01）、上海移动（SH01）',
          '开通：北京一号 140，上海移动 90（较北京一号 -50 (-35.7%)）',
          '调用：北京一号 54,000，上海移动 1,000（较北京一号 -53,000 (-98.1%)）',
        ].join('\n'),
      ]);
      expect(images(r)).toEqual([['compare-BJ01-SH01-2.png', '业务对比：北京一号、上海移动']]);
      const [chart] = t.charts;
      expect(titleOf(chart)).toBe('2026-11-24 · 业务对比');
      expect(seriesOf(chart).map((x) => [x.name, x.data])).toEqual([
        ['北京一号', [140]],
        ['上海移动', [90]],
        ['北京一号', [5.4]],
        ['上海移动', [0.1]],
      ]);
      expect((chart.xAxis as { data: string[] }[]).map((a) => a.data)).toEqual([
        ['开通'],
        ['调用'],
      ]);
    });

    it('sets one site over several times side by side; ranges are summed, and missing days said', async () => {
      expect(
        texts(
          await ask(compareQ(['BJ01'], [dayT('2026-11-24'), dayT('2026-11-17')], ['opens']), s.li),
        ),
      ).toEqual([
        [
          '北京一号（BJ01）业务对比：2026-11-24、2026-11-17',
          '开通：2026-11-24 140，2026-11-17 150（较2026-11-24 +10 (+7.1%)）',
        ].join('\n'),
      ]);
      expect(
        texts(
          await ask(
            compareQ(
              ['BJ01'],
              [daysT('2026-11-18', '2026-11-24'), daysT('2026-11-11', '2026-11-17')],
              ['opens', 'totalUsers'],
            ),
            s.li,
          ),
        ),
      ).toEqual([
        [
          '北京一号（BJ01）业务对比：2026-11-18 至 2026-11-24、2026-11-11 至 2026-11-17',
          '开通：2026-11-18 至 2026-11-24 600，2026-11-11 至 2026-11-17 150（较2026-11-18 至 2026-11-24 -450 (-75.0%)）',
          '总用户：2026-11-18 至 2026-11-24 10,400，2026-11-11 至 2026-11-17 9,900（较2026-11-18 至 2026-11-24 -500 (-4.8%)）',
          '区间为每日合计，总用户为区间最后一天的数值。',
          '2026-11-18 至 2026-11-24 缺 2 天数据。',
          '2026-11-11 至 2026-11-17 缺 6 天数据。',
        ].join('\n'),
      ]);
      expect(t.charts.map(titleOf)).toEqual(['北京一号 · 业务对比', '北京一号 · 业务对比']);
    });

    it('shows a missing value as — without a difference, and the request’s sites when none is named', async () => {
      expect(texts(await ask(compareQ([], [dayT('2026-11-23')], ['totalUsers']), s.admin))).toEqual(
        [
          [
            '业务对比（2026-11-23）：北京一号（BJ01）、北京二号（BJ02）、上海移动（SH01）',
            '总用户：北京一号 10,300，北京二号 —，上海移动 —',
          ].join('\n'),
        ],
      );
      // several sites over several times: each column named by both; at most 10 columns
      expect(
        texts(
          await ask(
            compareQ(['BJ01', 'BJ02'], [dayT('2026-11-24'), dayT('2026-11-23')], ['opens']),
            s.admin,
          ),
        ),
      ).toEqual([
        [
          '业务对比：北京一号（BJ01）、北京二号（BJ02）',
          '开通：北京一号 2026-11-24 140，北京一号 2026-11-23 130（较北京一号 2026-11-24 -10 (-7.1%)），北京二号 2026-11-24 100（较北京一号 2026-11-24 -40 (-28.6%)），北京二号 2026-11-23 —',
        ].join('\n'),
      ]);
      const four = ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24'].map(dayT);
      expect(texts(await ask(compareQ(['BJ01', 'BJ02', 'SH01'], four), s.admin))).toEqual([
        '一次最多对比 10 项，请少选几个局点或时间。',
      ]);
      // one site over several times needs the site
      expect(
        texts(await ask(compareQ([], [dayT('2026-11-24'), dayT('2026-11-23')]), s.li)),
      ).toEqual(['请说明是哪个局点。您可查询的局点：BJ01 北京一号、SH01 上海移动']);
    });
  });

  describe('status', () => {
    it('is exactly what 状态 answers, chart included', async () => {
      const r = await ask({ kind: 'status', sites: ['BJ01'] }, s.li);
      const c = await command('状态 BJ01', s.li);
      expect(texts(r)).toEqual(texts(c));
      expect(texts(r)[0]).toMatch(
        /^北京一号（BJ01）状态（2026-11-25 21:00）\n服务器 3 台：在报 2，停报 1；活动告警 2 条\n/,
      );
      expect(images(r)).toEqual(images(c));
      expect(images(r)).toEqual([['status-BJ01.png', '北京一号 服务器概览（CPU/内存/磁盘）']]);
      expect(t.charts.map(titleOf)).toEqual(['北京一号 · 服务器概览']);
      // the only site the request sees, as 状态 without a site
      expect(texts(await ask({ kind: 'status', sites: [] }, s.wang))).toEqual(
        texts(await command('状态', s.wang)),
      );
    });

    it('answers each site named, and asks which when several are visible and none is named', async () => {
      const r = await ask({ kind: 'status', sites: ['BJ01', 'SH01'] }, s.li);
      expect(texts(r)).toEqual([
        ...texts(await command('状态 BJ01', s.li)),
        ...texts(await command('状态 SH01', s.li)),
      ]);
      expect(images(r).map(([name]) => name)).toEqual(['status-BJ01.png', 'status-SH01.png']);
      expect(texts(await ask({ kind: 'status', sites: [] }, s.li))).toEqual([
        '请说明是哪个局点。您可查询的局点：BJ01 北京一号、SH01 上海移动',
      ]);
    });
  });

  describe('alarms', () => {
    it('lists the active alarms exactly as 告警 does', async () => {
      expect(texts(await ask({ kind: 'alarms', sites: [], time: null }, s.li))).toEqual(
        texts(await command('告警', s.li)),
      );
      const one = texts(await ask({ kind: 'alarms', sites: ['BJ01'], time: null }, s.li));
      expect(one).toEqual(texts(await command('告警 BJ01', s.li)));
      expect(one).toEqual([
        [
          '北京一号（BJ01）活动告警 2 条：',
          '#1 app01 CPU_HIGH：cpu over 90% for 5 minutes（2026-11-25 19:30 起，已 1小时30分）',
          '#2 db01 DISK_FULL：disk / at 90%（2026-11-23 18:00 起，已 2天3小时）',
        ].join('\n'),
      ]);
      expect(texts(await ask({ kind: 'alarms', sites: [], time: null }, s.wang))).toEqual([
        '北京二号（BJ02）没有活动告警。',
      ]);
      expect(
        texts(await ask({ kind: 'alarms', sites: [], time: null }, s.li, room('空群'))),
      ).toEqual(['本群还没有订阅局点。']);
    });

    it('lists the alarms raised in a time, newest first, with how each ended', async () => {
      expect(
        texts(
          await ask(
            { kind: 'alarms', sites: ['BJ01'], time: daysT('2026-11-24', '2026-11-25') },
            s.li,
          ),
        ),
      ).toEqual([
        [
          '北京一号（BJ01）2026-11-24 至 2026-11-25 产生的告警 3 条：',
          '#1 app01 CPU_HIGH：cpu over 90% for 5 minutes（2026-11-25 19:30 起，未恢复）',
          '#3 app02 NODE_DOWN：nginx down（2026-11-25 16:00 起，2026-11-25 17:00 恢复，持续 1小时）',
          '#5 app01 LINK_LOST：link to gateway lost（2026-11-24 15:00 起，已过期）',
        ].join('\n'),
      ]);
      expect(
        texts(await ask({ kind: 'alarms', sites: ['SH01'], time: dayT('2026-11-22') }, s.li)),
      ).toEqual(['上海移动（SH01）2026-11-22 没有产生告警。']);
      // a span of hours: only what was raised in it
      expect(
        texts(
          await ask(
            {
              kind: 'alarms',
              sites: [],
              time: { kind: 'hours', fromMs: NOW - 2 * HOUR, toMs: NOW },
            },
            s.li,
          ),
        ),
      ).toEqual([
        [
          '11-25 19:00 至 21:00 产生的告警 2 条：',
          '#4 【上海移动】app01 MEM_HIGH：memory over 85%（2026-11-25 12:30 起，未恢复）',
          '#1 【北京一号】app01 CPU_HIGH：cpu over 90% for 5 minutes（2026-11-25 19:30 起，未恢复）',
        ].join('\n'),
      ]);
    });

    it('caps a long history at the newest 10, with the count of the rest, each site named', async () => {
      const [r] = texts(
        await ask({ kind: 'alarms', sites: [], time: daysT('2026-11-18', '2026-11-21') }, s.li),
      );
      const flap = (id: number, h: number) =>
        `#${id} 【上海移动】sw${h} PORT_FLAP：port flapping（2026-11-20 ${String(h).padStart(2, '0')}:00 起，2026-11-20 ${String(h).padStart(2, '0')}:10 恢复，持续 10分）`;
      expect(r).toBe(
        [
          '2026-11-18 至 2026-11-21 产生的告警 11 条：',
          ...[10, 9, 8, 7, 6, 5, 4, 3, 2, 1].map((h) => flap(h + 6, h)),
          '……及其他 1 条',
        ].join('\n'),
      );
    });
  });

  describe('server and metric', () => {
    it('answers a server exactly as 服务器 does', async () => {
      const r = await ask({ kind: 'server', server: s.servers.app01.id }, s.li);
      const c = await command('服务器 10.0.0.1', s.li);
      expect(texts(r)).toEqual(texts(c));
      expect(texts(r)).toEqual([
        [
          'app01（10.0.0.1）· 北京一号（BJ01）',
          '系统 CentOS 7.9，已运行 1天1小时',
          'CPU 15.0%，内存 50.0%，磁盘 80.0%（/data）',
          '最后上报 2026-11-25 20:55',
        ].join('\n'),
      ]);
      expect(images(r)).toEqual(images(c));
      expect(t.charts.map(titleOf)).toEqual(['app01 · CPU 使用率', 'app01 · 内存使用']);
      // the other app01, on SH01: by its id, never ambiguous
      expect(texts(await ask({ kind: 'server', server: s.servers.shApp01.id }, s.li))).toEqual(
        texts(await command('服务器 10.2.0.1', s.li)),
      );
    });

    it('answers cpu / 内存 / 磁盘 as the commands do, over the last 24 hours or a span of hours', async () => {
      const id = s.servers.app01.id;
      for (const [intent, text] of [
        [metricQ('cpu', id), 'cpu 10.0.0.1'],
        [
          metricQ('cpu', id, { kind: 'hours', fromMs: NOW - 2 * HOUR, toMs: NOW }),
          'cpu 10.0.0.1 2',
        ],
        [metricQ('mem', id), '内存 10.0.0.1'],
        [metricQ('disk', id), '磁盘 10.0.0.1'],
        [
          metricQ('disk', s.servers.db01.id, { kind: 'hours', fromMs: NOW - HOUR, toMs: NOW }),
          '磁盘 db01 1',
        ],
      ] as const) {
        const r = await ask(intent, s.li);
        const c = await command(text, s.li);
        expect({ text, got: texts(r) }).toEqual({ text, got: texts(c) });
        expect({ text, got: images(r) }).toEqual({ text, got: images(c) });
      }
      expect(
        texts(
          await ask(metricQ('cpu', id, { kind: 'hours', fromMs: NOW - 2 * HOUR, toMs: NOW }), s.li),
        ),
      ).toEqual([
        'app01（北京一号）近 2 小时 CPU：最新 15.0%，平均 17.8%，最高 26.0%（2026-11-25 20:30），共 3 个点',
      ]);
    });

    it('reads a day up to now, names a past span by its times, and keeps at most 720 hours, saying so', async () => {
      const id = s.servers.app01.id;
      const today = await ask(metricQ('cpu', id, dayT('2026-11-25')), s.li);
      expect(texts(today)).toEqual([
        'app01（北京一号）2026-11-25 CPU：最新 15.0%，平均 17.8%，最高 26.0%（2026-11-25 20:30），共 3 个点',
      ]);
      expect(images(today)).toEqual([['cpu-app01-21h.png', 'app01 2026-11-25 CPU 使用率']]);
      expect(texts(await ask(metricQ('mem', id, dayT('2026-11-24')), s.li))).toEqual([
        'app01（北京一号）2026-11-24 内存：暂无数据。',
      ]);
      const long = await ask(metricQ('cpu', id, daysT('2026-10-01', '2026-11-25')), s.li);
      expect(texts(long)).toEqual([
        `${texts(await command('cpu 10.0.0.1 720', s.li))[0]}\n（最多查询 720 小时，已取最后 720 小时。）`,
      ]);
      expect(texts(long)[0]).toMatch(/^app01（北京一号）近 720 小时 CPU：最新 15.0%/);
      expect(images(long)).toEqual([['cpu-app01-720h.png', 'app01 近 720 小时 CPU 使用率']]);
      expect(
        texts(await ask(metricQ('disk', id, daysT('2026-09-01', '2026-10-31')), s.li)),
      ).toEqual([
        'app01（北京一号）10-02 00:00 至 11-01 00:00 磁盘：暂无数据。\n（最多查询 720 小时，已取最后 720 小时。）',
      ]);
    });

    it('answers a capacity question with the current usage and the last 7 days, and no forecast from under a day of history', async () => {
      const disk = await ask(
        { kind: 'forecast', server: s.servers.app01.id, metric: 'disk' },
        s.li,
      );
      expect(texts(disk)).toEqual([
        [
          'app01（北京一号）磁盘容量预测（按近 7 天趋势）：',
          'app01 / 42%，历史不足 1 天，暂无法预测',
          'app01 /data 80%，历史不足 1 天，暂无法预测',
        ].join('\n'),
      ]);
      expect(images(disk)).toEqual([['disk-app01-168h.png', 'app01 近 7 天磁盘使用率']]);
      expect(t.charts.map(titleOf)).toEqual(['app01 · 磁盘使用率']);
      expect(seriesOf(t.charts[0]).map((x) => x.name)).toEqual(['/', '/data']);
      expect(
        texts(await ask({ kind: 'forecast', server: s.servers.app01.id, metric: 'mem' }, s.li)),
      ).toEqual([
        'app01（北京一号）内存容量预测（按近 7 天趋势）：\napp01 内存 50%，历史不足 1 天，暂无法预测',
      ]);
      const none = await ask(
        { kind: 'forecast', server: s.servers.web01.id, metric: 'disk' },
        s.admin,
      );
      expect(texts(none)).toEqual([
        'web01（北京二号）磁盘容量预测（按近 7 天趋势）：\n近 7 天暂无磁盘数据。',
      ]);
      expect(images(none)).toEqual([]);
    });
  });

  describe('ranking', () => {
    it('ranks sites by a figure of yesterday by default, with the ranking chart', async () => {
      const r = await ask(rankQ({ kind: 'figure', figure: 'opens' }), s.admin);
      expect(texts(r)).toEqual([
        [
          '各局点 2026-11-24 开通（从高到低）：',
          '1. 北京一号（BJ01）140',
          '2. 北京二号（BJ02）100',
          '3. 上海移动（SH01）90',
        ].join('\n'),
      ]);
      expect(images(r)).toEqual([
        ['rank-sub-2026-11-24-2026-11-24.png', '各局点 2026-11-24 开通排行'],
      ]);
      const [chart] = t.charts;
      expect(titleOf(chart)).toBe('2026-11-24 开通 · 排行');
      expect((chart.yAxis as { data: unknown[] }).data).toEqual([
        '北京一号',
        '北京二号',
        '上海移动',
      ]);
      expect(seriesOf(chart).map((x) => x.data)).toEqual([[140, 100, 90]]);
      // the same numbers as 昨日
      expect(texts(await command('昨日 BJ02', s.admin))[0]).toContain('\n开通 100\n');
    });

    it('ranks lowest first, caps at the number asked, sums a range, and names the sites without data', async () => {
      expect(
        texts(
          await ask(
            rankQ({ kind: 'figure', figure: 'opens' }, { order: 'asc', limit: 2 }),
            s.admin,
          ),
        ),
      ).toEqual([
        [
          '各局点 2026-11-24 开通（从低到高）：',
          '1. 上海移动（SH01）90',
          '2. 北京二号（BJ02）100',
          '……及其他 1 个局点',
        ].join('\n'),
      ]);
      expect(
        texts(
          await ask(
            rankQ({ kind: 'figure', figure: 'calls' }, { time: daysT('2026-11-20', '2026-11-24') }),
            s.li,
          ),
        ),
      ).toEqual([
        [
          '各局点 2026-11-20 至 2026-11-24 调用合计（从高到低）：',
          '1. 北京一号（BJ01）260,000',
          '2. 上海移动（SH01）1,000',
        ].join('\n'),
      ]);
      expect(
        texts(
          await ask(
            rankQ({ kind: 'figure', figure: 'totalUsers' }, { time: dayT('2026-11-23') }),
            s.admin,
          ),
        ),
      ).toEqual([
        [
          '各局点 2026-11-23 总用户（从高到低）：',
          '1. 北京一号（BJ01）10,300',
          '无数据：北京二号（BJ02）、上海移动（SH01）',
        ].join('\n'),
      ]);
      const none = await ask(
        rankQ({ kind: 'figure', figure: 'opens' }, { time: dayT('2026-11-10') }),
        s.li,
      );
      expect(texts(none)).toEqual(['各局点 2026-11-10 开通（从高到低）：\n暂无数据。']);
      expect(images(none)).toEqual([]);
    });

    it('ranks servers across the request’s sites by their latest readings, as 状态 shows them', async () => {
      const r = await ask(rankQ({ kind: 'metric', metric: 'cpu' }), s.admin);
      expect(texts(r)).toEqual([
        [
          'CPU最高的服务器（最新读数）：',
          '1. app01 10.2.0.1（上海移动）CPU 80.0%',
          '2. db01 10.0.0.3（北京一号）CPU 45.0%【停报】',
          '3. app01 10.0.0.1（北京一号）CPU 15.0%',
          '4. app02 10.0.0.2（北京一号）CPU 6.0%',
          '5. web01 10.1.0.1（北京二号）CPU 2.0%',
        ].join('\n'),
      ]);
      expect(images(r)).toEqual([['rank-cpu.png', 'CPU最高的服务器']]);
      const [chart] = t.charts;
      expect(titleOf(chart)).toBe('CPU最高 · 排行');
      expect((chart.yAxis as { data: unknown[] }).data).toEqual([
        'app01（上海移动）',
        { value: 'db01（北京一号）', textStyle: { color: '#bbbbbb' } },
        'app01（北京一号）',
        'app02（北京一号）',
        'web01（北京二号）',
      ]);
      // each server's CPU is the one 状态 shows
      const status = texts(await command('状态 BJ01', s.admin))[0];
      for (const [name, ip, cpu] of [
        ['app01', '10.0.0.1', '15.0%'],
        ['app02', '10.0.0.2', '6.0%'],
        ['db01', '10.0.0.3', '45.0%'],
      ]) {
        expect(status).toContain(`${name} ${ip}：CPU ${cpu}，`);
        expect(texts(r)[0]).toContain(`${name} ${ip}（北京一号）CPU ${cpu}`);
      }
      expect(
        texts(
          await ask(rankQ({ kind: 'metric', metric: 'disk' }, { order: 'asc', limit: 2 }), s.admin),
        ),
      ).toEqual([
        [
          '磁盘最低的服务器（最新读数）：',
          '1. app02 10.0.0.2（北京一号）磁盘 25.0%（/）',
          '2. app01 10.2.0.1（上海移动）磁盘 50.0%（/）',
          '……及其他 2 台',
        ].join('\n'),
      ]);
      // in a room: the room's sites only; at most 20 listed
      expect(
        texts(
          await ask(
            rankQ({ kind: 'metric', metric: 'mem' }, { limit: 50 }),
            s.li,
            room('北京运维', s.sites.bj01, s.sites.bj02),
          ),
        ),
      ).toEqual([
        [
          '内存最高的服务器（最新读数）：',
          '1. db01 10.0.0.3（北京一号）内存 75.0%【停报】',
          '2. app01 10.0.0.1（北京一号）内存 50.0%',
          '3. app02 10.0.0.2（北京一号）内存 12.5%',
          '（最多列出 20 台。）',
        ].join('\n'),
      ]);
    });

    it('lists the stale servers with their site and when they were last seen', async () => {
      const r = await ask(rankQ({ kind: 'stale' }), s.admin);
      expect(texts(r)).toEqual([
        [
          '停报的服务器 2 台：',
          'spare01 10.1.0.9（北京二号）：无数据',
          'db01 10.0.0.3（北京一号）：最后上报 2026-11-25 18:00（已停 3小时）',
        ].join('\n'),
      ]);
      expect(images(r)).toEqual([['rank-stale.png', '停报的服务器及停报时长']]);
      expect(seriesOf(t.charts[0]).map((x) => x.data)).toEqual([[null, 3]]);
      expect(
        texts(await ask(rankQ({ kind: 'stale' }, { order: 'asc', limit: 1 }), s.admin)),
      ).toEqual([
        [
          '停报的服务器 2 台：',
          'db01 10.0.0.3（北京一号）：最后上报 2026-11-25 18:00（已停 3小时）',
          '……及其他 1 台',
        ].join('\n'),
      ]);
      // the same servers 状态 marks
      expect(texts(await command('状态 BJ02', s.admin))[0]).toContain(
        'spare01 10.1.0.9：无数据【停报】',
      );
      expect(texts(await ask(rankQ({ kind: 'stale' }), s.li, room('上海', s.sites.sh01)))).toEqual([
        '没有停报的服务器。',
      ]);
    });
  });

  it('help gives example questions and the commands', async () => {
    expect(texts(await ask({ kind: 'help' }, s.li))).toEqual([
      [
        '可以直接用中文提问，例如：',
        '“北京昨天开户多少”',
        '“上周北京的业务”',
        '“北京和上海昨天对比”',
        '“北京状态怎么样”',
        '“最近一周的告警”',
        '“app01 的 CPU”',
        '“CPU最高的前5台”',
        '“停报的服务器有哪些”',
        '“那上海呢”',
        '也可以发送命令：状态 <局点>、昨日 <局点>、报表 <局点> [天数]、告警 [局点]、服务器 <名称或IP>、cpu <服务器> [小时]；发送“帮助”查看全部命令。',
      ].join('\n'),
    ]);
  });

  describe('access', () => {
    it('answers a site the caller may not see exactly like one that does not exist, and logs it', async () => {
      const asked: Intent[] = [
        figuresQ(['BJ02'], dayT('2026-11-24')),
        figuresQ(['BJ01', 'BJ02'], daysT('2026-11-20', '2026-11-24')),
        compareQ(['BJ01', 'BJ02'], [dayT('2026-11-24')]),
        { kind: 'status', sites: ['BJ02'] },
        { kind: 'alarms', sites: ['BJ02'], time: null },
        { kind: 'alarms', sites: ['BJ02'], time: dayT('2026-11-24') },
        rankQ({ kind: 'figure', figure: 'opens' }, { sites: ['BJ02'] }),
      ];
      for (const intent of asked) {
        const hidden = await ask(intent, s.li);
        const nonexistent = await ask(
          JSON.parse(JSON.stringify(intent).replace(/"BJ02"/g, '"XX99"')) as Intent,
          s.li,
        );
        expect({ intent, got: texts(hidden) }).toEqual({ intent, got: [NO_SITE_LI] });
        expect(texts(nonexistent)).toEqual(texts(hidden));
        expect(images(hidden)).toEqual([]);
      }
      // disabled sites do not exist for anyone; in a room only the room's sites
      expect(texts(await ask({ kind: 'status', sites: ['OFF1'] }, s.admin))).toEqual([
        '没有找到该局点。您可查询的局点：BJ01 北京一号、BJ02 北京二号、SH01 上海移动',
      ]);
      expect(
        texts(await ask({ kind: 'status', sites: ['SH01'] }, s.li, room('北京运维', s.sites.bj01))),
      ).toEqual(['没有找到该局点。本群可查询的局点：BJ01 北京一号']);
      expect(t.logs).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: 'question refused',
          login: 'li',
          room: null,
          text: 'a question',
          intent: 'status',
          reason: 'unknown site',
        }),
      );
      expect(t.charts).toEqual([]);
    });

    it('answers a server the caller may not see exactly like one that does not exist', async () => {
      const hiddenId = s.servers.web01.id;
      for (const make of [
        (id: number): Intent => ({ kind: 'server', server: id }),
        (id: number): Intent => metricQ('cpu', id),
        (id: number): Intent => metricQ('disk', id, dayT('2026-11-25')),
        (id: number): Intent => ({ kind: 'forecast', server: id, metric: 'disk' }),
      ]) {
        const hidden = texts(await ask(make(hiddenId), s.li));
        expect(hidden).toEqual(['没有找到该服务器。']);
        expect(texts(await ask(make(9_999_999), s.li))).toEqual(hidden);
        expect(texts(await command('服务器 web01', s.li))).toEqual(hidden);
      }
      // in a room, a server of the caller's outside the room
      expect(
        texts(
          await ask(
            { kind: 'server', server: s.servers.shApp01.id },
            s.li,
            room('北京运维', s.sites.bj01),
          ),
        ),
      ).toEqual(['没有找到该服务器。']);
      expect(t.logs).toContainEqual(
        expect.objectContaining({
          msg: 'question refused',
          intent: 'forecast',
          reason: 'unknown server',
        }),
      );
      expect(t.charts).toEqual([]);
    });

    it('answers with text alone when there is no renderer', async () => {
      const plain = testDeps(db().ds, { charts: false });
      const answers = createAnswerRegistry();
      for (const intent of [
        figuresQ(['BJ01'], daysT('2026-11-18', '2026-11-24')),
        compareQ(['BJ01', 'SH01'], [dayT('2026-11-24')]),
        { kind: 'status', sites: ['BJ01'] } as Intent,
        { kind: 'server', server: s.servers.app01.id } as Intent,
        metricQ('mem', s.servers.app01.id),
        { kind: 'forecast', server: s.servers.app01.id, metric: 'disk' } as Intent,
        rankQ({ kind: 'metric', metric: 'cpu' }),
      ]) {
        const r = await answers.answer(intent, {
          caller: s.li,
          args: 'q',
          room: null,
          deps: plain.deps,
        });
        expect({ intent, kinds: r.map((x) => x.kind) }).toEqual({ intent, kinds: ['text'] });
      }
    });
  });
});
