// The registry of chart builders by name; adding a chart is one file and one line here.
import { createRegistry, type Registry } from '../src/registry';
import type { ChartOption } from '../src/types/chart-option';
import { alarmCountsChart } from './alarm-counts';
import { businessTrendChart } from './business-trend';
import { comparisonChart } from './comparison';
import { rankingChart } from './ranking';
import { serverCpuChart } from './server-cpu';
import { serverDiskChart } from './server-disk';
import { serverMemChart } from './server-mem';
import { siteOverviewChart } from './site-overview';
import type { ChartBuilder, ChartContext } from './types';

/** Every builder, in the order the registry lists them. */
export const chartBuilders = [
  serverCpuChart,
  serverMemChart,
  serverDiskChart,
  siteOverviewChart,
  businessTrendChart,
  alarmCountsChart,
  comparisonChart,
  rankingChart,
] as const;

type RegisteredChart = (typeof chartBuilders)[number];

/** The data each registered chart takes, by chart name (derived from `chartBuilders`). */
export type ChartDataByName = {
  [B in RegisteredChart as B['name']]: Parameters<B['build']>[0];
};

export type ChartName = keyof ChartDataByName;

export function createChartRegistry(
  builders: readonly ChartBuilder<unknown>[] = chartBuilders,
): Registry<ChartBuilder<unknown>> {
  return createRegistry<ChartBuilder<unknown>>('chart', builders);
}

const registry = createChartRegistry();

/** Build the chart `name` with data of the type that chart takes. */
export function buildChart<N extends ChartName>(
  name: N,
  data: ChartDataByName[N],
  ctx: ChartContext,
): ChartOption {
  return registry.require(name).build(data, ctx);
}
