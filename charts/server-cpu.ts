// Chart "server-cpu": one server's cpu user / sys / io percentages as stacked areas on the site's wall clock.
import {
  baseOption,
  label,
  legend,
  longSeries,
  noDataOption,
  singleGrid,
  sortedPoints,
  spanOf,
  timePairs,
  timeXAxis,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext, ChartOption } from './types';

export interface ServerCpuData {
  server: string;
  points: { at: number; user: number; sys: number; io: number }[];
}

export const serverCpuChart: ChartBuilder<ServerCpuData> = {
  name: 'server-cpu',
  build(data: ServerCpuData, ctx: ChartContext): ChartOption {
    const title = titleText(data.server, label('cpuTitle', ctx.lang));
    const points = sortedPoints(data.points);
    const layers = [
      { name: label('cpuUser', ctx.lang), data: timePairs(points, ctx.tz, (p) => p.user) },
      { name: label('cpuSys', ctx.lang), data: timePairs(points, ctx.tz, (p) => p.sys) },
      { name: label('cpuIo', ctx.lang), data: timePairs(points, ctx.tz, (p) => p.io) },
    ];
    if (layers.every((l) => l.data.length === 0)) return noDataOption(title, ctx);
    return {
      ...baseOption(title),
      useUTC: true,
      legend: legend(),
      grid: singleGrid(),
      xAxis: timeXAxis(spanOf(layers.map((l) => l.data))),
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: layers.map((l) => ({
        ...longSeries(),
        name: l.name,
        stack: 'cpu',
        areaStyle: {},
        data: l.data,
      })),
    };
  },
};
