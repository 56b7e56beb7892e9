// Chart "comparison": business figures of several sites or times side by side, one panel of grouped bars per figure (each on its own scale).
import type { ChartOption } from '../src/types/chart-option';
import {
  baseOption,
  countUnit,
  isNum,
  legend,
  maxOf,
  noDataOption,
  scaled,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext, Lang } from './types';

export interface ComparisonData {
  /** What the columns share (a day, a site), shown in the title; '' for nothing. */
  subject: string;
  /** The compared sites or times, in order: one bar of each in every panel, one colour each. */
  columns: string[];
  /** One panel per figure: its label and one value per column (null: no data). */
  groups: { label: string; values: (number | null)[] }[];
}

const TITLE: Record<Lang, string> = { zh: '业务对比', en: 'Comparison' };

/** ECharts' default palette, fixed per column so that a column has one colour in every panel. */
export const COLUMN_COLORS = [
  '#5470c6',
  '#91cc75',
  '#fac858',
  '#ee6666',
  '#73c0de',
  '#3ba272',
  '#fc8452',
  '#9a60b4',
  '#ea7ccc',
];

/** The panels' area in percent of the canvas, below the title and the legend. */
const AREA = { left: 4, top: 20, width: 94, height: 76 };

/** Panels per row: all of them up to four, else half (rounded up) so that two rows hold seven. */
export function panelColumns(panels: number): number {
  return panels <= 4 ? Math.max(1, panels) : Math.ceil(panels / 2);
}

export const comparisonChart: ChartBuilder<ComparisonData, 'comparison'> = {
  name: 'comparison',
  build(data: ComparisonData, ctx: ChartContext): ChartOption {
    const title = titleText(String(data.subject ?? ''), TITLE[ctx.lang]);
    const columns = (data.columns ?? []).map(String);
    const groups = (data.groups ?? []).filter((g) => g && Array.isArray(g.values));
    const hasValue = groups.some((g) => g.values.slice(0, columns.length).some(isNum));
    if (columns.length === 0 || groups.length === 0 || !hasValue) return noDataOption(title, ctx);
    const perRow = panelColumns(groups.length);
    const rows = Math.ceil(groups.length / perRow);
    const cellW = AREA.width / perRow;
    const cellH = AREA.height / rows;
    const grids: Record<string, unknown>[] = [];
    const xAxes: Record<string, unknown>[] = [];
    const yAxes: Record<string, unknown>[] = [];
    const series: Record<string, unknown>[] = [];
    groups.forEach((g, i) => {
      const values = columns.map((_, c) => (isNum(g.values[c]) ? g.values[c] : null));
      const unit = countUnit(maxOf(values), ctx.lang);
      const col = i % perRow;
      const row = Math.floor(i / perRow);
      // Room on the left of each panel for its value labels, below it for its figure's name.
      grids.push({
        left: `${AREA.left + col * cellW + 4}%`,
        top: `${AREA.top + row * cellH + 2}%`,
        width: `${cellW - 6}%`,
        height: `${cellH - 10}%`,
      });
      xAxes.push({
        type: 'category',
        gridIndex: i,
        data: [String(g.label)],
        axisTick: { show: false },
      });
      yAxes.push({ type: 'value', gridIndex: i, min: 0, name: unit.name });
      columns.forEach((name, c) => {
        series.push({
          type: 'bar',
          name,
          xAxisIndex: i,
          yAxisIndex: i,
          itemStyle: { color: COLUMN_COLORS[c % COLUMN_COLORS.length] },
          label: { show: true, position: 'top' },
          data: [scaled(values[c], unit)],
        });
      });
    });
    return {
      ...baseOption(title),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { ...legend(), data: columns },
      grid: grids,
      xAxis: xAxes,
      yAxis: yAxes,
      series,
    };
  },
};
