// Building a chart with the chart builders: a PNG image reply when a renderer is configured, else its option for a client that draws it (when asked for).
import { buildChart, type ChartDataByName, type ChartName } from '../charts/registry';
import { describeError } from '../src/errors';
import type { CommandDeps, Reply } from './types';

/** Said instead of a chart that could not be drawn (a busy or broken renderer). */
export const CHART_FAILED_TEXT = '（图表暂时无法生成，请稍后再试。）';

/**
 * The chart `name` as an image reply; without a renderer as a 'chart' reply carrying its option
 * when `deps.chartOptions` is true, else no reply.
 */
export async function chartReply<N extends ChartName>(
  deps: CommandDeps,
  name: N,
  data: ChartDataByName[N],
  tz: string,
  file: string,
  alt: string,
): Promise<Reply[]> {
  if (!wantsCharts(deps)) return [];
  const option = buildChart(name, data, { lang: deps.config.charts.lang, tz });
  const base = file.replace(/[^A-Za-z0-9._-]+/g, '_');
  if (!deps.renderChart) return [{ kind: 'chart', option, name: base, alt }];
  let png: Buffer;
  try {
    png = await deps.renderChart(option);
  } catch (err) {
    // The figures are in the text already: a chart that cannot be drawn must not take them away.
    deps.log.warn({ chart: name, err: describeError(err) }, 'chart not rendered; text sent alone');
    return [{ kind: 'text', text: CHART_FAILED_TEXT }];
  }
  return [{ kind: 'image', png, name: `${base}.png`, alt }];
}

/** Whether a chart reply is wanted at all (a renderer, or options for a client that draws them). */
export function wantsCharts(deps: CommandDeps): boolean {
  return Boolean(deps.renderChart) || deps.chartOptions === true;
}
