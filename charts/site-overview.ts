// Chart "site-overview": cpu / memory / disk percentages of every server of a site as grouped bars, stale servers greyed.
import type { ChartOption } from '../src/types/chart-option';
import {
  STALE_COLOR,
  baseOption,
  isNum,
  label,
  legend,
  noDataOption,
  round2,
  singleGrid,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext } from './types';

export interface SiteOverviewData {
  site: string;
  servers: {
    name: string;
    cpuPct: number | null;
    memPct: number | null;
    diskPct: number | null;
    stale: boolean;
  }[];
}

type Server = SiteOverviewData['servers'][number];

/** A bar: null (no bar) for a missing value, grey for a stale server. */
function bar(v: number | null, stale: boolean): number | null | Record<string, unknown> {
  if (!isNum(v)) return null;
  return stale ? { value: round2(v), itemStyle: { color: STALE_COLOR } } : round2(v);
}

export const siteOverviewChart: ChartBuilder<SiteOverviewData, 'site-overview'> = {
  name: 'site-overview',
  build(data: SiteOverviewData, ctx: ChartContext): ChartOption {
    const title = titleText(data.site, label('overviewTitle', ctx.lang));
    const servers = (data.servers ?? []).filter((s) => s && s.name !== undefined);
    if (servers.length === 0) return noDataOption(title, ctx);
    const suffix = label('staleSuffix', ctx.lang);
    const column = (name: string, pick: (s: Server) => number | null) => ({
      type: 'bar',
      name,
      data: servers.map((s) => bar(pick(s), s.stale === true)),
    });
    // Rotate the names once they no longer fit side by side (about 7 px a character at 12 px).
    const chars = servers.reduce(
      (n, s) => n + String(s.name).length + (s.stale ? suffix.length : 0),
      0,
    );
    const rotate = servers.length > 8 || chars * 7 > 680 ? 30 : 0;
    return {
      ...baseOption(title),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: legend(),
      grid: rotate ? { ...singleGrid(), left: 96, bottom: 110 } : singleGrid(),
      xAxis: {
        type: 'category',
        data: servers.map((s) =>
          s.stale === true
            ? { value: `${s.name}${suffix}`, textStyle: { color: STALE_COLOR } }
            : String(s.name),
        ),
        axisLabel: { interval: 0, rotate },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        column(label('overviewCpu', ctx.lang), (s) => s.cpuPct),
        column(label('overviewMem', ctx.lang), (s) => s.memPct),
        column(label('overviewDisk', ctx.lang), (s) => s.diskPct),
      ],
    };
  },
};
