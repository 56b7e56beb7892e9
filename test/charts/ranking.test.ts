// Tests of the "ranking" chart: horizontal bars in rank order (first at the top), percentages or scaled counts, stale items greyed, empty input.
import { FONT_FAMILY, STALE_COLOR } from '../../charts/common';
import { rankingChart, type RankingData } from '../../charts/ranking';
import type { ChartContext } from '../../charts/types';
import { expectNoData, expectPureJson, renderSvg, seriesOf, type Obj } from './helpers';

const zh: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };
const en: ChartContext = { lang: 'en', tz: 'UTC' };

const cpu: RankingData = {
  subject: 'CPU最高',
  percent: true,
  items: [
    { name: 'app01（上海移动）', value: 80.004 },
    { name: 'db01（北京一号）', value: 45, stale: true },
    { name: 'spare01（北京二号）', value: null },
  ],
};

describe('ranking', () => {
  it('is named ranking', () => {
    expect(rankingChart.name).toBe('ranking');
  });

  it('builds the exact option for percentages (zh)', () => {
    expect(rankingChart.build(cpu, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: 'CPU最高 · 排行', left: 'center', top: 8, textStyle: { fontSize: 16 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 170, right: 80, top: 64, bottom: 40 },
      xAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: {
        type: 'category',
        inverse: true,
        data: [
          'app01（上海移动）',
          { value: 'db01（北京一号）', textStyle: { color: STALE_COLOR } },
          'spare01（北京二号）',
        ],
        axisLabel: { interval: 0, width: 156, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          name: 'CPU最高',
          barMaxWidth: 40,
          label: { show: true, position: 'right', formatter: '{c}%' },
          data: [80, { value: 45, itemStyle: { color: STALE_COLOR } }, null],
        },
      ],
    });
  });

  it('scales counts to one unit (万, K) and lets a percentage past 100 grow the axis', () => {
    const counts: RankingData = {
      subject: '2026-11-24 开通',
      percent: false,
      items: [
        { name: '北京一号', value: 140_000 },
        { name: '北京二号', value: 9_000 },
      ],
    };
    const o = rankingChart.build(counts, zh);
    expect(o.xAxis).toEqual({ type: 'value', min: 0, name: '万' });
    expect(seriesOf(o)[0].data).toEqual([14, 0.9]);
    expect((seriesOf(o)[0].label as Obj).formatter).toBe('{c}');
    const e = rankingChart.build(counts, en);
    expect(e.xAxis).toEqual({ type: 'value', min: 0, name: 'K' });
    expect((e.title as Obj).text).toBe('2026-11-24 开通 · Ranking');
    const over = rankingChart.build({ ...cpu, items: [{ name: 'a', value: 104.5 }] }, zh);
    expect(over.xAxis).toEqual({ type: 'value', min: 0, axisLabel: { formatter: '{value}%' } });
    expectPureJson(over);
    expect(renderSvg(o)).toContain('北京二号');
  });

  it('says "no data" without items or without any value', () => {
    for (const data of [
      { ...cpu, items: [] },
      { ...cpu, items: [{ name: 'a', value: null }] },
      { subject: '', percent: false, items: [{ name: 'a', value: NaN }] },
    ] as RankingData[]) {
      const o = rankingChart.build(data, zh);
      expectNoData(o, '暂无数据', (o.title as Obj).text as string);
    }
    expect(
      (rankingChart.build({ subject: '', percent: false, items: [] }, en).title as Obj).text,
    ).toBe('Ranking');
  });
});
