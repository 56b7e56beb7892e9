// The phrasing corpus: questions as ops staff type them, each with its exact Understanding against a fixed lexicon (thirteen sites, fifteen servers), clock and zone.
import type { LexiconSource } from '../../src/queries/lexicon';
import {
  FIGURES,
  type Figure,
  type Intent,
  type Metric,
  type RankTarget,
  type TimeSpec,
  type Understanding,
} from '../../src/nlu/types';

/** 2026-12-06 10:30 in Asia/Shanghai, a Sunday (02:30 UTC; still 12-05 in Los Angeles). */
export const CORPUS_NOW = Date.UTC(2026, 11, 6, 2, 30);
export const CORPUS_TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;

const site = (code: string, name: string, zone: string | null = null) => ({ code, name, zone });
const server = (id: number, name: string, ip: string, siteCode: string) => ({
  id,
  name,
  ip,
  siteCode,
});

export const CORPUS_SOURCE: LexiconSource = {
  sites: [
    site('BJ-CMCC', '北京移动彩印'),
    site('SH-CMCC', '上海移动彩印'),
    site('GZ-CMCC', '广州移动'),
    site('SZ-CMCC', '深圳移动'),
    site('HZ-CMCC', '杭州移动'),
    site('NJ-CMCC', '南京移动'),
    site('NJ-CUCC', '南京联通'),
    site('CD-CTCC', '成都电信'),
    site('WH-CMCC', '武汉移动'),
    site('XA-CMCC', '西安移动'),
    site('TJ-CUCC', '天津联通'),
    site('CQ-CMCC', '重庆移动'),
    site('LAX-ATT', '洛杉矶测试局', 'America/Los_Angeles'),
  ],
  servers: [
    server(1, 'BJ-CMCC-app01', '10.1.1.1', 'BJ-CMCC'),
    server(2, 'BJ-CMCC-app02', '10.1.1.2', 'BJ-CMCC'),
    server(3, 'BJ-CMCC-db01', '10.1.1.3', 'BJ-CMCC'),
    server(4, 'SH-CMCC-app01', '10.1.2.1', 'SH-CMCC'),
    server(5, 'SH-CMCC-db02', '10.1.2.3', 'SH-CMCC'),
    server(6, 'GZ-CMCC-gw01', '10.1.3.1', 'GZ-CMCC'),
    server(7, 'GZ-CMCC-app01', '10.1.3.2', 'GZ-CMCC'),
    server(8, 'SZ-CMCC-web01', '10.1.4.1', 'SZ-CMCC'),
    server(9, 'HZ-CMCC-cache01', '10.1.5.1', 'HZ-CMCC'),
    server(10, 'NJ-CMCC-app03', '10.2.1.1', 'NJ-CMCC'),
    server(11, 'NJ-CUCC-app03', '10.2.2.1', 'NJ-CUCC'),
    server(12, 'CD-CTCC-mysql01', '10.3.1.1', 'CD-CTCC'),
    server(13, 'LAX-ATT-app01', '10.9.1.1', 'LAX-ATT'),
    server(14, 'TJ-CUCC-redis01', '10.4.1.1', 'TJ-CUCC'),
    server(15, 'WH-CMCC-app05', '10.5.1.1', 'WH-CMCC'),
  ],
};

// Site codes and server ids, as the intents name them.
const BJ = 'BJ-CMCC';
const SH = 'SH-CMCC';
const GZ = 'GZ-CMCC';
const SZ = 'SZ-CMCC';
const HZ = 'HZ-CMCC';
const NJM = 'NJ-CMCC';
const NJU = 'NJ-CUCC';
const CD = 'CD-CTCC';
const WH = 'WH-CMCC';
const XA = 'XA-CMCC';
const TJ = 'TJ-CUCC';
const CQ = 'CQ-CMCC';
const LAX = 'LAX-ATT';
const BJ_APP01 = 1;
const BJ_APP02 = 2;
const BJ_DB01 = 3;
const SH_APP01 = 4;
const SH_DB02 = 5;
const GZ_GW01 = 6;
const SZ_WEB01 = 8;
const HZ_CACHE01 = 9;
const NJM_APP03 = 10;
const NJU_APP03 = 11;
const CD_MYSQL01 = 12;
const TJ_REDIS01 = 14;
const WH_APP05 = 15;

// Times, written out (not computed by the parser under test).
const day = (d: string): TimeSpec => ({ kind: 'day', day: `2026-${d}` });
const days = (from: string, to: string): TimeSpec => ({
  kind: 'days',
  from: `2026-${from}`,
  to: `2026-${to}`,
});
const lastHours = (h: number): TimeSpec => ({
  kind: 'hours',
  fromMs: CORPUS_NOW - h * HOUR,
  toMs: CORPUS_NOW,
});
const YESTERDAY = day('12-05');
const BEFORE = day('12-04');
const TODAY = day('12-06');
const THIS_WEEK = days('11-30', '12-06');
const LAST_WEEK = days('11-23', '11-29');
const THIS_MONTH = days('12-01', '12-06');
const LAST_MONTH = days('11-01', '11-30');
const LAST_7 = days('11-30', '12-06');

const ALL: Figure[] = [...FIGURES];
const figures = (sites: string[], f: Figure[], time: TimeSpec): Intent => ({
  kind: 'figures',
  sites,
  figures: f,
  time,
});
const compare = (sites: string[], f: Figure[], times: TimeSpec[]): Intent => ({
  kind: 'compare',
  sites,
  figures: f,
  times,
});
const status = (...sites: string[]): Intent => ({ kind: 'status', sites });
const alarms = (sites: string[], time: TimeSpec | null = null): Intent => ({
  kind: 'alarms',
  sites,
  time,
});
const serverI = (id: number): Intent => ({ kind: 'server', server: id });
const metric = (m: Metric, id: number, time: TimeSpec | null = null): Intent => ({
  kind: 'metric',
  metric: m,
  server: id,
  time,
});
const forecast = (id: number, m: 'disk' | 'mem'): Intent => ({
  kind: 'forecast',
  server: id,
  metric: m,
});
const rank = (
  target: RankTarget,
  order: 'desc' | 'asc',
  limit: number,
  sites: string[] = [],
  time: TimeSpec | null = null,
): Intent => ({ kind: 'ranking', target, order, limit, sites, time });
const byFigure = (figure: Figure): RankTarget => ({ kind: 'figure', figure });
const byMetric = (m: Metric): RankTarget => ({ kind: 'metric', metric: m });
const STALE: RankTarget = { kind: 'stale' };
const HELP: Intent = { kind: 'help' };

const sure = (intent: Intent): Understanding => ({ kind: 'sure', intent });
const unsure = (...readings: Intent[]): Understanding => ({ kind: 'unsure', readings });
const ambiguous = (
  word: string,
  ...candidates: [kind: 'site' | 'server', label: string][]
): Understanding => ({
  kind: 'ambiguous',
  word,
  candidates: candidates.map(([kind, label]) => ({ kind, label })),
});
const OFFTOPIC: Understanding = { kind: 'offtopic' };
const NANJING: [kind: 'site', label: string][] = [
  ['site', 'NJ-CMCC 南京移动'],
  ['site', 'NJ-CUCC 南京联通'],
];
const APP01: [kind: 'server', label: string][] = [
  ['server', 'BJ-CMCC-app01（10.1.1.1，BJ-CMCC）'],
  ['server', 'SH-CMCC-app01（10.1.2.1，SH-CMCC）'],
  ['server', 'GZ-CMCC-app01（10.1.3.2，GZ-CMCC）'],
  ['server', 'LAX-ATT-app01（10.9.1.1，LAX-ATT）'],
];
const APP03: [kind: 'server', label: string][] = [
  ['server', 'NJ-CMCC-app03（10.2.1.1，NJ-CMCC）'],
  ['server', 'NJ-CUCC-app03（10.2.2.1，NJ-CUCC）'],
];

export interface CorpusCase {
  text: string;
  expected: Understanding;
  /** The previous question's intent, for a follow-up. */
  previous?: Intent;
}

type Row = [text: string, expected: Understanding, previous?: Intent];

const rows: Row[] = [
  // ---- one day's figures ----
  ['广州昨天新增用户多少', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['GZ 昨日注销', sure(figures([GZ], ['closes'], YESTERDAY))],
  ['ＧＺ 昨日注销', sure(figures([GZ], ['closes'], YESTERDAY))],
  ['深圳前天的上行量', sure(figures([SZ], ['mo'], BEFORE))],
  ['昨天sh的话务量', sure(figures([SH], ['calls'], YESTERDAY))],
  ['11月28号上海MO', sure(figures([SH], ['mo'], day('11-28')))],
  ['12/1 北京 下行', sure(figures([BJ], ['mt'], day('12-01')))],
  ['１２／１ 北京 下行', sure(figures([BJ], ['mt'], day('12-01')))],
  ['前天 BJ', sure(figures([BJ], ALL, BEFORE))],
  ['11月30日 BJ', sure(figures([BJ], ALL, day('11-30')))],
  ['广州昨天开户', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['广州昨天开户多少', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['广州 昨天 开户数', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['昨天广州开了多少户', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['北京昨天新增', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['北京移动彩印昨天开户', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['bj-cmcc 昨天开户', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['BJ-CMCC昨日开户', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['昨日 BJ-CMCC', sure(figures([BJ], ALL, YESTERDAY))],
  ['昨日 bj', sure(figures([BJ], ALL, YESTERDAY))],
  ['杭州昨天退订', sure(figures([HZ], ['closes'], YESTERDAY))],
  ['杭州昨天销户多少', sure(figures([HZ], ['closes'], YESTERDAY))],
  ['成都昨天呼叫量', sure(figures([CD], ['calls'], YESTERDAY))],
  ['成都电信前天调用量', sure(figures([CD], ['calls'], BEFORE))],
  ['武汉昨天推送', sure(figures([WH], ['pushes'], YESTERDAY))],
  ['武汉昨天彩印推送量', sure(figures([WH], ['pushes'], YESTERDAY))],
  ['西安昨天展示量', sure(figures([XA], ['pushes'], YESTERDAY))],
  ['重庆昨天在网用户', sure(figures([CQ], ['totalUsers'], YESTERDAY))],
  ['重庆移动总用户数', sure(figures([CQ], ['totalUsers'], YESTERDAY))],
  ['天津昨天用户数', sure(figures([TJ], ['totalUsers'], YESTERDAY))],
  ['深圳昨天mt', sure(figures([SZ], ['mt'], YESTERDAY))],
  ['深圳昨天MO和MT', sure(figures([SZ], ['mo', 'mt'], YESTERDAY))],
  ['深圳昨天上行和下行', sure(figures([SZ], ['mo', 'mt'], YESTERDAY))],
  ['广州昨天开户和销户', sure(figures([GZ], ['opens', 'closes'], YESTERDAY))],
  ['广州昨天开户销户', sure(figures([GZ], ['opens', 'closes'], YESTERDAY))],
  ['广州今天开户', sure(figures([GZ], ['opens'], TODAY))],
  ['广州今日新增', sure(figures([GZ], ['opens'], TODAY))],
  ['大前天广州开户', sure(figures([GZ], ['opens'], day('12-03')))],
  ['3天前广州开户', sure(figures([GZ], ['opens'], day('12-03')))],
  ['12月1号北京开户', sure(figures([BJ], ['opens'], day('12-01')))],
  ['12月1日 北京 开户', sure(figures([BJ], ['opens'], day('12-01')))],
  ['2026-12-01 北京 开户', sure(figures([BJ], ['opens'], day('12-01')))],
  ['12-01 北京开户', sure(figures([BJ], ['opens'], day('12-01')))],
  ['上周五北京开户', sure(figures([BJ], ['opens'], day('11-27')))],
  ['周三北京开户', sure(figures([BJ], ['opens'], day('12-02')))],
  ['北京周五的开户', sure(figures([BJ], ['opens'], day('12-04')))],
  ['昨天杭州的话务', sure(figures([HZ], ['calls'], YESTERDAY))],
  ['昨天 SZ-CMCC 的推送', sure(figures([SZ], ['pushes'], YESTERDAY))],
  ['sz昨天推送', sure(figures([SZ], ['pushes'], YESTERDAY))],
  ['hz 昨天 mo', sure(figures([HZ], ['mo'], YESTERDAY))],
  ['广州昨天的数据', sure(figures([GZ], ALL, YESTERDAY))],
  ['广州昨天', sure(figures([GZ], ALL, YESTERDAY))],
  ['昨天', sure(figures([], ALL, YESTERDAY))],
  ['昨天开户', sure(figures([], ['opens'], YESTERDAY))],
  ['昨天全部局点开户', sure(figures([], ['opens'], YESTERDAY))],
  ['广州开户多少', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['广州新用户', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['洛杉矶昨天开户', sure(figures([LAX], ['opens'], BEFORE))],
  ['洛杉矶今天开户', sure(figures([LAX], ['opens'], YESTERDAY))],
  ['lax-att 前天的退订', sure(figures([LAX], ['closes'], day('12-03')))],
  ['洛杉矶测试局昨天开户', sure(figures([LAX], ['opens'], BEFORE))],
  ['南京移动昨天开户', sure(figures([NJM], ['opens'], YESTERDAY))],
  ['南京联通昨天开户', sure(figures([NJU], ['opens'], YESTERDAY))],
  ['nj-cucc 昨天开户', sure(figures([NJU], ['opens'], YESTERDAY))],
  ['北京昨天订购', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['北京昨天开通', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['北京昨天取消', sure(figures([BJ], ['closes'], YESTERDAY))],
  ['北京昨天注销用户数', sure(figures([BJ], ['closes'], YESTERDAY))],
  ['北京昨天新增用户数', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['北京 昨天 签名推送', sure(figures([BJ], ['pushes'], YESTERDAY))],
  ['帮我查一下广州昨天的开户', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['请问上海昨天话务量是多少', sure(figures([SH], ['calls'], YESTERDAY))],
  ['上海昨天的呼叫次数', sure(figures([SH], ['calls'], YESTERDAY))],
  ['上海昨天 MO 多少', sure(figures([SH], ['mo'], YESTERDAY))],
  ['昨天深圳的开户情况', sure(figures([SZ], ['opens'], YESTERDAY))],
  ['北京昨天情况', sure(figures([BJ], ALL, YESTERDAY))],
  ['ＢＪ 昨天 开户', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['昨天北京开户数是多少啊', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['北京的开户 昨天 多少?', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['北京昨天开户销户总用户话务推送上行下行', sure(figures([BJ], ALL, YESTERDAY))],
  ['上海前天开通了多少', sure(figures([SH], ['opens'], BEFORE))],
  ['广州昨天退订量', sure(figures([GZ], ['closes'], YESTERDAY))],
  ['昨天gz的下行量', sure(figures([GZ], ['mt'], YESTERDAY))],
  ['天津联通昨天上行短信', sure(figures([TJ], ['mo'], YESTERDAY))],
  ['昨天北京开户呢', sure(figures([BJ], ['opens'], YESTERDAY))],

  // ---- a range of days ----
  ['杭州这周开户', sure(figures([HZ], ['opens'], THIS_WEEK))],
  ['本月北京累计退订', sure(figures([BJ], ['closes'], THIS_MONTH))],
  ['最近5天广州推送趋势', sure(figures([GZ], ['pushes'], days('12-02', '12-06')))],
  ['最近7天北京开户', sure(figures([BJ], ['opens'], LAST_7))],
  ['近三天上海话务', sure(figures([SH], ['calls'], days('12-04', '12-06')))],
  ['上周北京开户', sure(figures([BJ], ['opens'], LAST_WEEK))],
  ['上个月广州销户', sure(figures([GZ], ['closes'], LAST_MONTH))],
  ['上月深圳推送', sure(figures([SZ], ['pushes'], LAST_MONTH))],
  ['本周杭州开户累计', sure(figures([HZ], ['opens'], THIS_WEEK))],
  ['这个月北京总共开了多少户', sure(figures([BJ], ['opens'], THIS_MONTH))],
  ['11月1日到11月30日广州开户', sure(figures([GZ], ['opens'], LAST_MONTH))],
  ['12月1号至今北京开户', sure(figures([BJ], ['opens'], THIS_MONTH))],
  ['12月1号以来北京开户', sure(figures([BJ], ['opens'], THIS_MONTH))],
  ['广州推送趋势', sure(figures([GZ], ['pushes'], LAST_7))],
  ['北京开户趋势', sure(figures([BJ], ['opens'], LAST_7))],
  ['最近一周上海开户走势', sure(figures([SH], ['opens'], LAST_7))],
  ['最近10天北京mo', sure(figures([BJ], ['mo'], days('11-27', '12-06')))],
  ['过去3天深圳下行', sure(figures([SZ], ['mt'], days('12-04', '12-06')))],
  ['近7天各局点开户', sure(figures([], ['opens'], LAST_7))],
  ['本月累计开户', sure(figures([], ['opens'], THIS_MONTH))],
  ['最近两周北京开户', sure(figures([BJ], ['opens'], days('11-23', '12-06')))],
  ['最近一个月北京开户', sure(figures([BJ], ['opens'], days('11-07', '12-06')))],
  ['12月1日到3日北京推送', sure(figures([BJ], ['pushes'], days('12-01', '12-03')))],
  ['北京每天开户', sure(figures([BJ], ['opens'], LAST_7))],
  ['杭州本周合计销户', sure(figures([HZ], ['closes'], THIS_WEEK))],
  ['广州这周的话务趋势', sure(figures([GZ], ['calls'], THIS_WEEK))],
  ['本周 GZ 推送', sure(figures([GZ], ['pushes'], THIS_WEEK))],
  ['成都最近3天调用', sure(figures([CD], ['calls'], days('12-04', '12-06')))],
  ['北京开户 近3天', sure(figures([BJ], ['opens'], days('12-04', '12-06')))],
  ['北京上月一共退订多少', sure(figures([BJ], ['closes'], LAST_MONTH))],

  // ---- comparisons ----
  ['北京和上海昨天开户对比', sure(compare([BJ, SH], ['opens'], [YESTERDAY]))],
  ['北京跟上海昨天开户', sure(compare([BJ, SH], ['opens'], [YESTERDAY]))],
  ['北京与上海昨天的话务对比', sure(compare([BJ, SH], ['calls'], [YESTERDAY]))],
  ['比较一下北京和广州昨天开户', sure(compare([BJ, GZ], ['opens'], [YESTERDAY]))],
  ['北京上海广州昨天开户', sure(compare([BJ, SH, GZ], ['opens'], [YESTERDAY]))],
  ['BJ和SH昨天开户对比', sure(compare([BJ, SH], ['opens'], [YESTERDAY]))],
  ['本周和上周开户', sure(compare([], ['opens'], [THIS_WEEK, LAST_WEEK]))],
  ['北京本周和上周开户对比', sure(compare([BJ], ['opens'], [THIS_WEEK, LAST_WEEK]))],
  ['北京这周跟上周的开户比较', sure(compare([BJ], ['opens'], [THIS_WEEK, LAST_WEEK]))],
  ['上海昨天和前天话务对比', sure(compare([SH], ['calls'], [YESTERDAY, BEFORE]))],
  ['北京和上海最近7天开户对比', sure(compare([BJ, SH], ['opens'], [LAST_7]))],
  ['北京昨天开户对比', sure(compare([BJ], ['opens'], [YESTERDAY, BEFORE]))],
  ['北京本月和上月开户', sure(compare([BJ], ['opens'], [THIS_MONTH, LAST_MONTH]))],
  ['北京昨天开户比前天多还是少', sure(compare([BJ], ['opens'], [YESTERDAY, BEFORE]))],
  ['广州和深圳昨天对比', sure(compare([GZ, SZ], ALL, [YESTERDAY]))],
  ['北京比上周开户多还是少', sure(compare([BJ], ['opens'], [THIS_WEEK, LAST_WEEK]))],
  ['北京和上海昨天', sure(compare([BJ, SH], ALL, [YESTERDAY]))],
  ['杭州和南京联通昨天开户', sure(compare([HZ, NJU], ['opens'], [YESTERDAY]))],
  ['北京、上海 昨天 退订', sure(compare([BJ, SH], ['closes'], [YESTERDAY]))],
  ['上海本月开户环比', sure(compare([SH], ['opens'], [THIS_MONTH, days('11-01', '11-06')]))],
  ['广州今天比昨天开户多还是少', sure(compare([GZ], ['opens'], [TODAY, YESTERDAY]))],
  ['gz sz 昨天推送对比', sure(compare([GZ, SZ], ['pushes'], [YESTERDAY]))],

  // ---- rankings of sites by a figure ----
  ['哪个局点昨天开户最多', sure(rank(byFigure('opens'), 'desc', 1, [], YESTERDAY))],
  ['北京和上海昨天开户哪个多', sure(rank(byFigure('opens'), 'desc', 1, [BJ, SH], YESTERDAY))],
  ['昨天开户最少的局点', sure(rank(byFigure('opens'), 'asc', 10, [], YESTERDAY))],
  ['昨天销户最多的3个局点', sure(rank(byFigure('closes'), 'desc', 3, [], YESTERDAY))],
  ['开户排名', sure(rank(byFigure('opens'), 'desc', 10, [], YESTERDAY))],
  ['昨天话务量排名', sure(rank(byFigure('calls'), 'desc', 10, [], YESTERDAY))],
  ['本周开户最多的局点', sure(rank(byFigure('opens'), 'desc', 10, [], THIS_WEEK))],
  ['哪个局点本月推送最多', sure(rank(byFigure('pushes'), 'desc', 1, [], THIS_MONTH))],
  ['昨天推送量前三的局点', sure(rank(byFigure('pushes'), 'desc', 3, [], YESTERDAY))],
  ['哪个站点前天退订最多', sure(rank(byFigure('closes'), 'desc', 1, [], BEFORE))],
  ['上周话务最高的前5个局点', sure(rank(byFigure('calls'), 'desc', 5, [], LAST_WEEK))],
  ['在网用户最多的局点', sure(rank(byFigure('totalUsers'), 'desc', 10, [], YESTERDAY))],

  // ---- rankings of servers ----
  ['哪台服务器CPU最高', sure(rank(byMetric('cpu'), 'desc', 1))],
  ['内存用得最多的前3台', sure(rank(byMetric('mem'), 'desc', 3))],
  ['CPU最高的前5台', sure(rank(byMetric('cpu'), 'desc', 5))],
  ['磁盘最满的服务器', sure(rank(byMetric('disk'), 'desc', 10))],
  ['北京哪台服务器内存最高', sure(rank(byMetric('mem'), 'desc', 1, [BJ]))],
  ['cpu top5', sure(rank(byMetric('cpu'), 'desc', 5))],
  ['cpu top 5', sure(rank(byMetric('cpu'), 'desc', 5))],
  ['前十名cpu', sure(rank(byMetric('cpu'), 'desc', 10))],
  ['内存最低的服务器', sure(rank(byMetric('mem'), 'asc', 10))],
  ['磁盘使用率最高的前10台', sure(rank(byMetric('disk'), 'desc', 10))],
  ['cpu最低的两台', sure(rank(byMetric('cpu'), 'asc', 2))],
  ['北京磁盘最满的服务器', sure(rank(byMetric('disk'), 'desc', 10, [BJ]))],
  ['负载最高的机器', sure(rank(byMetric('cpu'), 'desc', 10))],
  ['哪台机器磁盘最满', sure(rank(byMetric('disk'), 'desc', 1))],
  ['上海的服务器cpu排名', sure(rank(byMetric('cpu'), 'desc', 10, [SH]))],
  ['北京cpu', sure(rank(byMetric('cpu'), 'desc', 10, [BJ]))],
  ['ＣＰＵ最高的前５台', sure(rank(byMetric('cpu'), 'desc', 5))],
  ['最近6小时cpu最高的服务器', sure(rank(byMetric('cpu'), 'desc', 10, [], lastHours(6)))],
  ['磁盘还能撑几天', unsure(rank(byMetric('disk'), 'desc', 10))],

  // ---- servers that stopped reporting ----
  ['停报的服务器有哪些', sure(rank(STALE, 'desc', 10))],
  ['哪些服务器停报了', sure(rank(STALE, 'desc', 10))],
  ['哪台服务器不上报', sure(rank(STALE, 'desc', 10))],
  ['北京有哪些服务器没上报', sure(rank(STALE, 'desc', 10, [BJ]))],
  ['停报', sure(rank(STALE, 'desc', 10))],
  ['上海的停报服务器', sure(rank(STALE, 'desc', 10, [SH]))],
  ['掉线的机器', sure(rank(STALE, 'desc', 10))],
  ['广州有没有服务器离线', sure(rank(STALE, 'desc', 10, [GZ]))],

  // ---- status ----
  ['上海现在怎么样', sure(status(SH))],
  ['广州正常吗', sure(status(GZ))],
  ['广州', sure(status(GZ))],
  ['北京怎么样', sure(status(BJ))],
  ['北京状态', sure(status(BJ))],
  ['状态 上海', sure(status(SH))],
  ['深圳情况如何', sure(status(SZ))],
  ['杭州咋样', sure(status(HZ))],
  ['杭州咋样了', sure(status(HZ))],
  ['bj 状态', sure(status(BJ))],
  ['SH-CMCC', sure(status(SH))],
  ['北京和上海的状态', sure(status(BJ, SH))],
  ['状态', sure(status())],
  ['怎么样', sure(status())],
  ['所有局点状态', sure(status())],
  ['各局点情况', sure(status())],
  ['重庆移动还好吗', sure(status(CQ))],
  ['成都今天怎么样', sure(status(CD))],
  ['天津联通运行情况', sure(status(TJ))],
  ['现在广州怎么样', sure(status(GZ))],
  ['武汉当前状态', sure(status(WH))],
  ['西安移动', sure(status(XA))],
  ['杭州正常不', sure(status(HZ))],

  // ---- alarms ----
  ['广州有没有告警', sure(alarms([GZ]))],
  ['告警', sure(alarms([]))],
  ['昨天有哪些新告警', sure(alarms([], YESTERDAY))],
  ['最近一周北京的告警历史', sure(alarms([BJ], LAST_7))],
  ['最近一周的告警', sure(alarms([], LAST_7))],
  ['北京告警', sure(alarms([BJ]))],
  ['上海有告警吗', sure(alarms([SH]))],
  ['深圳有没有报警', sure(alarms([SZ]))],
  ['杭州有故障吗', sure(alarms([HZ]))],
  ['有没有异常', sure(alarms([]))],
  ['今天的告警', sure(alarms([], TODAY))],
  ['北京告警历史', sure(alarms([BJ], LAST_7))],
  ['上周上海的告警', sure(alarms([SH], LAST_WEEK))],
  ['前天有什么告警', sure(alarms([], BEFORE))],
  ['北京和上海的告警', sure(alarms([BJ, SH]))],
  ['当前告警', sure(alarms([]))],
  ['sh 告警', sure(alarms([SH]))],
  ['最近3天广州告警', sure(alarms([GZ], days('12-04', '12-06')))],
  ['11月28号北京的告警', sure(alarms([BJ], day('11-28')))],
  ['新告警', sure(alarms([]))],
  ['有新告警吗', sure(alarms([]))],
  ['历史告警', sure(alarms([], LAST_7))],
  ['gz的报警信息', sure(alarms([GZ]))],
  ['南京联通告警', sure(alarms([NJU]))],
  ['洛杉矶昨天的告警', sure(alarms([LAX], BEFORE))],
  ['告警 北京', sure(alarms([BJ]))],
  ['哪个局点告警最多', sure(alarms([]))],

  // ---- one server, its metrics, its forecast ----
  ['gw01 怎么样了', sure(serverI(GZ_GW01))],
  ['服务器 app02', sure(serverI(BJ_APP02))],
  ['10.1.2.3', sure(serverI(SH_DB02))],
  ['app02', sure(serverI(BJ_APP02))],
  ['db01 详情', sure(serverI(BJ_DB01))],
  ['gz-cmcc-gw01', sure(serverI(GZ_GW01))],
  ['GW01信息', sure(serverI(GZ_GW01))],
  ['redis01 怎么样', sure(serverI(TJ_REDIS01))],
  ['app05 正常吗', sure(serverI(WH_APP05))],
  ['南京联通 app03', sure(serverI(NJU_APP03))],
  ['BJ-CMCC-db01', sure(serverI(BJ_DB01))],
  ['app02 最近6小时cpu', sure(metric('cpu', BJ_APP02, lastHours(6)))],
  ['10.1.2.3 的磁盘', sure(metric('disk', SH_DB02))],
  ['app02 cpu', sure(metric('cpu', BJ_APP02))],
  ['db01内存', sure(metric('mem', BJ_DB01))],
  ['db01 内存使用率', sure(metric('mem', BJ_DB01))],
  ['gw01 磁盘空间', sure(metric('disk', GZ_GW01))],
  ['bj-app01 cpu', sure(metric('cpu', BJ_APP01))],
  ['北京 app01 内存', sure(metric('mem', BJ_APP01))],
  ['上海的app01 cpu', sure(metric('cpu', SH_APP01))],
  ['app02 最近24小时负载', sure(metric('cpu', BJ_APP02, lastHours(24)))],
  ['db02 近3小时内存', sure(metric('mem', SH_DB02, lastHours(3)))],
  ['10.1.1.3 cpu', sure(metric('cpu', BJ_DB01))],
  ['cpu app02', sure(metric('cpu', BJ_APP02))],
  ['web01 昨天cpu', sure(metric('cpu', SZ_WEB01, YESTERDAY))],
  ['cache01 硬盘', sure(metric('disk', HZ_CACHE01))],
  ['mysql01 的存储', sure(metric('disk', CD_MYSQL01))],
  ['ａｐｐ０２ ＣＰＵ', sure(metric('cpu', BJ_APP02))],
  ['app02 看看图', sure(metric('cpu', BJ_APP02))],
  ['nj-cmcc-app03 cpu', sure(metric('cpu', NJM_APP03))],
  ['app02 最近6小时的cpu使用率', sure(metric('cpu', BJ_APP02, lastHours(6)))],
  ['app02的内存占用', sure(metric('mem', BJ_APP02))],
  ['db01磁盘还能撑几天', sure(forecast(BJ_DB01, 'disk'))],
  ['db01 磁盘多久满', sure(forecast(BJ_DB01, 'disk'))],
  ['gw01硬盘什么时候满', sure(forecast(GZ_GW01, 'disk'))],
  ['db02 内存还能撑多久', sure(forecast(SH_DB02, 'mem'))],
  ['db01还能撑几天', sure(forecast(BJ_DB01, 'disk'))],
  ['10.1.1.3 磁盘还能用多久', sure(forecast(BJ_DB01, 'disk'))],

  // ---- help and what Sitewatch does not answer ----
  ['帮助', sure(HELP)],
  ['你能做什么', sure(HELP)],
  ['怎么用', sure(HELP)],
  ['help', sure(HELP)],
  ['HELP', sure(HELP)],
  ['?', sure(HELP)],
  ['？', sure(HELP)],
  ['今天天气怎么样', OFFTOPIC],
  ['你好', OFFTOPIC],
  ['谢谢', OFFTOPIC],
  ['hello', OFFTOPIC],
  ['晚上吃什么', OFFTOPIC],
  ['周末去哪玩', OFFTOPIC],
  ['你是谁', OFFTOPIC],
  ['哈哈', OFFTOPIC],
  ['。。。', OFFTOPIC],
  ['明天会下雨吗', OFFTOPIC],

  // ---- follow-ups of the previous question ----
  ['换成内存', sure(metric('mem', GZ_GW01)), serverI(GZ_GW01)],
  ['CPU呢', sure(metric('cpu', GZ_GW01)), serverI(GZ_GW01)],
  ['换成内存', sure(metric('mem', BJ_APP02, lastHours(6))), metric('cpu', BJ_APP02, lastHours(6))],
  ['磁盘呢', sure(metric('disk', BJ_APP02, lastHours(6))), metric('cpu', BJ_APP02, lastHours(6))],
  ['前天呢', sure(figures([BJ], ALL, BEFORE)), figures([BJ], ALL, YESTERDAY)],
  ['广州', sure(figures([GZ], ['opens'], YESTERDAY)), figures([BJ], ['opens'], YESTERDAY)],
  ['那广州呢', sure(figures([GZ], ['opens'], YESTERDAY)), figures([BJ], ['opens'], YESTERDAY)],
  ['那上海呢', sure(status(SH)), status(BJ)],
  ['深圳呢', sure(alarms([SZ])), alarms([BJ])],
  ['前天呢', sure(alarms([], BEFORE)), alarms([], YESTERDAY)],
  [
    '看看图',
    sure(figures([BJ], ['opens'], days('11-29', '12-05'))),
    figures([BJ], ['opens'], YESTERDAY),
  ],
  ['看看图', sure(metric('cpu', BJ_APP02)), metric('cpu', BJ_APP02)],
  [
    '比上周多还是少',
    sure(compare([HZ], ['opens'], [THIS_WEEK, LAST_WEEK])),
    figures([HZ], ['opens'], THIS_WEEK),
  ],
  [
    '比上周多还是少',
    sure(compare([BJ], ['opens'], [YESTERDAY, day('11-28')])),
    figures([BJ], ['opens'], YESTERDAY),
  ],
  ['换成退订', sure(figures([BJ], ['closes'], YESTERDAY)), figures([BJ], ['opens'], YESTERDAY)],
  ['销户呢', sure(figures([BJ], ['closes'], YESTERDAY)), figures([BJ], ['opens'], YESTERDAY)],
  ['内存呢', sure(rank(byMetric('mem'), 'desc', 5)), rank(byMetric('cpu'), 'desc', 5)],
  ['最低的呢', sure(rank(byMetric('cpu'), 'asc', 5)), rank(byMetric('cpu'), 'desc', 5)],
  [
    '昨天呢',
    sure(rank(byFigure('opens'), 'desc', 1, [], YESTERDAY)),
    rank(byFigure('opens'), 'desc', 1, [], THIS_WEEK),
  ],
  ['北京呢', sure(rank(byMetric('cpu'), 'desc', 1, [BJ])), rank(byMetric('cpu'), 'desc', 1)],
  ['app01呢', ambiguous('app01', ...APP01), metric('cpu', BJ_APP02)],
  ['db01呢', sure(metric('cpu', BJ_DB01, lastHours(6))), metric('cpu', BJ_APP02, lastHours(6))],
  ['再看看', sure(status(GZ)), status(GZ)],
  ['前5台呢', sure(rank(byMetric('cpu'), 'desc', 5)), rank(byMetric('cpu'), 'desc', 1)],
  ['杭州', sure(figures([HZ], ['opens'], YESTERDAY)), compare([BJ, SH], ['opens'], [YESTERDAY])],
  ['那深圳呢', sure(rank(byMetric('disk'), 'desc', 10, [SZ])), forecast(BJ_DB01, 'disk')],
  ['前天呢', unsure(figures([SH], ALL, BEFORE), alarms([SH], BEFORE)), status(SH)],
  ['那火星呢', unsure(figures([BJ], ['opens'], YESTERDAY)), figures([BJ], ['opens'], YESTERDAY)],
  [
    '北京 最近3天',
    sure(figures([BJ], ['opens'], days('12-04', '12-06'))),
    figures([GZ], ['opens'], YESTERDAY),
  ],
  ['开户呢', sure(figures([GZ], ['opens'], YESTERDAY)), status(GZ)],
  ['告警呢', sure(alarms([GZ])), status(GZ)],
  ['上海现在怎么样', sure(status(SH)), figures([BJ], ['opens'], YESTERDAY)],
  ['改成上行', sure(figures([SZ], ['mo'], BEFORE)), figures([SZ], ['mt'], BEFORE)],
  ['那本月呢', sure(figures([BJ], ['closes'], THIS_MONTH)), figures([BJ], ['closes'], YESTERDAY)],
  ['sh呢', sure(figures([SH], ALL, BEFORE)), figures([BJ], ALL, BEFORE)],
  ['深圳', sure(status(SZ)), status(GZ)],
  ['上周的呢', sure(alarms([BJ], LAST_WEEK)), alarms([BJ], LAST_7)],
  ['db02呢', sure(forecast(SH_DB02, 'disk')), forecast(BJ_DB01, 'disk')],
  ['内存呢', sure(forecast(BJ_DB01, 'mem')), forecast(BJ_DB01, 'disk')],
  [
    '那北京和上海呢',
    sure(compare([BJ, SH], ['opens'], [YESTERDAY])),
    figures([GZ], ['opens'], YESTERDAY),
  ],
  [
    '看看图',
    sure(compare([BJ, SH], ['opens'], [days('11-29', '12-05')])),
    compare([BJ, SH], ['opens'], [YESTERDAY]),
  ],
  ['再看一下广州', sure(alarms([GZ])), alarms([SH])],

  // ---- names that could be several things, typos, words Sitewatch does not know ----
  ['南京昨天开户', ambiguous('南京', ...NANJING)],
  ['nj 昨天开户', ambiguous('nj', ...NANJING)],
  ['南京', ambiguous('南京', ...NANJING)],
  ['app01 cpu', ambiguous('app01', ...APP01)],
  ['app03', ambiguous('app03', ...APP03)],
  ['nj-app03', ambiguous('nj-app03', ...APP03)],
  ['bj-cmcc-app1 cpu', unsure(metric('cpu', BJ_APP01))],
  ['gw02 cpu', unsure(metric('cpu', GZ_GW01))],
  ['北京移动才印昨天开户', unsure(figures([BJ], ['opens'], YESTERDAY))],
  ['广洲昨天开户', unsure(figures([GZ], ['opens'], YESTERDAY))],
  ['深镇昨天推送', unsure(figures([SZ], ['pushes'], YESTERDAY))],
  ['火星昨天开户', unsure(figures([], ['opens'], YESTERDAY))],
  ['北京天气怎么样', unsure(status(BJ))],
  ['hangzhou昨天开户', unsure(figures([], ['opens'], YESTERDAY))],
  ['db1磁盘', unsure(metric('disk', BJ_DB01))],
  ['app2 cpu', unsure(metric('cpu', BJ_APP02))],
  ['杭洲移动昨天退订', unsure(figures([HZ], ['closes'], YESTERDAY))],
  ['10.1.2.9 cpu', unsure(rank(byMetric('cpu'), 'desc', 10))],
  ['北京 app09 cpu', unsure(metric('cpu', BJ_APP01), metric('cpu', BJ_APP02))],
  ['上海 昨天 开户 哈哈哈', unsure(figures([SH], ['opens'], YESTERDAY))],

  // ---- more phrasings, as they came ----
  ['广州移动昨天的新增用户数是多少', sure(figures([GZ], ['opens'], YESTERDAY))],
  ['深圳昨天开了几户', sure(figures([SZ], ['opens'], YESTERDAY))],
  ['查下广州前天注销数', sure(figures([GZ], ['closes'], BEFORE))],
  ['上海本周话务多少', sure(figures([SH], ['calls'], THIS_WEEK))],
  ['昨天武汉上行短信量', sure(figures([WH], ['mo'], YESTERDAY))],
  ['天津联通昨天用户规模', sure(figures([TJ], ['totalUsers'], YESTERDAY))],
  ['昨天cd的调用', sure(figures([CD], ['calls'], YESTERDAY))],
  ['12月3号深圳推送', sure(figures([SZ], ['pushes'], day('12-03')))],
  ['cq 昨天推送量', sure(figures([CQ], ['pushes'], YESTERDAY))],
  ['今天北京移动彩印推送量', sure(figures([BJ], ['pushes'], TODAY))],
  ['北京昨天的开户量是多少 谢谢', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['@bot 北京昨天开户', sure(figures([BJ], ['opens'], YESTERDAY))],
  ['昨天各个局点的开户情况', sure(figures([], ['opens'], YESTERDAY))],
  ['西安最近一周开户走势', sure(figures([XA], ['opens'], LAST_7))],
  ['重庆上月累计开户', sure(figures([CQ], ['opens'], LAST_MONTH))],
  ['给我看看北京最近一周的开户趋势图', sure(figures([BJ], ['opens'], LAST_7))],
  ['北京上周三到上周五开户', sure(figures([BJ], ['opens'], days('11-25', '11-27')))],
  ['杭州和成都昨天开户对比一下', sure(compare([HZ, CD], ['opens'], [YESTERDAY]))],
  ['本周上海开户环比', sure(compare([SH], ['opens'], [THIS_WEEK, LAST_WEEK]))],
  ['南京移动和南京联通昨天开户', sure(compare([NJM, NJU], ['opens'], [YESTERDAY]))],
  ['本周北京开户跟上周比', sure(compare([BJ], ['opens'], [THIS_WEEK, LAST_WEEK]))],
  ['上海昨天开户数和前天比', sure(compare([SH], ['opens'], [YESTERDAY, BEFORE]))],
  ['北京昨天开户数多少上海呢', sure(compare([BJ, SH], ['opens'], [YESTERDAY]))],
  ['各局点昨天退订排名', sure(rank(byFigure('closes'), 'desc', 10, [], YESTERDAY))],
  ['昨天开户最多的前5个局点', sure(rank(byFigure('opens'), 'desc', 5, [], YESTERDAY))],
  ['昨天开户数最多的是哪个局点', sure(rank(byFigure('opens'), 'desc', 1, [], YESTERDAY))],
  ['内存最高的5台机器', sure(rank(byMetric('mem'), 'desc', 5))],
  ['谁的cpu最高', sure(rank(byMetric('cpu'), 'desc', 10))],
  ['北京哪些机器停报了', sure(rank(STALE, 'desc', 10, [BJ]))],
  ['停报了哪些', sure(rank(STALE, 'desc', 10))],
  ['成都电信今天状态', sure(status(CD))],
  ['wh 状态', sure(status(WH))],
  ['洛杉矶现在怎么样', sure(status(LAX))],
  ['status', sure(status())],
  ['北京 上海', sure(status(BJ, SH))],
  ['昨天有没有新增告警', sure(alarms([], YESTERDAY))],
  ['上海异常吗', sure(alarms([SH]))],
  ['xa的告警', sure(alarms([XA]))],
  ['alarm', sure(alarms([]))],
  ['今天北京有告警没', sure(alarms([BJ], TODAY))],
  ['给我看下cache01', sure(serverI(HZ_CACHE01))],
  ['北京的db01', sure(serverI(BJ_DB01))],
  ['10.1.5.1磁盘', sure(metric('disk', HZ_CACHE01))],
  ['广州gw01内存', sure(metric('mem', GZ_GW01))],
  ['sh-cmcc-db02 负载', sure(metric('cpu', SH_DB02))],
  ['lax-att-app01 cpu', sure(metric('cpu', 13))],
  ['mysql01磁盘', sure(metric('disk', CD_MYSQL01))],
  ['app02最近一天cpu', sure(metric('cpu', BJ_APP02, days('12-06', '12-06')))],
  ['GZ-CMCC-gw01的cpu最近12小时', sure(metric('cpu', GZ_GW01, lastHours(12)))],
  ['10.1.3.1内存', sure(metric('mem', GZ_GW01))],
  ['db02还能撑多久', sure(forecast(SH_DB02, 'disk'))],
  ['web01磁盘啥时候满', sure(forecast(SZ_WEB01, 'disk'))],
  ['redis01还能撑几天', sure(forecast(TJ_REDIS01, 'disk'))],
  ['上海db01', unsure(serverI(BJ_DB01))],
  ['db01 db02 cpu', unsure(metric('cpu', BJ_DB01), metric('cpu', SH_DB02))],
  ['bjcmcc app01', unsure(serverI(BJ_APP01))],
  ['hzcmcc昨天开户', unsure(figures([HZ], ['opens'], YESTERDAY))],
  ['cpu超过80%的服务器', unsure(rank(byMetric('cpu'), 'desc', 10))],
];

export const CORPUS: readonly CorpusCase[] = rows.map(([text, expected, previous]) =>
  previous ? { text, expected, previous } : { text, expected },
);
