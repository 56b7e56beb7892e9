// Chart "server-mem": one server's used and buffer/cache memory (stacked areas) under its total, in one binary unit.
import {
  baseOption,
  byteUnit,
  label,
  legend,
  longSeries,
  maxOf,
  noDataOption,
  singleGrid,
  sortedPoints,
  spanOf,
  timePairs,
  timeXAxis,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext, ChartOption } from './types';

export interface ServerMemData {
  server: string;
  points: { at: number; usedBytes: number; bufferBytes: number; totalBytes: number }[];
}

export const serverMemChart: ChartBuilder<ServerMemData> = {
  name: 'server-mem',
  build(data: ServerMemData, ctx: ChartContext): ChartOption {
    const title = titleText(data.server, label('memTitle', ctx.lang));
    const points = sortedPoints(data.points);
    const unit = byteUnit(maxOf(points.flatMap((p) => [p.usedBytes, p.bufferBytes, p.totalBytes])));
    const pairs = (pick: (p: (typeof points)[number]) => number) =>
      timePairs(points, ctx.tz, (p) => pick(p) / unit.divisor);
    const used = pairs((p) => p.usedBytes);
    const buffer = pairs((p) => p.bufferBytes);
    const total = pairs((p) => p.totalBytes);
    if (used.length + buffer.length + total.length === 0) return noDataOption(title, ctx);
    return {
      ...baseOption(title),
      useUTC: true,
      legend: legend(),
      grid: singleGrid(),
      xAxis: timeXAxis(spanOf([used, buffer, total])),
      yAxis: { type: 'value', min: 0, name: unit.name },
      series: [
        {
          ...longSeries(),
          name: label('memUsed', ctx.lang),
          stack: 'mem',
          areaStyle: {},
          data: used,
        },
        {
          ...longSeries(),
          name: label('memBuffer', ctx.lang),
          stack: 'mem',
          areaStyle: {},
          data: buffer,
        },
        { ...longSeries(), name: label('memTotal', ctx.lang), data: total },
      ],
    };
  },
};
