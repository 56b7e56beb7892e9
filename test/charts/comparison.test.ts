// Tests of the "comparison" chart: one panel of grouped bars per figure, each on its own scale (万/亿, K/M), one colour per column, empty input.
import { FONT_FAMILY } from '../../charts/common';
import {
  COLUMN_COLORS,
  comparisonChart,
  panelColumns,
  type ComparisonData,
} from '../../charts/comparison';
import type { ChartContext } from '../../charts/types';
import { expectNoData, expectPureJson, renderSvg, seriesOf, type Obj } from './helpers';

const zh: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };
const en: ChartContext = { lang: 'en', tz: 'UTC' };

const small: ComparisonData = {
  subject: '2026-11-24',
  columns: ['北京一号', '上海移动'],
  groups: [
    { label: '开通', values: [140, 90] },
    { label: '调用', values: [54_000, null] },
  ],
};

const bar = (name: string, i: number, c: number, value: number | null) => ({
  type: 'bar',
  name,
  xAxisIndex: i,
  yAxisIndex: i,
  itemStyle: { color: COLUMN_COLORS[c] },
  label: { show: true, position: 'top' },
  data: [value],
});

describe('comparison', () => {
  it('is named comparison', () => {
    expect(comparisonChart.name).toBe('comparison');
  });

  it('builds the exact option for two sites and two figures (zh)', () => {
    expect(comparisonChart.build(small, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: '2026-11-24 · 业务对比', left: 'center', top: 8, textStyle: { fontSize: 16 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 36, left: 'center', data: ['北京一号', '上海移动'] },
      grid: [
        { left: '8%', top: '22%', width: '41%', height: '66%' },
        { left: '55%', top: '22%', width: '41%', height: '66%' },
      ],
      xAxis: [
        { type: 'category', gridIndex: 0, data: ['开通'], axisTick: { show: false } },
        { type: 'category', gridIndex: 1, data: ['调用'], axisTick: { show: false } },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, min: 0, name: '' },
        { type: 'value', gridIndex: 1, min: 0, name: '万' },
      ],
      series: [
        bar('北京一号', 0, 0, 140),
        bar('上海移动', 0, 1, 90),
        bar('北京一号', 1, 0, 5.4),
        bar('上海移动', 1, 1, null),
      ],
    });
  });

  it('says its title in English and scales each panel in K/M', () => {
    const o = comparisonChart.build(small, en);
    expect((o.title as Obj).text).toBe('2026-11-24 · Comparison');
    expect((o.yAxis as Obj[]).map((y) => y.name)).toEqual(['', 'K']);
    expect(seriesOf(o).map((s) => s.data)).toEqual([[140], [90], [54], [null]]);
  });

  it('lays seven figures out in two rows of four, and cycles the colours past the palette', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(panelColumns)).toEqual([1, 2, 3, 4, 3, 3, 4]);
    const columns = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const o = comparisonChart.build(
      {
        subject: '',
        columns,
        groups: Array.from({ length: 7 }, (_, g) => ({
          label: `f${g}`,
          values: columns.map((_, c) => g * 10 + c),
        })),
      },
      zh,
    );
    expect((o.title as Obj).text).toBe('业务对比');
    const grids = o.grid as Obj[];
    expect(grids.map((g) => [g.left, g.top])).toEqual([
      ['8%', '22%'],
      ['31.5%', '22%'],
      ['55%', '22%'],
      ['78.5%', '22%'],
      ['8%', '60%'],
      ['31.5%', '60%'],
      ['55%', '60%'],
    ]);
    const series = seriesOf(o);
    expect(series).toHaveLength(70);
    expect(series.slice(0, 10).map((s) => (s.itemStyle as Obj).color)).toEqual([
      ...COLUMN_COLORS,
      COLUMN_COLORS[0],
    ]);
    // one colour per column in every panel
    expect(series.filter((s) => s.name === 's3').map((s) => (s.itemStyle as Obj).color)).toEqual(
      Array(7).fill(COLUMN_COLORS[3]),
    );
    expectPureJson(o);
    expect(renderSvg(o)).toContain('f6');
  });

  it('says "no data" without columns, figures or any value, and ignores values past the columns', () => {
    for (const data of [
      { ...small, columns: [] },
      { ...small, groups: [] },
      { ...small, groups: [{ label: '开通', values: [null, NaN] }] },
      { subject: 's', columns: ['a'], groups: [{ label: 'x', values: [null, 5] }] },
    ] as ComparisonData[]) {
      const o = comparisonChart.build(data, zh);
      expectNoData(o, '暂无数据', (o.title as Obj).text as string);
    }
    const short = comparisonChart.build(
      { subject: 's', columns: ['a', 'b'], groups: [{ label: 'x', values: [3] }] },
      zh,
    );
    expect(seriesOf(short).map((s) => s.data)).toEqual([[3], [null]]);
  });
});
