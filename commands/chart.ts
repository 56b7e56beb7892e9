// Building a chart with the chart builders and rendering it to a PNG image reply (only when a renderer is configured).
import { buildChart, type ChartDataByName, type ChartName } from '../charts/registry';
import { describeError } from '../src/errors';
import type { CommandDeps, Reply } from './types';

/** Said instead of a chart that could not be drawn (a busy or broken renderer). */
export const CHART_FAILED_TEXT = '（图表暂时无法生成，请稍后再试。）';

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
  let png: Buffer;
  try {
    png = await deps.renderChart(option);
  } catch (err) {
    // The figures are in the text already: a chart that cannot be drawn must not take them away.
    deps.log.warn({ chart: name, err: describeError(err) }, 'chart not rendered; text sent alone');
    return [{ kind: 'text', text: CHART_FAILED_TEXT }];
  }
  return [{ kind: 'image', png, name: `${file.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`, alt }];
}
