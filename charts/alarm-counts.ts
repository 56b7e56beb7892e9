// Chart "alarm-counts": a site's alarms per day (bars) and per node (horizontal bars, top 10 plus the rest as "other").
import type { ChartOption } from '../src/types/chart-option';
import { baseOption, isNum, label, monthDay, noDataOption, sortedDays, titleText } from './common';
import type { ChartBuilder, ChartContext, Lang } from './types';

export interface AlarmCountsData {
  site: string;
  perDay: { date: string; count: number }[];
  perNode: { node: string; count: number }[];
}

/** Nodes shown one by one; the others are summed into one "other" bar. */
export const TOP_NODES = 10;

/** The top nodes by count (ties by name), then "other" with the sum of the rest when there is a rest. */
export function topNodes(
  perNode: AlarmCountsData['perNode'],
  lang: Lang,
): { node: string; count: number }[] {
  const nodes = perNode
    .filter((n) => n && isNum(n.count))
    .map((n) => ({ node: String(n.node), count: n.count }))
    .sort((a, b) => b.count - a.count || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  if (nodes.length <= TOP_NODES) return nodes;
  const rest = nodes.slice(TOP_NODES).reduce((sum, n) => sum + n.count, 0);
  return [...nodes.slice(0, TOP_NODES), { node: label('alarmOther', lang), count: rest }];
}

/** Left panel (per day) and right panel (per node), in percent of the canvas. */
const DAY_GRID = { left: 6, width: 50 };
const NODE_GRID = { left: 72, width: 24 };
const GRID_TOP = 22;
const GRID_BOTTOM = 8;

export const alarmCountsChart: ChartBuilder<AlarmCountsData, 'alarm-counts'> = {
  name: 'alarm-counts',
  build(data: AlarmCountsData, ctx: ChartContext): ChartOption {
    const title = titleText(data.site, label('alarmTitle', ctx.lang));
    const days = sortedDays(data.perDay).filter((d) => isNum(d.count));
    const nodes = topNodes(data.perNode ?? [], ctx.lang);
    if (days.length === 0 && nodes.length === 0) return noDataOption(title, ctx);
    const base = baseOption(title);
    const center = (g: { left: number; width: number }) => `${g.left + g.width / 2}%`;
    const panelTitle = (text: string, g: { left: number; width: number }) => ({
      text,
      left: center(g),
      top: `${GRID_TOP - 10}%`,
      textAlign: 'center',
      textStyle: { fontSize: 13 },
    });
    // An empty panel keeps its axes and says so in its middle (a title entry, centred on the panel).
    const emptyPanel = (g: { left: number; width: number }) => ({
      text: label('noData', ctx.lang),
      left: center(g),
      top: `${(GRID_TOP + 100 - GRID_BOTTOM) / 2}%`,
      textAlign: 'center',
      textVerticalAlign: 'middle',
      textStyle: { fontSize: 14, fontWeight: 'normal', color: '#999999' },
    });
    const grid = (g: { left: number; width: number }) => ({
      left: `${g.left}%`,
      width: `${g.width}%`,
      top: `${GRID_TOP}%`,
      bottom: `${GRID_BOTTOM}%`,
    });
    const countLabel = label('alarmCount', ctx.lang);
    return {
      ...base,
      title: [
        base.title,
        panelTitle(label('alarmPanelDay', ctx.lang), DAY_GRID),
        panelTitle(label('alarmPanelNode', ctx.lang), NODE_GRID),
        ...(days.length === 0 ? [emptyPanel(DAY_GRID)] : []),
        ...(nodes.length === 0 ? [emptyPanel(NODE_GRID)] : []),
      ],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: [grid(DAY_GRID), grid(NODE_GRID)],
      xAxis: [
        { type: 'category', gridIndex: 0, data: days.map((d) => monthDay(d.date)) },
        { type: 'value', gridIndex: 1, minInterval: 1 },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, minInterval: 1 },
        {
          type: 'category',
          gridIndex: 1,
          inverse: true,
          data: nodes.map((n) => n.node),
          axisLabel: { interval: 0, width: 120, overflow: 'truncate' },
        },
      ],
      series: [
        {
          type: 'bar',
          name: countLabel,
          xAxisIndex: 0,
          yAxisIndex: 0,
          data: days.map((d) => d.count),
        },
        {
          type: 'bar',
          name: countLabel,
          xAxisIndex: 1,
          yAxisIndex: 1,
          data: nodes.map((n) => n.count),
        },
      ],
    };
  },
};
