// Chart "server-mem": one server's used and buffer/cache memory (stacked areas) under its total, in one binary unit.
import type { ChartOption } from '../src/types/chart-option';
import {
  byteUnit,
  label,
  maxOf,
  sortedPoints,
  timePairs,
  timeSeriesOption,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext } from './types';

export interface ServerMemData {
  server: string;
  points: { at: number; usedBytes: number; bufferBytes: number; totalBytes: number }[];
}

export const serverMemChart: ChartBuilder<ServerMemData, 'server-mem'> = {
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
    return timeSeriesOption(
      title,
      ctx,
      [
        { name: label('memUsed', ctx.lang), stack: 'mem', data: used },
        { name: label('memBuffer', ctx.lang), stack: 'mem', data: buffer },
        { name: label('memTotal', ctx.lang), data: total },
      ],
      { min: 0, name: unit.name },
    );
  },
};
