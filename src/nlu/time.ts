// Chinese time expressions in chat questions → TimeSpec, and their labels (hand-written: chrono-node's zh locale misses 上周/本周/上个月/最近7天 and reads "3天内" as the future).
import { addDays, formatInstant, fromWallClock, isoDay } from '../time';
import type { TimeMatch, TimeSpec } from './types';

const HOUR_MS = 3_600_000;

// ---- numerals ----

const CN_DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_NUMERAL_CHARS = '零〇一二三四五六七八九十百两俩';

/** 0..99 written as 五, 十, 十五, 二十, 二十四 (no 两 here: 两 only leads a number). */
function cnTens(s: string): number | null {
  if (s === '') return 0;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 && s in CN_DIGIT ? CN_DIGIT[s] : null;
  const head = s.slice(0, ten);
  const tail = s.slice(ten + 1);
  const h = head === '' ? 1 : head.length === 1 ? CN_DIGIT[head] : undefined;
  const t = tail === '' ? 0 : tail.length === 1 ? CN_DIGIT[tail] : undefined;
  if (h === undefined || t === undefined || h === 0 || (tail !== '' && t === 0)) return null;
  return h * 10 + t;
}

/**
 * The value of a number written in ASCII digits or in Chinese numerals (一…十, 十一…九十九, 两, 俩,
 * 一百零五, 两百), or null when `s` is not one number ("二二", "十十", "").
 */
export function chineseNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '两' || s === '俩') return 2;
  if (s === '' || s.includes('俩') || [...s].some((c) => !CN_NUMERAL_CHARS.includes(c))) {
    return null;
  }
  const hundred = s.indexOf('百');
  if (hundred < 0) return s.includes('两') ? null : cnTens(s);
  const head = s.slice(0, hundred);
  const hv = head === '' ? 1 : head === '两' ? 2 : head.length === 1 ? CN_DIGIT[head] : undefined;
  let rest = s.slice(hundred + 1);
  if (hv === undefined || hv === 0 || rest.includes('两') || rest.includes('百')) return null;
  // 一百零五 is 105; a lone digit after 百 without 零 (一百二) means 120 colloquially: refuse it.
  if (rest.startsWith('零') || rest.startsWith('〇')) {
    rest = rest.slice(1);
    if (rest.length !== 1 || !(rest in CN_DIGIT) || CN_DIGIT[rest] === 0) return null;
  } else if (rest.length === 1) return null;
  const r = cnTens(rest);
  return r === null ? null : hv * 100 + r;
}

interface Num {
  v: number;
  end: number;
  digits: boolean;
}

/** A number starting at `i`: at most `maxDigits` ASCII digits, or a run of Chinese numerals. */
function num(s: string, i: number, maxDigits: number): Num | null {
  let j = i;
  if (isDigit(s[j])) {
    while (isDigit(s[j])) j++;
    return j - i > maxDigits ? null : { v: Number(s.slice(i, j)), end: j, digits: true };
  }
  while (j < s.length && CN_NUMERAL_CHARS.includes(s[j])) j++;
  if (j === i) return null;
  const v = chineseNumber(s.slice(i, j));
  return v === null ? null : { v, end: j, digits: false };
}

// ---- small text helpers ----

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

const byLength = (words: string[]) => [...words].sort((a, b) => b.length - a.length);

/** The longest of `words` written at `i`. */
function word(s: string, i: number, words: readonly string[]): string | undefined {
  return words.find((w) => s.startsWith(w, i));
}

function skipSpaces(s: string, i: number): number {
  while (s[i] === ' ' || s[i] === '\t') i++;
  return i;
}

/** A number may start here: not inside a word like app02, 10.1.2.3 or 二十三. */
function numberStartOk(s: string, i: number): boolean {
  const prev = s[i - 1];
  return prev === undefined || !(/[0-9A-Za-z._]/.test(prev) || CN_NUMERAL_CHARS.includes(prev));
}

/** What follows a number that is a count or a measure, not a day: 12/1台, 10-20个, 11月3天. */
const NOT_A_DAY_AFTER = byLength([
  '天',
  '个',
  '台',
  '次',
  '条',
  '小时',
  '周',
  '号',
  '日',
  '月',
  '年',
  '分',
  '秒',
  '点',
  '倍',
  '万',
  '千',
  '百',
  '%',
]);

/** The end of "M月D" without 日/号, or of a bare range end ("11月1-5"): no digit or unit follows. */
function dayEndOk(s: string, k: number): boolean {
  const c = s[k];
  if (c === undefined) return true;
  if (isDigit(c) || CN_NUMERAL_CHARS.includes(c)) return false;
  return word(s, k, NOT_A_DAY_AFTER) === undefined;
}

/** The end of 12/1 or 12-01: not part of an address, a version or a number range (10.1.2-3, 1/2/3, 10-20台). */
function numericEndOk(s: string, k: number): boolean {
  const c = s[k];
  if (c !== undefined && /[.:/_-]/.test(c)) return false;
  return dayEndOk(s, k);
}

// ---- days ----

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD when it is a real calendar day. */
function ymd(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const day = `${y}-${pad(m)}-${pad(d)}`;
  return addDays(day, 0) === day ? day : null;
}

const yearOf = (day: string) => Number(day.slice(0, 4));
const monthOf = (day: string) => Number(day.slice(5, 7));

/** ISO weekday, Monday 1 … Sunday 7. */
function weekday(day: string): number {
  const w = new Date(`${day}T00:00:00Z`).getUTCDay();
  return w === 0 ? 7 : w;
}

const mondayOf = (day: string) => addDays(day, 1 - weekday(day));
const firstOfMonth = (day: string) => `${day.slice(0, 8)}01`;

/** The month `k` months after (y, m), as [year, month]. */
function shiftMonth(y: number, m: number, k: number): [number, number] {
  const i = y * 12 + (m - 1) + k;
  return [Math.floor(i / 12), (i % 12) + 1];
}

/** A day as written, before it is resolved against today (or against the start of a range). */
type Raw =
  | { t: 'rel'; offset: number }
  /** y and m are absent when the text leaves them out (11月3日, 3号). */
  | { t: 'date'; y?: number; m?: number; d: number }
  /** week: 0 this week, -1 last week, absent for a plain 周三. */
  | { t: 'wd'; w: number; week?: 0 | -1 };

/**
 * The day `raw` names. Alone, missing parts make the most recent such day not after today; as
 * the end of a range (`after` is its start) they make the first such day on or after the start,
 * rolling the year only when the month wraps (12月25日到1月3日), so that 11月5日到11月3日 stays
 * backwards and becomes two days.
 */
function resolve(raw: Raw, today: string, after?: string): string | null {
  if (raw.t === 'rel') return addDays(today, raw.offset);
  if (raw.t === 'wd') {
    if (raw.week !== undefined) return addDays(mondayOf(today), raw.week * 7 + raw.w - 1);
    if (after) return addDays(after, (raw.w - weekday(after) + 7) % 7);
    const d = addDays(mondayOf(today), raw.w - 1);
    return d > today ? addDays(d, -7) : d;
  }
  const { y, m, d } = raw;
  if (y !== undefined && m !== undefined) return ymd(y, m, d);
  if (m !== undefined) {
    if (after) return ymd(yearOf(after) + (m < monthOf(after) ? 1 : 0), m, d);
    // Back up to eight years, for 2月29日.
    for (let k = 0; k <= 8; k++) {
      const day = ymd(yearOf(today) - k, m, d);
      if (day && day <= today) return day;
    }
    return null;
  }
  const ref = after ?? today;
  for (let k = 0; k <= 12; k++) {
    const [yy, mm] = shiftMonth(yearOf(ref), monthOf(ref), after ? k : -k);
    const day = ymd(yy, mm, d);
    if (day && (after ? day >= after : day <= today)) return day;
  }
  return null;
}

// ---- single days ----

interface Point {
  raw: Raw;
  start: number;
  end: number;
  /** May end a match here (a standalone day, or the end of a range). */
  endOk: boolean;
  /** Names its month in words (11月1, 本月3号): a bare number may end a range after it (11月1-5). */
  monthWords: boolean;
  /** A bare number (1 in 1-3号): only the start of a range that ends in a day with 号/日. */
  rangeStartOnly?: boolean;
  /** A bare day with 号/日 (3号), the only end a rangeStartOnly start takes. */
  bareDay?: boolean;
}

interface PointOptions {
  /** After a range connector: the usual checks on what precedes do not apply. */
  inRange: boolean;
  /** A bare number (no 号/日) may be this point (after 11月1-). */
  allowBareNumber: boolean;
}

const REL_DAYS: [string, number][] = [
  ['大前天', -3],
  ['前天', -2],
  ['昨天', -1],
  ['昨日', -1],
  ['今天', 0],
  ['今日', 0],
];
const REL_WORDS = byLength(REL_DAYS.map(([w]) => w));
const DAYS_AGO = byLength(['之前', '以前', '前']);
const DAY_SUFFIX = ['日', '号'];
// 3号机房, 5号线, 2号服务器 number things; 3日志 is a log.
const NOT_A_BARE_DAY_AFTER_HAO = byLength([
  '机',
  '服务器',
  '主机',
  '节点',
  '楼',
  '线',
  '站',
  '位',
  '库',
  '盘',
  '口',
  '卡',
  '槽',
  '房',
]);
const NOT_A_BARE_DAY_AFTER_RI = ['志', '报'];
const THIS_MONTH = byLength(['本月', '这个月', '这月']);
const LAST_MONTH = byLength(['上个月', '上月', '上一个月']);
const WEEKDAY: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  日: 7,
  天: 7,
};
const LAST_WEEK_WD = byLength(['上周', '上个星期', '上星期', '上个礼拜', '上礼拜']);
const THIS_WEEK_WD = byLength([
  '本周',
  '这周',
  '这个星期',
  '这星期',
  '本星期',
  '这个礼拜',
  '这礼拜',
  '本礼拜',
]);
const PLAIN_WD = byLength(['周', '星期', '礼拜']);

type PointRule = (s: string, i: number, today: string, o: PointOptions) => Point | null;

const relDay: PointRule = (s, i) => {
  const w = word(s, i, REL_WORDS);
  if (!w) return null;
  const offset = REL_DAYS.find(([x]) => x === w)![1];
  return { raw: { t: 'rel', offset }, start: i, end: i + w.length, endOk: true, monthWords: false };
};

/** N天前, N日之前. */
const daysAgo: PointRule = (s, i, _today, o) => {
  if (!o.inRange && !numberStartOk(s, i)) return null;
  const n = num(s, i, 4);
  if (!n || n.v < 1 || (s[n.end] !== '天' && s[n.end] !== '日')) return null;
  const ago = word(s, n.end + 1, DAYS_AGO);
  if (!ago) return null;
  return {
    raw: { t: 'rel', offset: -n.v },
    start: i,
    end: n.end + 1 + ago.length,
    endOk: true,
    monthWords: false,
  };
};

/** [YYYY年]M月D[日|号]. */
const monthDay: PointRule = (s, i, _today, o) => {
  if (!o.inRange && !numberStartOk(s, i)) return null;
  let k = i;
  let y: number | undefined;
  const year = /^\d{4}年/.exec(s.slice(i, i + 5));
  if (year) {
    y = Number(year[0].slice(0, 4));
    k += 5;
  }
  // After a year this rule did not read (2026年2月29日 is no day), 2月29日 is not a day either.
  if (!year && s[i - 1] === '年') return null;
  const m = num(s, k, 2);
  if (!m || s[m.end] !== '月' || m.v < 1 || m.v > 12) return null;
  const d = num(s, m.end + 1, 2);
  if (!d || d.v < 1 || d.v > 31) return null;
  const suffix = DAY_SUFFIX.includes(s[d.end]);
  const end = suffix ? d.end + 1 : d.end;
  return {
    raw: { t: 'date', y, m: m.v, d: d.v },
    start: i,
    end,
    endOk: suffix || dayEndOk(s, end),
    monthWords: true,
  };
};

/** 本月3号, 上个月20日: a day of a month named relative to today. */
const monthWordDay: PointRule = (s, i, today) => {
  const thisMonth = word(s, i, THIS_MONTH);
  const lastMonth = thisMonth ? undefined : word(s, i, LAST_MONTH);
  const w = thisMonth ?? lastMonth;
  if (!w) return null;
  const d = num(s, i + w.length, 2);
  if (!d || !DAY_SUFFIX.includes(s[d.end]) || d.v < 1 || d.v > 31) return null;
  const [y, m] = shiftMonth(yearOf(today), monthOf(today), lastMonth ? -1 : 0);
  return {
    raw: { t: 'date', y, m, d: d.v },
    start: i,
    end: d.end + 1,
    endOk: true,
    monthWords: true,
  };
};

const NUMERIC_DATES: { re: RegExp; year: boolean }[] = [
  { re: /(\d{4})([-/])(\d{1,2})\2(\d{1,2})/y, year: true },
  { re: /(\d{1,2})(\/)(\d{1,2})/y, year: false },
  { re: /(\d{1,2})(-)(\d{1,2})/y, year: false },
];

/** 2026-12-01, 2026/12/1, 12/1, 12-01 (a dash needs a two-digit part: 3-5 is a count). */
const numericDate: PointRule = (s, i, _today, o) => {
  if (!o.inRange && i > 0 && /[0-9A-Za-z._\-/:]/.test(s[i - 1])) return null;
  for (const { re, year } of NUMERIC_DATES) {
    re.lastIndex = i;
    const r = re.exec(s);
    if (!r) continue;
    const [whole, a, sep, b, c] = r;
    const [y, m, d] = year ? [Number(a), Number(b), Number(c)] : [undefined, Number(a), Number(b)];
    if (!year && sep === '-' && a.length < 2 && b.length < 2) continue;
    const end = i + whole.length;
    return {
      raw: { t: 'date', y, m, d },
      start: i,
      end,
      endOk: numericEndOk(s, end),
      monthWords: false,
    };
  }
  return null;
};

/** 3号, 三日 (and, after 11月1-, a bare 5; before -3号, a bare 1). */
const bareDay: PointRule = (s, i, _today, o) => {
  if (!o.inRange && (!numberStartOk(s, i) || /[第前近这每月年\-/]/.test(s[i - 1] ?? ''))) {
    return null;
  }
  const d = num(s, i, 2);
  if (!d || d.v < 1 || d.v > 31) return null;
  const suffix = s[d.end];
  if (suffix === '号' && word(s, d.end + 1, NOT_A_BARE_DAY_AFTER_HAO)) return null;
  if (suffix === '日' && NOT_A_BARE_DAY_AFTER_RI.includes(s[d.end + 1])) return null;
  const raw: Raw = { t: 'date', d: d.v };
  if (DAY_SUFFIX.includes(suffix)) {
    return { raw, start: i, end: d.end + 1, endOk: true, monthWords: false, bareDay: true };
  }
  if (o.allowBareNumber) {
    return { raw, start: i, end: d.end, endOk: dayEndOk(s, d.end), monthWords: false };
  }
  if (!o.inRange && d.digits) {
    return { raw, start: i, end: d.end, endOk: false, monthWords: false, rangeStartOnly: true };
  }
  return null;
};

/** 周三, 星期天, 礼拜一, 上周三, 上个星期五, 本周三, 这周五. */
const weekdayPoint: PointRule = (s, i, _today, o) => {
  const last = word(s, i, LAST_WEEK_WD);
  const thisWeek = last ? undefined : word(s, i, THIS_WEEK_WD);
  const plain = last || thisWeek ? undefined : word(s, i, PLAIN_WD);
  const w = last ?? thisWeek ?? plain;
  if (!w) return null;
  // 每周一 is every Monday, not one.
  if (plain && !o.inRange && s[i - 1] === '每') return null;
  const wd = WEEKDAY[s[i + w.length]];
  if (wd === undefined) return null;
  // 本周三 is this week's Wednesday even when today is Monday (then it is in the future): the
  // caller said 本周, and a query for a future day simply finds nothing.
  const week = last ? -1 : thisWeek ? 0 : undefined;
  return {
    raw: { t: 'wd', w: wd, week },
    start: i,
    end: i + w.length + 1,
    endOk: true,
    monthWords: false,
  };
};

const POINT_RULES: PointRule[] = [
  relDay,
  daysAgo,
  monthDay,
  monthWordDay,
  numericDate,
  bareDay,
  weekdayPoint,
];

/** Every single day written at `i`: the longest is not always the one that fits (5-10号). */
function parsePoints(s: string, i: number, today: string, o: PointOptions): Point[] {
  return POINT_RULES.map((rule) => rule(s, i, today, o)).filter((p): p is Point => p !== null);
}

// ---- spans and parts of a day ----

const LAST_WEEK = byLength([...LAST_WEEK_WD, '上一周']);
const SPAN_PREFIX = byLength(['最近', '近', '过去', '这']);
const SPAN_UNITS: [string, 'days' | 'weeks' | 'months' | 'hours'][] = [
  ['天', 'days'],
  ['日', 'days'],
  ['个星期', 'weeks'],
  ['星期', 'weeks'],
  ['个礼拜', 'weeks'],
  ['礼拜', 'weeks'],
  ['个周', 'weeks'],
  ['周', 'weeks'],
  // 个 is required: 近3月 would read like the date 3月.
  ['个月', 'months'],
  ['个小时', 'hours'],
  ['小时', 'hours'],
  ['个钟头', 'hours'],
  ['钟头', 'hours'],
];
const SPAN_UNIT_WORDS = byLength(SPAN_UNITS.map(([w]) => w));
// Without a prefix only these make "5天" a span ("5天来一次" is not one).
const SPAN_SUFFIX_ALONE = byLength(['以内', '之内', '内', '以来']);
const SPAN_SUFFIX = byLength([...SPAN_SUFFIX_ALONE, '里', '来']);
/** Parts of a day: [from hour, to hour). */
const PARTS: Record<string, [number, number]> = {
  上午: [0, 12],
  下午: [12, 18],
  晚上: [18, 24],
};
const PART_WORDS = Object.keys(PARTS);
const PART_DAYS: Record<string, [number, string]> = {
  今晚: [0, '晚上'],
  昨晚: [-1, '晚上'],
  前晚: [-2, '晚上'],
};
const PART_DAY_WORDS = Object.keys(PART_DAYS);
const CONNECTORS = ['到', '至', '-', '~', '—', '–'];
const SINCE = byLength(['以来', '至今', '到现在', '到目前', '起', '开始']);

interface Ctx {
  s: string;
  now: number;
  tz: string;
  today: string;
}

/**
 * A part of `day` as instants. A window that contains now ends at now; one that has not begun
 * yet (今天下午 in the morning) is kept whole, so that its answer says there is nothing yet.
 */
function partOfDay(c: Ctx, day: string, part: string): TimeSpec {
  const [fromHour, toHour] = PARTS[part];
  const at = (d: string, hour: number) =>
    fromWallClock(
      { year: yearOf(d), month: monthOf(d), day: Number(d.slice(8)), hour, minute: 0, second: 0 },
      c.tz,
    );
  const fromMs = at(day, fromHour);
  const toMs = toHour === 24 ? at(addDays(day, 1), 0) : at(day, toHour);
  return { kind: 'hours', fromMs, toMs: c.now >= fromMs && c.now < toMs ? c.now : toMs };
}

interface Candidate {
  matches: TimeMatch[];
  end: number;
}

/** 本周, 上周, 本月, 上个月, 最近N天/周/个月/小时, N天内, 今晚, 上午. */
function spanAt(c: Ctx, i: number, out: Candidate[]): void {
  const { s, today } = c;
  const add = (time: TimeSpec, end: number) =>
    out.push({ matches: [{ time, start: i, end }], end });
  let w: string | undefined;
  if ((w = word(s, i, THIS_WEEK_WD)))
    add({ kind: 'days', from: mondayOf(today), to: today }, i + w.length);
  if ((w = word(s, i, LAST_WEEK))) {
    const from = addDays(mondayOf(today), -7);
    add({ kind: 'days', from, to: addDays(from, 6) }, i + w.length);
  }
  if ((w = word(s, i, THIS_MONTH)))
    add({ kind: 'days', from: firstOfMonth(today), to: today }, i + w.length);
  if ((w = word(s, i, LAST_MONTH))) {
    const to = addDays(firstOfMonth(today), -1);
    add({ kind: 'days', from: firstOfMonth(to), to }, i + w.length);
  }
  if ((w = word(s, i, PART_WORDS))) add(partOfDay(c, today, w), i + w.length);
  if ((w = word(s, i, PART_DAY_WORDS))) {
    const [offset, part] = PART_DAYS[w];
    add(partOfDay(c, addDays(today, offset), part), i + w.length);
  }

  let k = i;
  const prefix = word(s, k, SPAN_PREFIX);
  if (prefix) {
    k += prefix.length;
    if (prefix !== '这' && s[k] === '的') k++;
  } else if (!numberStartOk(s, i)) return;
  const n = num(s, k, 4);
  if (!n || n.v < 1) return;
  const unit = word(s, n.end, SPAN_UNIT_WORDS);
  if (!unit) return;
  k = n.end + unit.length;
  const suffix = word(s, k, prefix ? SPAN_SUFFIX : SPAN_SUFFIX_ALONE);
  if (!prefix && !suffix) return;
  if (suffix) k += suffix.length;
  const kind = SPAN_UNITS.find(([u]) => u === unit)![1];
  if (kind === 'hours') {
    add({ kind: 'hours', fromMs: c.now - n.v * HOUR_MS, toMs: c.now }, k);
    return;
  }
  // Spans end today and count today: 最近7天 is the week up to and including today.
  const daysBack = n.v * (kind === 'weeks' ? 7 : kind === 'months' ? 30 : 1);
  add({ kind: 'days', from: addDays(today, 1 - daysBack), to: today }, k);
}

/** A day at `i` (after an optional 从/自), with what may follow it: a part of the day, a range, 以来. */
function pointAt(c: Ctx, i: number, out: Candidate[]): void {
  const { s, today } = c;
  let j = i;
  const from = s[i] === '从' || s[i] === '自';
  if (from) j = skipSpaces(s, i + 1);
  for (const p1 of parsePoints(s, j, today, { inRange: false, allowBareNumber: false })) {
    const d1 = resolve(p1.raw, today);
    if (d1) afterPoint(c, i, p1, d1, out);
  }
}

/** The matches one day `p1` (read at `i`, after an optional 从) makes with what follows it. */
function afterPoint(c: Ctx, i: number, p1: Point, d1: string, out: Candidate[]): void {
  const { s, today } = c;
  const one = (time: TimeSpec, start: number, end: number) =>
    out.push({ matches: [{ time, start, end }], end });
  const k = skipSpaces(s, p1.end);

  if (p1.endOk) {
    one({ kind: 'day', day: d1 }, p1.start, p1.end);
    const part = word(s, k, PART_WORDS);
    if (part) one(partOfDay(c, d1, part), p1.start, k + part.length);
    const since = word(s, k, SINCE);
    if (since && d1 <= today) one({ kind: 'days', from: d1, to: today }, i, k + since.length);
  }

  const conn = word(s, k, CONNECTORS);
  if (!conn) return;
  const k2 = skipSpaces(s, k + conn.length);
  let p2: Point | undefined;
  for (const p of parsePoints(s, k2, today, { inRange: true, allowBareNumber: p1.monthWords })) {
    const fits = p.endOk && !p.rangeStartOnly && (!p1.rangeStartOnly || p.bareDay);
    if (fits && (!p2 || p.end > p2.end)) p2 = p;
  }
  if (!p2) return;
  const d2 = resolve(p2.raw, today, d1);
  if (!d2) return;
  if (d2 >= d1) {
    one({ kind: 'days', from: d1, to: d2 }, i, p2.end);
  } else if (!p1.rangeStartOnly) {
    // A range that ends before it starts is not a range: two days, as written.
    out.push({
      matches: [
        { time: { kind: 'day', day: d1 }, start: p1.start, end: p1.end },
        { time: { kind: 'day', day: d2 }, start: p2.start, end: p2.end },
      ],
      end: p2.end,
    });
  }
}

/**
 * Every time expression in `text` (NFKC-normalised, spaces and punctuation optional), left to
 * right and non-overlapping, resolved against `now` in zone `tz`. At each position the longest
 * reading wins (上周三 over 上周, 3日内 over 3日).
 */
export function findTimes(text: string, now: number, tz: string): TimeMatch[] {
  const c: Ctx = { s: text, now, tz, today: isoDay(now, tz) };
  const found: TimeMatch[] = [];
  let i = 0;
  while (i < text.length) {
    const cands: Candidate[] = [];
    spanAt(c, i, cands);
    pointAt(c, i, cands);
    let best: Candidate | undefined;
    for (const cand of cands) if (!best || cand.end > best.end) best = cand;
    if (best) {
      found.push(...best.matches);
      i = best.end;
    } else i++;
  }
  return found;
}

/**
 * How an answer names a time: 2026-12-05; 2026-11-30 至 2026-12-06 (one day when both ends meet);
 * 12-06 08:00 至 14:00, or 12-05 22:00 至 12-06 04:00 across midnight.
 */
export function timeLabel(t: TimeSpec, tz: string): string {
  if (t.kind === 'day') return t.day;
  if (t.kind === 'days') return t.from === t.to ? t.from : `${t.from} 至 ${t.to}`;
  const a = formatInstant(t.fromMs, tz);
  const b = formatInstant(t.toMs, tz);
  return a.slice(0, 10) === b.slice(0, 10)
    ? `${a.slice(5)} 至 ${b.slice(11)}`
    : `${a.slice(5)} 至 ${b.slice(5)}`;
}
