// The registry of chart builders by name; adding a chart is one file and one line here.
import { createRegistry, type Registry } from '../src/registry';
import { alarmCountsChart, type AlarmCountsData } from './alarm-counts';
import { businessTrendChart, type BusinessTrendData } from './business-trend';
import { serverCpuChart, type ServerCpuData } from './server-cpu';
import { serverDiskChart, type ServerDiskData } from './server-disk';
import { serverMemChart, type ServerMemData } from './server-mem';
import { siteOverviewChart, type SiteOverviewData } from './site-overview';
import type { ChartBuilder, ChartContext, ChartOption } from './types';

/** The data each registered chart takes, by chart name. */
export interface ChartDataByName {
  'server-cpu': ServerCpuData;
  'server-mem': ServerMemData;
  'server-disk': ServerDiskData;
  'site-overview': SiteOverviewData;
  'business-trend': BusinessTrendData;
  'alarm-counts': AlarmCountsData;
}

export type ChartName = keyof ChartDataByName;

/** Every builder, in the order the registry lists them. */
export const chartBuilders: readonly ChartBuilder<unknown>[] = [
  serverCpuChart,
  serverMemChart,
  serverDiskChart,
  siteOverviewChart,
  businessTrendChart,
  alarmCountsChart,
];

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
