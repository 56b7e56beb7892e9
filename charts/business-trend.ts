// Chart "business-trend": a site's daily business figures in four panels (opens/closes, total users, calls/pushes, MO/MT).
import type { BusinessFigures } from '../src/types/business-figures';
import type { ChartOption } from '../src/types/chart-option';
import {
  baseOption,
  countUnit,
  label,
  type LabelKey,
  maxOf,
  monthDay,
  noDataOption,
  scaled,
  sortedDays,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext } from './types';

export interface BusinessTrendData {
  site: string;
  days: ({
    /** YYYY-MM-DD */
    date: string;
  } & BusinessFigures)[];
}

type Day = BusinessTrendData['days'][number];
type Figure = Exclude<keyof Day, 'date'>;

interface Panel {
  title: LabelKey;
  kind: 'bar' | 'line';
  /** Fit the value axis to the data instead of starting at 0 (a slowly moving total). */
  scale?: boolean;
  series: { label: LabelKey; figure: Figure }[];
}

const PANELS: Panel[] = [
  {
    title: 'trendPanelSubs',
    kind: 'bar',
    series: [
      { label: 'trendSub', figure: 'sub' },
      { label: 'trendUnsub', figure: 'unsub' },
    ],
  },
  {
    title: 'trendPanelTotal',
    kind: 'line',
    scale: true,
    series: [{ label: 'trendTotal', figure: 'total' }],
  },
  {
    title: 'trendPanelCalls',
    kind: 'line',
    series: [
      { label: 'trendCalls', figure: 'calls' },
      { label: 'trendShows', figure: 'shows' },
    ],
  },
  {
    title: 'trendPanelMoMt',
    kind: 'line',
    series: [
      { label: 'trendMo', figure: 'mo' },
      { label: 'trendMt', figure: 'mt' },
    ],
  },
];

/** Lines of up to this many days mark each day with a symbol. */
const SYMBOL_DAYS = 14;

/** 2 x 2 panels: left/top of each grid in percent of the canvas. */
const PANEL_LEFT = [8, 58, 8, 58];
const PANEL_TOP = [22, 22, 64, 64];
const PANEL_WIDTH = 36;
const PANEL_HEIGHT = 26;

export const businessTrendChart: ChartBuilder<BusinessTrendData, 'business-trend'> = {
  name: 'business-trend',
  build(data: BusinessTrendData, ctx: ChartContext): ChartOption {
    const title = titleText(data.site, label('trendTitle', ctx.lang));
    const days = sortedDays(data.days);
    if (days.length === 0) return noDataOption(title, ctx);
    const dates = days.map((d) => monthDay(d.date));
    const base = baseOption(title);
    const titles: Record<string, unknown>[] = [base.title as Record<string, unknown>];
    const grids: Record<string, unknown>[] = [];
    const xAxes: Record<string, unknown>[] = [];
    const yAxes: Record<string, unknown>[] = [];
    const series: Record<string, unknown>[] = [];
    PANELS.forEach((panel, i) => {
      const unit = countUnit(
        maxOf(panel.series.flatMap((s) => days.map((d) => d[s.figure]))),
        ctx.lang,
      );
      titles.push({
        text: label(panel.title, ctx.lang),
        left: `${PANEL_LEFT[i] + PANEL_WIDTH / 2}%`,
        top: `${PANEL_TOP[i] - 8}%`,
        textAlign: 'center',
        textStyle: { fontSize: 13 },
      });
      grids.push({
        left: `${PANEL_LEFT[i]}%`,
        top: `${PANEL_TOP[i]}%`,
        width: `${PANEL_WIDTH}%`,
        height: `${PANEL_HEIGHT}%`,
      });
      xAxes.push({ type: 'category', gridIndex: i, data: dates });
      yAxes.push({
        type: 'value',
        gridIndex: i,
        ...(panel.scale ? { scale: true } : { min: 0 }),
        name: unit.name,
      });
      for (const s of panel.series) {
        series.push({
          type: panel.kind,
          name: label(s.label, ctx.lang),
          xAxisIndex: i,
          yAxisIndex: i,
          ...(panel.kind === 'line'
            ? { sampling: 'lttb', showSymbol: days.length <= SYMBOL_DAYS }
            : {}),
          data: days.map((d) => scaled(d[s.figure], unit)),
        });
      }
    });
    return {
      ...base,
      title: titles,
      tooltip: { trigger: 'axis' },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      legend: { top: 36, left: 'center' },
      grid: grids,
      xAxis: xAxes,
      yAxis: yAxes,
      series,
    };
  },
};
