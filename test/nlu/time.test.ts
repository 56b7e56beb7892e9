// Unit tests for Chinese time expressions: findTimes against fixed clocks in two zones, timeLabel, chineseNumber.
import { chineseNumber, findTimes, timeLabel } from '../../src/nlu/time';
import type { TimeMatch, TimeSpec } from '../../src/nlu/types';

const TZ = 'Asia/Shanghai';
const H = 3_600_000;
/** An instant given as a Shanghai wall clock (UTC+8 all year, no daylight saving). */
const sh = (month: number, d: number, hour: number, minute = 0, year = 2026) =>
  Date.UTC(year, month - 1, d, hour - 8, minute);

/** 2026-12-06 10:30 in Shanghai, a Sunday: this week began Monday 2026-11-30. */
const SUN = sh(12, 6, 10, 30);
/** 2026-12-09 15:00 in Shanghai, a Wednesday: this week began Monday 2026-12-07. */
const WED = sh(12, 9, 15);
/** 2026-01-02 09:00 in Shanghai, a Friday: this week began Monday 2025-12-29. */
const JAN = sh(1, 2, 9, 0);

const day = (d: string, start: number, end: number): TimeMatch => ({
  time: { kind: 'day', day: d },
  start,
  end,
});
const days = (from: string, to: string, start: number, end: number): TimeMatch => ({
  time: { kind: 'days', from, to },
  start,
  end,
});
const hours = (fromMs: number, toMs: number, start: number, end: number): TimeMatch => ({
  time: { kind: 'hours', fromMs, toMs },
  start,
  end,
});

type Row = [string, TimeMatch[]];

/** The lines the bot is asked most, on Sunday 2026-12-06 10:30. */
const EVERYDAY: Row[] = [
  ['广州昨天新增用户多少', [day('2026-12-05', 2, 4)]],
  ['GZ 昨日注销', [day('2026-12-05', 3, 5)]],
  ['深圳前天的上行量', [day('2026-12-04', 2, 4)]],
  ['昨天sh的话务量', [day('2026-12-05', 0, 2)]],
  ['杭州这周开户', [days('2026-11-30', '2026-12-06', 2, 4)]],
  ['本月北京累计退订', [days('2026-12-01', '2026-12-06', 0, 2)]],
  ['最近5天广州推送趋势', [days('2026-12-02', '2026-12-06', 0, 4)]],
  ['11月28号上海MO', [day('2026-11-28', 0, 6)]],
  ['12/1 北京 下行', [day('2026-12-01', 0, 4)]],
  ['北京和上海昨天开户对比', [day('2026-12-05', 5, 7)]],
  ['昨天有哪些新告警', [day('2026-12-05', 0, 2)]],
  ['最近一周北京的告警历史', [days('2026-11-30', '2026-12-06', 0, 4)]],
  ['app02 最近6小时cpu', [hours(SUN - 6 * H, SUN, 6, 11)]],
  ['10.1.2.3 的磁盘', []],
  ['前天呢', [day('2026-12-04', 0, 2)]],
  ['比上周多还是少', [days('2026-11-23', '2026-11-29', 1, 3)]],
  ['3天内', [days('2026-12-04', '2026-12-06', 0, 3)]],
  ['11月1日到5日', [days('2026-11-01', '2026-11-05', 0, 8)]],
  ['从周一到周三', [days('2026-11-30', '2026-12-02', 0, 6)]],
  ['今天上午', [hours(sh(12, 6, 0), SUN, 0, 4)]],
  ['上周三', [day('2026-11-25', 0, 3)]],
  ['礼拜一', [day('2026-11-30', 0, 3)]],
  ['过去24小时', [hours(SUN - 24 * H, SUN, 0, 6)]],
  ['最近一个月', [days('2026-11-07', '2026-12-06', 0, 5)]],
  ['近两周', [days('2026-11-23', '2026-12-06', 0, 3)]],
  ['大前天', [day('2026-12-03', 0, 3)]],
  ['三天前', [day('2026-12-03', 0, 3)]],
  ['2026-12-01', [day('2026-12-01', 0, 10)]],
  ['12-01', [day('2026-12-01', 0, 5)]],
  ['3号', [day('2026-12-03', 0, 2)]],
];

/** Single days counted back from today (2026-12-06). */
const RELATIVE_DAYS: Row[] = [
  ['今天', [day('2026-12-06', 0, 2)]],
  ['今日开户', [day('2026-12-06', 0, 2)]],
  ['昨日的开户', [day('2026-12-05', 0, 2)]],
  ['两天前', [day('2026-12-04', 0, 3)]],
  ['俩天前', [day('2026-12-04', 0, 3)]],
  ['5天前', [day('2026-12-01', 0, 3)]],
  ['十天前', [day('2026-11-26', 0, 3)]],
  ['十五天前', [day('2026-11-21', 0, 4)]],
  ['二十四天前', [day('2026-11-12', 0, 5)]],
  ['30天前', [day('2026-11-06', 0, 4)]],
  ['3日之前', [day('2026-12-03', 0, 4)]],
  ['一天以前的告警', [day('2026-12-05', 0, 4)]],
];

/** Weeks start on Monday; months are calendar months. */
const WEEKS_AND_MONTHS: Row[] = [
  ['本周', [days('2026-11-30', '2026-12-06', 0, 2)]],
  ['这个星期的告警', [days('2026-11-30', '2026-12-06', 0, 4)]],
  ['这礼拜', [days('2026-11-30', '2026-12-06', 0, 3)]],
  ['上个星期', [days('2026-11-23', '2026-11-29', 0, 4)]],
  ['上星期开户', [days('2026-11-23', '2026-11-29', 0, 3)]],
  ['上个礼拜', [days('2026-11-23', '2026-11-29', 0, 4)]],
  ['这个月', [days('2026-12-01', '2026-12-06', 0, 3)]],
  ['上个月', [days('2026-11-01', '2026-11-30', 0, 3)]],
  ['上月退订', [days('2026-11-01', '2026-11-30', 0, 2)]],
];

/** Spans end today and count today. */
const SPANS: Row[] = [
  ['近5天', [days('2026-12-02', '2026-12-06', 0, 3)]],
  ['过去7天', [days('2026-11-30', '2026-12-06', 0, 4)]],
  ['最近七天', [days('2026-11-30', '2026-12-06', 0, 4)]],
  ['10天内', [days('2026-11-27', '2026-12-06', 0, 4)]],
  ['这3天', [days('2026-12-04', '2026-12-06', 0, 3)]],
  ['近一周', [days('2026-11-30', '2026-12-06', 0, 3)]],
  ['这一周', [days('2026-11-30', '2026-12-06', 0, 3)]],
  ['一周内', [days('2026-11-30', '2026-12-06', 0, 3)]],
  ['近30天', [days('2026-11-07', '2026-12-06', 0, 4)]],
  ['最近三十天', [days('2026-11-07', '2026-12-06', 0, 5)]],
  ['近一个月', [days('2026-11-07', '2026-12-06', 0, 4)]],
  ['一个月内', [days('2026-11-07', '2026-12-06', 0, 4)]],
  ['近3个月', [days('2026-09-08', '2026-12-06', 0, 4)]],
  ['最近两个星期', [days('2026-11-23', '2026-12-06', 0, 6)]],
  ['过去的3天', [days('2026-12-04', '2026-12-06', 0, 5)]],
  ['3日内', [days('2026-12-04', '2026-12-06', 0, 3)]],
  ['最近3天里', [days('2026-12-04', '2026-12-06', 0, 5)]],
];

/** Dates: without a year, the most recent one not after today. */
const DATES: Row[] = [
  ['11月3日', [day('2026-11-03', 0, 5)]],
  ['11月3号', [day('2026-11-03', 0, 5)]],
  ['11/3', [day('2026-11-03', 0, 4)]],
  ['2026/12/1', [day('2026-12-01', 0, 9)]],
  ['2026年12月1日', [day('2026-12-01', 0, 10)]],
  ['十一月三日', [day('2026-11-03', 0, 5)]],
  ['12月30日', [day('2025-12-30', 0, 6)]],
  ['2月29日', [day('2024-02-29', 0, 5)]],
  ['2028年2月29日', [day('2028-02-29', 0, 10)]],
  ['12/1BJ开户', [day('2026-12-01', 0, 4)]],
  ['3日', [day('2026-12-03', 0, 2)]],
  ['6号', [day('2026-12-06', 0, 2)]],
  ['7号', [day('2026-11-07', 0, 2)]],
  ['30号', [day('2026-11-30', 0, 3)]],
  // November has no 31st: the most recent 31st is in October.
  ['31号', [day('2026-10-31', 0, 3)]],
  ['十五号', [day('2026-11-15', 0, 3)]],
  ['本月3号', [day('2026-12-03', 0, 4)]],
  ['上个月20日', [day('2026-11-20', 0, 6)]],
];

/** Weekdays on a Sunday: every plain one is this week's. */
const WEEKDAYS: Row[] = [
  ['周一', [day('2026-11-30', 0, 2)]],
  ['周三', [day('2026-12-02', 0, 2)]],
  ['周日', [day('2026-12-06', 0, 2)]],
  ['周天', [day('2026-12-06', 0, 2)]],
  ['星期六', [day('2026-12-05', 0, 3)]],
  ['星期天', [day('2026-12-06', 0, 3)]],
  ['礼拜天', [day('2026-12-06', 0, 3)]],
  ['上周日', [day('2026-11-29', 0, 3)]],
  ['上星期三', [day('2026-11-25', 0, 4)]],
  ['上个礼拜五', [day('2026-11-27', 0, 5)]],
  ['本周三', [day('2026-12-02', 0, 3)]],
  ['这周五', [day('2026-12-04', 0, 3)]],
  ['这个星期天', [day('2026-12-06', 0, 5)]],
];

/** Ranges: one span, whose missing parts come from its start; backwards ones are two days. */
const RANGES: Row[] = [
  ['11月1日至11月5日', [days('2026-11-01', '2026-11-05', 0, 11)]],
  ['11月1日-5日', [days('2026-11-01', '2026-11-05', 0, 8)]],
  ['从11月1日到11月5日', [days('2026-11-01', '2026-11-05', 0, 12)]],
  ['从 11月1日 到 11月5日 的开户', [days('2026-11-01', '2026-11-05', 0, 15)]],
  ['1号到3号', [days('2026-12-01', '2026-12-03', 0, 5)]],
  ['1-3号', [days('2026-12-01', '2026-12-03', 0, 4)]],
  ['11月1-5日', [days('2026-11-01', '2026-11-05', 0, 7)]],
  ['12/1-12/5', [days('2026-12-01', '2026-12-05', 0, 9)]],
  ['2026-12-01至2026-12-05', [days('2026-12-01', '2026-12-05', 0, 21)]],
  ['周一至周三', [days('2026-11-30', '2026-12-02', 0, 5)]],
  ['上周一到周三', [days('2026-11-23', '2026-11-25', 0, 6)]],
  ['昨天到今天', [days('2026-12-05', '2026-12-06', 0, 5)]],
  ['28号到3号', [days('2026-11-28', '2026-12-03', 0, 6)]],
  ['12月1日到今天', [days('2026-12-01', '2026-12-06', 0, 8)]],
  ['本月3号到5号', [days('2026-12-03', '2026-12-05', 0, 7)]],
  ['11月1日以来', [days('2026-11-01', '2026-12-06', 0, 7)]],
  ['12月1日至今', [days('2026-12-01', '2026-12-06', 0, 7)]],
  ['从周一开始', [days('2026-11-30', '2026-12-06', 0, 5)]],
  ['11月5日到11月3日', [day('2026-11-05', 0, 5), day('2026-11-03', 6, 11)]],
  ['今天到昨天', [day('2026-12-06', 0, 2), day('2026-12-05', 3, 5)]],
  ['昨天到了多少', [day('2026-12-05', 0, 2)]],
];

/** Hours end now; parts of a day are fixed windows, cut at now while it runs. */
const HOURS: Row[] = [
  ['近12个小时', [hours(sh(12, 5, 22, 30), SUN, 0, 6)]],
  ['3小时内', [hours(sh(12, 6, 7, 30), SUN, 0, 4)]],
  ['二十四小时内', [hours(sh(12, 5, 10, 30), SUN, 0, 6)]],
  ['近两个钟头', [hours(sh(12, 6, 8, 30), SUN, 0, 5)]],
  // Not begun at 10:30: kept whole (it is in the future).
  ['今天下午', [hours(sh(12, 6, 12), sh(12, 6, 18), 0, 4)]],
  ['今晚', [hours(sh(12, 6, 18), sh(12, 7, 0), 0, 2)]],
  ['今天晚上', [hours(sh(12, 6, 18), sh(12, 7, 0), 0, 4)]],
  ['昨天上午', [hours(sh(12, 5, 0), sh(12, 5, 12), 0, 4)]],
  ['昨晚', [hours(sh(12, 5, 18), sh(12, 6, 0), 0, 2)]],
  ['上午', [hours(sh(12, 6, 0), SUN, 0, 2)]],
  ['下午的cpu', [hours(sh(12, 6, 12), sh(12, 6, 18), 0, 2)]],
  ['周三下午', [hours(sh(12, 2, 12), sh(12, 2, 18), 0, 4)]],
  ['11月3日上午', [hours(sh(11, 3, 0), sh(11, 3, 12), 0, 7)]],
];

/** Several times in one line, left to right. */
const SEVERAL: Row[] = [
  ['昨天和前天的开户', [day('2026-12-05', 0, 2), day('2026-12-04', 3, 5)]],
  [
    '本周和上周对比',
    [days('2026-11-30', '2026-12-06', 0, 2), days('2026-11-23', '2026-11-29', 3, 5)],
  ],
  ['12/1 和 12/3', [day('2026-12-01', 0, 4), day('2026-12-03', 7, 11)]],
  [
    '北京最近3天和上周对比',
    [days('2026-12-04', '2026-12-06', 2, 6), days('2026-11-23', '2026-11-29', 7, 9)],
  ],
];

/** Numbers, servers, addresses and impossible days that are no time. */
const NOT_TIMES: Row[] = [
  ['', []],
  ['app02', []],
  ['db01 的内存', []],
  ['前5台', []],
  ['CPU最高的前3', []],
  ['5天', []],
  ['5天来一次', []],
  ['13月', []],
  ['2月30日', []],
  ['13月5日', []],
  ['2026年2月29日', []],
  ['192.168.1.1/24', []],
  ['3号机房', []],
  ['2号服务器', []],
  ['最近的告警', []],
  ['10-20台', []],
  ['up 3-5 台', []],
  ['12-01-05', []],
  ['1/0', []],
  ['每周一', []],
  ['看3日志', []],
  ['v1.2/3', []],
  ['前3日', []],
  ['第3号', []],
  ['近3月', []],
  ['状态 上海', []],
  ['上海的下行量', []],
];

describe('findTimes on Sunday 2026-12-06 10:30, Asia/Shanghai', () => {
  const groups: [string, Row[]][] = [
    ['everyday questions', EVERYDAY],
    ['relative days', RELATIVE_DAYS],
    ['weeks and months', WEEKS_AND_MONTHS],
    ['spans ending today', SPANS],
    ['dates', DATES],
    ['weekdays', WEEKDAYS],
    ['ranges', RANGES],
    ['hours', HOURS],
    ['several in one line', SEVERAL],
    ['not times', NOT_TIMES],
  ];
  for (const [name, rows] of groups) {
    describe(name, () => {
      test.each(rows)('%s', (text, expected) => {
        expect(findTimes(text, SUN, TZ)).toEqual(expected);
      });
    });
  }
});

describe('findTimes on Wednesday 2026-12-09 15:00, Asia/Shanghai', () => {
  const rows: Row[] = [
    ['周四', [day('2026-12-03', 0, 2)]],
    ['周三', [day('2026-12-09', 0, 2)]],
    ['周一', [day('2026-12-07', 0, 2)]],
    ['周日', [day('2026-12-06', 0, 2)]],
    // 本周五 is this week's Friday even though it is still to come.
    ['本周五', [day('2026-12-11', 0, 3)]],
    ['上周三', [day('2026-12-02', 0, 3)]],
    ['本周', [days('2026-12-07', '2026-12-09', 0, 2)]],
    ['上周', [days('2026-11-30', '2026-12-06', 0, 2)]],
    ['从周一到周三', [days('2026-12-07', '2026-12-09', 0, 6)]],
    ['周五到周一', [days('2026-12-04', '2026-12-07', 0, 5)]],
    ['最近3天', [days('2026-12-07', '2026-12-09', 0, 4)]],
    ['今天下午', [hours(sh(12, 9, 12), WED, 0, 4)]],
    ['今天上午', [hours(sh(12, 9, 0), sh(12, 9, 12), 0, 4)]],
    ['今晚', [hours(sh(12, 9, 18), sh(12, 10, 0), 0, 2)]],
    ['3号', [day('2026-12-03', 0, 2)]],
    ['10号', [day('2026-11-10', 0, 3)]],
  ];
  test.each(rows)('%s', (text, expected) => {
    expect(findTimes(text, WED, TZ)).toEqual(expected);
  });
});

describe('findTimes on Friday 2026-01-02 09:00, Asia/Shanghai (year rollover)', () => {
  const rows: Row[] = [
    ['12月30日', [day('2025-12-30', 0, 6)]],
    ['12/30', [day('2025-12-30', 0, 5)]],
    ['1月1日', [day('2026-01-01', 0, 4)]],
    ['1月3日', [day('2025-01-03', 0, 4)]],
    ['5号', [day('2025-12-05', 0, 2)]],
    ['31号', [day('2025-12-31', 0, 3)]],
    ['三天前', [day('2025-12-30', 0, 3)]],
    ['上个月', [days('2025-12-01', '2025-12-31', 0, 3)]],
    ['本月', [days('2026-01-01', '2026-01-02', 0, 2)]],
    ['本周', [days('2025-12-29', '2026-01-02', 0, 2)]],
    ['上周', [days('2025-12-22', '2025-12-28', 0, 2)]],
    ['最近5天', [days('2025-12-29', '2026-01-02', 0, 4)]],
    ['周六', [day('2025-12-27', 0, 2)]],
    ['上周日', [day('2025-12-28', 0, 3)]],
    ['12月25日到1月1日', [days('2025-12-25', '2026-01-01', 0, 11)]],
    ['12/25-1/1', [days('2025-12-25', '2026-01-01', 0, 9)]],
    ['12月28日到3日', [days('2025-12-28', '2026-01-03', 0, 9)]],
  ];
  test.each(rows)('%s', (text, expected) => {
    expect(findTimes(text, JAN, TZ)).toEqual(expected);
  });
});

describe('the zone decides which day it is', () => {
  // 22:30 UTC: 23:30 on Sunday 2026-12-06 in Berlin, 06:30 on Monday 2026-12-07 in Shanghai.
  const NIGHT = Date.UTC(2026, 11, 6, 22, 30);
  const rows: [string, string, TimeMatch[]][] = [
    ['今天', 'Europe/Berlin', [day('2026-12-06', 0, 2)]],
    ['今天', TZ, [day('2026-12-07', 0, 2)]],
    ['昨天', 'Europe/Berlin', [day('2026-12-05', 0, 2)]],
    ['昨天', TZ, [day('2026-12-06', 0, 2)]],
    ['周一', 'Europe/Berlin', [day('2026-11-30', 0, 2)]],
    ['周一', TZ, [day('2026-12-07', 0, 2)]],
    ['本周', 'Europe/Berlin', [days('2026-11-30', '2026-12-06', 0, 2)]],
    ['本周', TZ, [days('2026-12-07', '2026-12-07', 0, 2)]],
    // Berlin's evening runs (18:00 CET is 17:00 UTC); Shanghai's has not begun.
    ['今晚', 'Europe/Berlin', [hours(Date.UTC(2026, 11, 6, 17), NIGHT, 0, 2)]],
    ['今晚', TZ, [hours(sh(12, 7, 18), sh(12, 8, 0), 0, 2)]],
    ['最近2小时', 'Europe/Berlin', [hours(NIGHT - 2 * H, NIGHT, 0, 5)]],
  ];
  test.each(rows)('%s in %s', (text, tz, expected) => {
    expect(findTimes(text, NIGHT, tz)).toEqual(expected);
  });

  test('a morning on the night clocks go forward in Berlin is nine hours long', () => {
    // 10:00 CEST on 2026-03-29 is 08:00 UTC; that day began at 00:00 CET, 23:00 UTC the day before.
    const now = Date.UTC(2026, 2, 29, 8);
    const [m] = findTimes('今天上午', now, 'Europe/Berlin');
    expect(m).toEqual(hours(Date.UTC(2026, 2, 28, 23), now, 0, 4));
    expect(timeLabel(m.time, 'Europe/Berlin')).toBe('03-29 00:00 至 10:00');
  });
});

describe('timeLabel', () => {
  const rows: [string, TimeSpec, string, string][] = [
    ['a day', { kind: 'day', day: '2026-12-05' }, TZ, '2026-12-05'],
    [
      'days',
      { kind: 'days', from: '2026-11-30', to: '2026-12-06' },
      TZ,
      '2026-11-30 至 2026-12-06',
    ],
    [
      'days that are one day',
      { kind: 'days', from: '2026-12-07', to: '2026-12-07' },
      TZ,
      '2026-12-07',
    ],
    [
      'hours within a day',
      { kind: 'hours', fromMs: sh(12, 6, 8), toMs: sh(12, 6, 14) },
      TZ,
      '12-06 08:00 至 14:00',
    ],
    [
      'hours across midnight',
      { kind: 'hours', fromMs: sh(12, 5, 22), toMs: sh(12, 6, 4) },
      TZ,
      '12-05 22:00 至 12-06 04:00',
    ],
    [
      'the same hours in Berlin',
      { kind: 'hours', fromMs: sh(12, 6, 8), toMs: sh(12, 6, 14) },
      'Europe/Berlin',
      '12-06 01:00 至 07:00',
    ],
    [
      'an evening up to midnight',
      { kind: 'hours', fromMs: sh(12, 5, 18), toMs: sh(12, 6, 0) },
      TZ,
      '12-05 18:00 至 12-06 00:00',
    ],
  ];
  test.each(rows)('%s', (_name, spec, tz, label) => {
    expect(timeLabel(spec, tz)).toBe(label);
  });

  test('labels what findTimes found', () => {
    const label = (text: string) => timeLabel(findTimes(text, SUN, TZ)[0].time, TZ);
    expect(label('最近6小时')).toBe('12-06 04:30 至 10:30');
    expect(label('过去24小时')).toBe('12-05 10:30 至 12-06 10:30');
    expect(label('杭州这周开户')).toBe('2026-11-30 至 2026-12-06');
    expect(label('前天')).toBe('2026-12-04');
  });
});

describe('chineseNumber', () => {
  const rows: [string, number | null][] = [
    ['一', 1],
    ['十', 10],
    ['十一', 11],
    ['十五', 15],
    ['二十', 20],
    ['二十四', 24],
    ['三十', 30],
    ['九十九', 99],
    ['两', 2],
    ['俩', 2],
    ['一百', 100],
    ['一百零五', 105],
    ['两百', 200],
    ['一百二十', 120],
    ['12', 12],
    ['', null],
    ['二二', null],
    ['十十', null],
    ['二十两', null],
    ['一百二', null],
    ['两俩', null],
    ['五天', null],
  ];
  test.each(rows)('%s', (text, value) => {
    expect(chineseNumber(text)).toBe(value);
  });
});
