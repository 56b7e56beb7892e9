// Tests of the "business-trend" chart: four panels of daily figures, 万/亿 and K/M units per panel, empty and long inputs.
import { businessTrendChart, type BusinessTrendData } from '../../charts/business-trend';
import { FONT_FAMILY } from '../../charts/common';
import type { ChartContext } from '../../charts/types';
import { addDays } from '../../src/time';
import {
  expectNoData,
  expectPureJson,
  mainTitle,
  renderSvg,
  seriesData,
  seriesNames,
  seriesOf,
  type Obj,
} from './helpers';

const zh: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };
const en: ChartContext = { lang: 'en', tz: 'Asia/Shanghai' };

type Day = BusinessTrendData['days'][number];
const day = (date: string, f: Partial<Day> = {}): Day => ({
  date,
  sub: 0,
  unsub: 0,
  total: 0,
  calls: 0,
  shows: 0,
  mo: 0,
  mt: 0,
  ...f,
});

const small: BusinessTrendData = {
  site: '北京移动',
  days: [
    day('2026-11-25', {
      sub: 9_999,
      unsub: 12,
      total: 123_456_789,
      calls: 10_000,
      shows: 5_000,
      mo: 10,
      mt: NaN,
    }),
    day('2026-11-24', {
      sub: 100,
      unsub: 3,
      total: 100_000_000,
      calls: 25_000,
      shows: 1,
      mo: 7,
      mt: 8,
    }),
  ],
};

const yNames = (o: Obj) => (o.yAxis as Obj[]).map((y) => y.name);

describe('business-trend', () => {
  it('is named business-trend', () => {
    expect(businessTrendChart.name).toBe('business-trend');
  });

  it('builds the exact option for a small dataset (zh)', () => {
    const dates = ['11-24', '11-25'];
    const line = { type: 'line', sampling: 'lttb', showSymbol: true };
    const panel = (text: string, left: string, top: string) => ({
      text,
      left,
      top,
      textAlign: 'center',
      textStyle: { fontSize: 13 },
    });
    const grid = (left: string, top: string) => ({ left, top, width: '36%', height: '26%' });
    expect(businessTrendChart.build(small, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: [
        { text: '北京移动 · 业务趋势', left: 'center', top: 8, textStyle: { fontSize: 16 } },
        panel('开通与退订', '26%', '14%'),
        panel('总用户数', '76%', '14%'),
        panel('调用与推送', '26%', '56%'),
        panel('上行与下行', '76%', '56%'),
      ],
      tooltip: { trigger: 'axis' },
      axisPointer: { link: [{ xAxisIndex: 'all' }] },
      legend: { top: 36, left: 'center' },
      grid: [grid('8%', '22%'), grid('58%', '22%'), grid('8%', '64%'), grid('58%', '64%')],
      xAxis: [0, 1, 2, 3].map((gridIndex) => ({ type: 'category', gridIndex, data: dates })),
      yAxis: [
        { type: 'value', gridIndex: 0, min: 0, name: '' },
        { type: 'value', gridIndex: 1, scale: true, name: '亿' },
        { type: 'value', gridIndex: 2, min: 0, name: '万' },
        { type: 'value', gridIndex: 3, min: 0, name: '' },
      ],
      series: [
        { type: 'bar', name: '开通', xAxisIndex: 0, yAxisIndex: 0, data: [100, 9999] },
        { type: 'bar', name: '退订', xAxisIndex: 0, yAxisIndex: 0, data: [3, 12] },
        { ...line, name: '总用户', xAxisIndex: 1, yAxisIndex: 1, data: [1, 1.23] },
        { ...line, name: '调用', xAxisIndex: 2, yAxisIndex: 2, data: [2.5, 1] },
        { ...line, name: '推送', xAxisIndex: 2, yAxisIndex: 2, data: [0, 0.5] },
        { ...line, name: '上行(MO)', xAxisIndex: 3, yAxisIndex: 3, data: [7, 10] },
        { ...line, name: '下行(MT)', xAxisIndex: 3, yAxisIndex: 3, data: [8, null] },
      ],
    });
  });

  it('names series, panels and units in English', () => {
    const o = businessTrendChart.build(small, en);
    expect(seriesNames(o)).toEqual([
      'opens',
      'closes',
      'total users',
      'calls',
      'pushes',
      'MO',
      'MT',
    ]);
    expect((o.title as Obj[]).map((t) => t.text)).toEqual([
      '北京移动 · Business trend',
      'Opens and closes',
      'Total users',
      'Calls and pushes',
      'MO and MT',
    ]);
    expect(yNames(o)).toEqual(['K', 'M', 'K', '']);
    expect(seriesData(o)).toEqual([
      [0.1, 10],
      [0, 0.01],
      [100, 123.46],
      [25, 10],
      [0, 5],
      [7, 10],
      [8, null],
    ]);
  });

  it('switches to 万 at 10,000 and to 亿 at 100,000,000 (zh)', () => {
    const unit = (sub: number) =>
      yNames(businessTrendChart.build({ site: 's', days: [day('2026-01-01', { sub })] }, zh))[0];
    expect(unit(9_999)).toBe('');
    expect(unit(10_000)).toBe('万');
    expect(unit(99_999_999)).toBe('万');
    expect(unit(100_000_000)).toBe('亿');
    const o = businessTrendChart.build(
      { site: 's', days: [day('2026-01-01', { sub: 10_000, unsub: 2_345 })] },
      zh,
    );
    expect(seriesData(o).slice(0, 2)).toEqual([[1], [0.23]]);
  });

  it('switches to K at 1,000 and to M at 1,000,000 (en)', () => {
    const unit = (sub: number) =>
      yNames(businessTrendChart.build({ site: 's', days: [day('2026-01-01', { sub })] }, en))[0];
    expect(unit(999)).toBe('');
    expect(unit(1_000)).toBe('K');
    expect(unit(999_999)).toBe('K');
    expect(unit(1_000_000)).toBe('M');
  });

  it('returns the no-data option for no days', () => {
    expectNoData(
      businessTrendChart.build({ site: '北京移动', days: [] }, zh),
      '暂无数据',
      '北京移动 · 业务趋势',
    );
    expectNoData(
      businessTrendChart.build({ site: 'BJ', days: [] }, en),
      'No data',
      'BJ · Business trend',
    );
  });

  it('draws a single day', () => {
    const o = businessTrendChart.build({ site: 's', days: [day('2026-11-25', { total: 5 })] }, zh);
    expect((o.xAxis as Obj[])[0].data).toEqual(['11-25']);
    expect(seriesData(o)[2]).toEqual([5]);
    expect(renderSvg(o)).toContain('11-25');
  });

  it('keeps every day of ten years, lines sampled with LTTB and without symbols', () => {
    const days = Array.from({ length: 3650 }, (_, i) =>
      day(addDays('2017-01-01', i), {
        sub: i,
        unsub: 1,
        total: 1e6 + i,
        calls: 5,
        shows: 4,
        mo: 3,
        mt: 2,
      }),
    );
    const o = businessTrendChart.build({ site: 's', days: [...days].reverse() }, zh);
    expect(seriesData(o).map((d) => d.length)).toEqual(Array(7).fill(3650));
    expect((o.xAxis as Obj[])[0].data as string[]).toHaveLength(3650);
    expect(((o.xAxis as Obj[])[0].data as string[])[0]).toBe('01-01');
    for (const s of seriesOf(o).filter((x) => x.type === 'line')) {
      expect(s.sampling).toBe('lttb');
      expect(s.showSymbol).toBe(false);
    }
    expectPureJson(o);
    expect(renderSvg(o)).toContain('<svg');
  });

  it('survives a JSON round trip with no function anywhere, and draws', () => {
    expectPureJson(businessTrendChart.build(small, zh));
    expectPureJson(businessTrendChart.build(small, en));
    expect(mainTitle(businessTrendChart.build(small, zh))).toBe('北京移动 · 业务趋势');
    expect(renderSvg(businessTrendChart.build(small, zh))).toContain('亿');
  });
});
