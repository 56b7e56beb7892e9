// Shared pieces of the chart builders: zh/en labels, unit scaling, rounding, the "no data" option and the wall-clock time axis.
import { zoneOffset } from '../src/time';
import type { ChartOption } from '../src/types/chart-option';
import type { ChartContext, Lang } from './types';

const LABELS = {
  noData: { zh: '暂无数据', en: 'No data' },
  // server-cpu
  cpuTitle: { zh: 'CPU 使用率', en: 'CPU usage' },
  cpuUser: { zh: '用户', en: 'user' },
  cpuSys: { zh: '系统', en: 'system' },
  cpuIo: { zh: 'IO 等待', en: 'IO wait' },
  // server-mem
  memTitle: { zh: '内存使用', en: 'Memory usage' },
  memUsed: { zh: '已用', en: 'used' },
  memBuffer: { zh: '缓冲/缓存', en: 'buffer/cache' },
  memTotal: { zh: '总量', en: 'total' },
  // server-disk
  diskTitle: { zh: '磁盘使用率', en: 'Disk usage' },
  // site-overview
  overviewTitle: { zh: '服务器概览', en: 'Server overview' },
  overviewCpu: { zh: 'CPU', en: 'CPU' },
  overviewMem: { zh: '内存', en: 'memory' },
  overviewDisk: { zh: '磁盘', en: 'disk' },
  staleSuffix: { zh: ' (停报)', en: ' (stale)' },
  // business-trend
  trendTitle: { zh: '业务趋势', en: 'Business trend' },
  trendPanelSubs: { zh: '开通与退订', en: 'Opens and closes' },
  trendPanelTotal: { zh: '总用户数', en: 'Total users' },
  trendPanelCalls: { zh: '调用与推送', en: 'Calls and pushes' },
  trendPanelMoMt: { zh: '上行与下行', en: 'MO and MT' },
  trendSub: { zh: '开通', en: 'opens' },
  trendUnsub: { zh: '退订', en: 'closes' },
  trendTotal: { zh: '总用户', en: 'total users' },
  trendCalls: { zh: '调用', en: 'calls' },
  trendShows: { zh: '推送', en: 'pushes' },
  trendMo: { zh: '上行(MO)', en: 'MO' },
  trendMt: { zh: '下行(MT)', en: 'MT' },
  // alarm-counts
  alarmTitle: { zh: '告警统计', en: 'Alarms' },
  alarmPanelDay: { zh: '每日告警数', en: 'Alarms per day' },
  alarmPanelNode: { zh: '告警最多的节点', en: 'Alarms by node' },
  alarmCount: { zh: '告警数', en: 'alarms' },
  alarmOther: { zh: '其他', en: 'other' },
} satisfies Record<string, Record<Lang, string>>;

export type LabelKey = keyof typeof LABELS;

/** The label `key` in `lang`. */
export function label(key: LabelKey, lang: Lang): string {
  return LABELS[key][lang];
}

/** Round to 2 decimals; never returns -0 (JSON would turn it into 0). */
export function round2(v: number): number {
  const r = Math.round(v * 100) / 100;
  return r === 0 ? 0 : r;
}

/** True for a finite number (NaN, ±Infinity, null and non-numbers are ignored by the builders). */
export function isNum(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export interface Unit {
  /** The axis name ('' when values are drawn unscaled). */
  name: string;
  divisor: number;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** One binary unit for a whole chart, the largest whose size does not exceed `max` bytes. */
export function byteUnit(max: number): Unit {
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && isNum(max) && max >= 1024 ** (i + 1)) i++;
  return { name: BYTE_UNITS[i], divisor: 1024 ** i };
}

/**
 * Human unit of a count axis: Chinese 万 (10^4) from 10,000 and 亿 (10^8) from 100,000,000;
 * English K (10^3) from 1,000 and M (10^6) from 1,000,000; below that the counts are unscaled.
 */
export function countUnit(max: number, lang: Lang): Unit {
  const steps: [number, string][] =
    lang === 'zh'
      ? [
          [1e8, '亿'],
          [1e4, '万'],
        ]
      : [
          [1e6, 'M'],
          [1e3, 'K'],
        ];
  for (const [divisor, name] of steps) if (isNum(max) && max >= divisor) return { name, divisor };
  return { name: '', divisor: 1 };
}

/** Largest finite value of `values` (0 when there is none). */
export function maxOf(values: Iterable<number | null | undefined>): number {
  let m = 0;
  for (const v of values) if (isNum(v) && v > m) m = v;
  return m;
}

/** `v` divided by the unit and rounded to 2 decimals, or null for a missing / non-finite value. */
export function scaled(v: number | null | undefined, unit: Unit): number | null {
  return isNum(v) ? round2(v / unit.divisor) : null;
}

/** Chart title: the subject (server or site name, as plain text) and what the chart shows. */
export function titleText(subject: string, what: string): string {
  return subject ? `${subject} · ${what}` : what;
}

const WHITE = '#ffffff';

/**
 * Font list of every text. Graphic elements do not inherit the option's `textStyle`, so the
 * "no data" text names it too; a PNG renderer registers its CJK font under the first name.
 */
export const FONT_FAMILY = "'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif";
export const STALE_COLOR = '#bbbbbb';

/** What every option carries: no animation (the PNG is taken at once), white background, title, axis tooltip. */
export function baseOption(title: string): ChartOption {
  return {
    animation: false,
    backgroundColor: WHITE,
    textStyle: { fontFamily: FONT_FAMILY },
    title: { text: title, left: 'center', top: 8, textStyle: { fontSize: 16 } },
    tooltip: { trigger: 'axis' },
  };
}

/** The centered "no data" text, as an element of the `graphic` component. */
export function noDataGraphic(lang: Lang): Record<string, unknown> {
  return {
    type: 'text',
    left: 'center',
    top: 'middle',
    silent: true,
    style: { text: label('noData', lang), fontSize: 16, fontFamily: FONT_FAMILY, fill: '#999999' },
  };
}

/** The option for empty input: title, the centered "no data" text, no axes and no series. */
export function noDataOption(title: string, ctx: ChartContext): ChartOption {
  return { ...baseOption(title), graphic: { elements: [noDataGraphic(ctx.lang)] }, series: [] };
}

/** Legend below the title. */
export function legend(): Record<string, unknown> {
  return { top: 36, left: 'center' };
}

/** Grid of a single-panel chart, leaving room for the title and the legend. */
export function singleGrid(): Record<string, unknown> {
  return { left: 56, right: 32, top: 80, bottom: 40 };
}

/**
 * An instant moved by the zone offset of `tz`, so that an ECharts chart with `useUTC: true`
 * shows the site's wall clock whatever the zone of the machine that draws it.
 */
export function wallTime(at: number, tz: string): number {
  return at + zoneOffset(at, tz);
}

const TWO_DAYS = 2 * 86_400_000;

/** Time-axis label template: hours for spans up to two days, month-day for longer ones. */
export function timeLabelTemplate(spanMs: number): string {
  return spanMs <= TWO_DAYS ? '{HH}:{mm}' : '{MM}-{dd}';
}

/** A time x axis for shifted times spanning `spanMs`. */
export function timeXAxis(spanMs: number): Record<string, unknown> {
  return {
    type: 'time',
    axisLabel: { formatter: timeLabelTemplate(spanMs), hideOverlap: true },
    splitLine: { show: false },
  };
}

/** Points with a finite `at`, sorted by time (a copy; the input is left alone). */
export function sortedPoints<P extends { at: number }>(points: readonly P[] | undefined): P[] {
  return (points ?? []).filter((p) => p && isNum(p.at)).sort((a, b) => a.at - b.at);
}

/** Span between the earliest and latest x of the given [x, y] series data. */
export function spanOf(series: readonly (readonly [number, number][])[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const data of series) {
    for (const [x] of data) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
  }
  return hi >= lo ? hi - lo : 0;
}

/**
 * [shifted time, value] pairs of sorted points; a point whose value is not a finite number is
 * left out of this series only.
 */
export function timePairs<P extends { at: number }>(
  points: readonly P[],
  tz: string,
  value: (p: P) => number | null,
): [number, number][] {
  const out: [number, number][] = [];
  for (const p of points) {
    const v = value(p);
    if (isNum(v)) out.push([wallTime(p.at, tz), round2(v)]);
  }
  return out;
}

/** Settings of a line or area series over many points: LTTB down-sampling, no symbols. */
export function longSeries(): Record<string, unknown> {
  return { type: 'line', sampling: 'lttb', showSymbol: false };
}

/** 'YYYY-MM-DD' as 'MM-DD' for a category axis; anything else is shown as given. */
export function monthDay(date: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? date.slice(5) : String(date);
}

/** Copy sorted by `date` (YYYY-MM-DD sorts as text). */
export function sortedDays<T extends { date: string }>(days: readonly T[] | undefined): T[] {
  return (days ?? [])
    .filter((d) => d && typeof d.date === 'string')
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** A line (or stacked-area) series on a time axis, with an optional stack name. */
export interface TimeLayer {
  name: string;
  data: [number, number][];
  stack?: string;
}

/**
 * The option shared by the time charts (cpu, memory, disk): the site's wall clock on a time axis,
 * one line or stacked area per layer, and "no data" when every layer is empty.
 */
export function timeSeriesOption(
  title: string,
  ctx: ChartContext,
  layers: TimeLayer[],
  yAxis: Record<string, unknown>,
): ChartOption {
  if (layers.every((l) => l.data.length === 0)) return noDataOption(title, ctx);
  return {
    ...baseOption(title),
    useUTC: true,
    legend: legend(),
    grid: singleGrid(),
    xAxis: timeXAxis(spanOf(layers.map((l) => l.data))),
    yAxis: { type: 'value', ...yAxis },
    series: layers.map((l) => ({
      ...longSeries(),
      name: l.name,
      ...(l.stack ? { stack: l.stack, areaStyle: {} } : {}),
      data: l.data,
    })),
  };
}

/** A 0–100 % value axis. */
export const percentAxis = (): Record<string, unknown> => ({
  min: 0,
  max: 100,
  axisLabel: { formatter: '{value}%' },
});
