// Chart "server-cpu": one server's cpu user / sys / io percentages as stacked areas on the site's wall clock.
import type { ChartOption } from '../src/types/chart-option';
import { label, percentAxis, sortedPoints, timePairs, timeSeriesOption, titleText } from './common';
import type { ChartBuilder, ChartContext } from './types';

export interface ServerCpuData {
  server: string;
  points: { at: number; user: number; sys: number; io: number }[];
}

export const serverCpuChart: ChartBuilder<ServerCpuData, 'server-cpu'> = {
  name: 'server-cpu',
  build(data: ServerCpuData, ctx: ChartContext): ChartOption {
    const title = titleText(data.server, label('cpuTitle', ctx.lang));
    const points = sortedPoints(data.points);
    const layers = [
      {
        name: label('cpuUser', ctx.lang),
        stack: 'cpu',
        data: timePairs(points, ctx.tz, (p) => p.user),
      },
      {
        name: label('cpuSys', ctx.lang),
        stack: 'cpu',
        data: timePairs(points, ctx.tz, (p) => p.sys),
      },
      {
        name: label('cpuIo', ctx.lang),
        stack: 'cpu',
        data: timePairs(points, ctx.tz, (p) => p.io),
      },
    ];
    return timeSeriesOption(title, ctx, layers, percentAxis());
  },
};
