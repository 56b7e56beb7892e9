// Chart "ranking": sites or servers in rank order as horizontal bars (the first at the top), percentages or counts, stale servers greyed.
import type { ChartOption } from '../src/types/chart-option';
import {
  STALE_COLOR,
  baseOption,
  countUnit,
  isNum,
  maxOf,
  noDataOption,
  round2,
  scaled,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext, Lang } from './types';

export interface RankingData {
  /** What is ranked and when, as the title shows it: '2026-11-24 开通', 'CPU'. */
  subject: string;
  /** Percentages (a 0–100 axis, '%' on the bars) rather than counts (one unit for the chart). */
  percent: boolean;
  /** In rank order, the first drawn at the top; a null value draws no bar. */
  items: { name: string; value: number | null; stale?: boolean }[];
}

const TITLE: Record<Lang, string> = { zh: '排行', en: 'Ranking' };

export const rankingChart: ChartBuilder<RankingData, 'ranking'> = {
  name: 'ranking',
  build(data: RankingData, ctx: ChartContext): ChartOption {
    const subject = String(data.subject ?? '');
    const title = titleText(subject, TITLE[ctx.lang]);
    const items = (data.items ?? []).filter((it) => it && it.name !== undefined);
    if (!items.some((it) => isNum(it.value))) return noDataOption(title, ctx);
    const percent = data.percent === true;
    const max = maxOf(items.map((it) => it.value));
    const unit = percent ? { name: '', divisor: 1 } : countUnit(max, ctx.lang);
    const bar = (it: RankingData['items'][number]) => {
      const v = percent ? (isNum(it.value) ? round2(it.value) : null) : scaled(it.value, unit);
      if (v === null) return null;
      return it.stale === true ? { value: v, itemStyle: { color: STALE_COLOR } } : v;
    };
    return {
      ...baseOption(title),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 170, right: 80, top: 64, bottom: 40 },
      xAxis: percent
        ? {
            type: 'value',
            min: 0,
            // Past 100 % (a reading over its total) the axis grows instead of cutting the bar.
            ...(max <= 100 ? { max: 100 } : {}),
            axisLabel: { formatter: '{value}%' },
          }
        : { type: 'value', min: 0, name: unit.name },
      yAxis: {
        type: 'category',
        inverse: true,
        data: items.map((it) =>
          it.stale === true
            ? { value: String(it.name), textStyle: { color: STALE_COLOR } }
            : String(it.name),
        ),
        axisLabel: { interval: 0, width: 156, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: subject || TITLE[ctx.lang],
          barMaxWidth: 40,
          label: { show: true, position: 'right', formatter: percent ? '{c}%' : '{c}' },
          data: items.map(bar),
        },
      ],
    };
  },
};
