// Building a chart with the chart builders and rendering it to a PNG image reply (only when a renderer is configured).
import { buildChart, type ChartDataByName, type ChartName } from '../charts/registry';
import type { CommandDeps, Reply } from './types';

/** The chart `name` as an image reply, or no reply when images are not wanted. */
export async function chartReply<N extends ChartName>(
  deps: CommandDeps,
  name: N,
  data: ChartDataByName[N],
  tz: string,
  file: string,
  alt: string,
): Promise<Reply[]> {
  if (!deps.renderChart) return [];
  const option = buildChart(name, data, { lang: deps.config.charts.lang, tz });
  const png = await deps.renderChart(option);
  return [{ kind: 'image', png, name: `${file.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`, alt }];
}
