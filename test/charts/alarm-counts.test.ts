// Tests of the "alarm-counts" chart: alarms per day and per node (top 10 plus "other"), empty panels and inputs, pure JSON.
import { alarmCountsChart, topNodes, type AlarmCountsData } from '../../charts/alarm-counts';
import { FONT_FAMILY } from '../../charts/common';
import type { ChartContext } from '../../charts/types';
import {
  expectNoData,
  expectPureJson,
  renderSvg,
  seriesData,
  seriesNames,
  type Obj,
} from './helpers';

const zh: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };
const en: ChartContext = { lang: 'en', tz: 'Asia/Shanghai' };

const small: AlarmCountsData = {
  site: '北京移动',
  perDay: [
    { date: '2026-11-25', count: 3 },
    { date: '2026-11-24', count: 5 },
    { date: '2026-11-23', count: NaN },
  ],
  perNode: [
    { node: 'nginx', count: 2 },
    { node: 'tcp:8080', count: 6 },
  ],
};

const nodes = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ node: `n${String(i).padStart(2, '0')}`, count: 100 - i }));

const nodeAxis = (o: Obj) => ((o.yAxis as Obj[])[1].data as string[]) ?? [];

describe('alarm-counts', () => {
  it('is named alarm-counts', () => {
    expect(alarmCountsChart.name).toBe('alarm-counts');
  });

  it('builds the exact option for a small dataset (zh)', () => {
    const panel = (text: string, left: string) => ({
      text,
      left,
      top: '12%',
      textAlign: 'center',
      textStyle: { fontSize: 13 },
    });
    expect(alarmCountsChart.build(small, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: [
        { text: '北京移动 · 告警统计', left: 'center', top: 8, textStyle: { fontSize: 16 } },
        panel('每日告警数', '31%'),
        panel('告警最多的节点', '84%'),
      ],
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: [
        { left: '6%', width: '50%', top: '22%', bottom: '8%' },
        { left: '72%', width: '24%', top: '22%', bottom: '8%' },
      ],
      xAxis: [
        { type: 'category', gridIndex: 0, data: ['11-24', '11-25'] },
        { type: 'value', gridIndex: 1, minInterval: 1 },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0, minInterval: 1 },
        {
          type: 'category',
          gridIndex: 1,
          inverse: true,
          data: ['tcp:8080', 'nginx'],
          axisLabel: { interval: 0, width: 120, overflow: 'truncate' },
        },
      ],
      series: [
        { type: 'bar', name: '告警数', xAxisIndex: 0, yAxisIndex: 0, data: [5, 3] },
        { type: 'bar', name: '告警数', xAxisIndex: 1, yAxisIndex: 1, data: [6, 2] },
      ],
    });
  });

  it('names things in English', () => {
    const o = alarmCountsChart.build(small, en);
    expect(seriesNames(o)).toEqual(['alarms', 'alarms']);
    expect((o.title as Obj[]).map((t) => t.text)).toEqual([
      '北京移动 · Alarms',
      'Alarms per day',
      'Alarms by node',
    ]);
  });

  it('shows the top 10 nodes and sums the rest as 其他 / other', () => {
    const o = alarmCountsChart.build({ site: 's', perDay: [], perNode: nodes(13) }, zh);
    expect(nodeAxis(o)).toEqual([...nodes(10).map((n) => n.node), '其他']);
    expect(seriesData(o)[1]).toEqual([100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90 + 89 + 88]);
    const e = alarmCountsChart.build({ site: 's', perDay: [], perNode: nodes(11) }, en);
    expect(nodeAxis(e)[10]).toBe('other');
    expect(seriesData(e)[1][10]).toBe(90);
  });

  it('has no "other" bar for exactly 10 nodes', () => {
    const o = alarmCountsChart.build({ site: 's', perDay: [], perNode: nodes(10) }, zh);
    expect(nodeAxis(o)).toEqual(nodes(10).map((n) => n.node));
  });

  it('orders nodes by count, then by name, whatever the input order', () => {
    expect(
      topNodes(
        [
          { node: 'b', count: 1 },
          { node: 'c', count: 5 },
          { node: 'a', count: 1 },
          { node: 'x', count: NaN },
        ],
        'zh',
      ),
    ).toEqual([
      { node: 'c', count: 5 },
      { node: 'a', count: 1 },
      { node: 'b', count: 1 },
    ]);
  });

  it('keeps ten top nodes out of a thousand', () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ node: `node${i}`, count: i % 17 }));
    const o = alarmCountsChart.build({ site: 's', perDay: [], perNode: many }, zh);
    expect(nodeAxis(o)).toHaveLength(11);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(seriesData(o)[1] as number[])).toBe(sum(many.map((n) => n.count)));
    expectPureJson(o);
  });

  it('returns the no-data option when there are neither days nor nodes', () => {
    expectNoData(
      alarmCountsChart.build({ site: '北京移动', perDay: [], perNode: [] }, zh),
      '暂无数据',
      '北京移动 · 告警统计',
    );
    expectNoData(
      alarmCountsChart.build({ site: 'BJ', perDay: [], perNode: [] }, en),
      'No data',
      'BJ · Alarms',
    );
  });

  it('says "no data" in an empty panel and keeps the other one', () => {
    const o = alarmCountsChart.build({ site: 's', perDay: small.perDay, perNode: [] }, zh);
    expect((o.title as Obj[]).map((t) => t.text)).toEqual([
      's · 告警统计',
      '每日告警数',
      '告警最多的节点',
      '暂无数据',
    ]);
    expect((o.title as Obj[])[3]).toMatchObject({ left: '84%', textAlign: 'center' });
    expect(seriesData(o)).toEqual([[5, 3], []]);
    const d = alarmCountsChart.build({ site: 's', perDay: [], perNode: small.perNode }, en);
    expect((d.title as Obj[])[3]).toMatchObject({ text: 'No data', left: '31%' });
    expect(seriesData(d)).toEqual([[], [6, 2]]);
    expect(renderSvg(o)).toContain('暂无数据');
  });

  it('draws a single day and a single node', () => {
    const o = alarmCountsChart.build(
      { site: 's', perDay: [{ date: '2026-11-25', count: 1 }], perNode: [{ node: 'a', count: 1 }] },
      zh,
    );
    expect(seriesData(o)).toEqual([[1], [1]]);
    expect(renderSvg(o)).toContain('11-25');
  });

  it('keeps every day of a long history', () => {
    const perDay = Array.from({ length: 8640 }, (_, i) => ({
      date: new Date(Date.UTC(2000, 0, 1 + i)).toISOString().slice(0, 10),
      count: i % 9,
    }));
    const o = alarmCountsChart.build({ site: 's', perDay, perNode: [] }, zh);
    expect(seriesData(o)[0]).toHaveLength(8640);
    expectPureJson(o);
    expect(renderSvg(o)).toContain('<svg');
  });

  it('keeps node names with template characters as category data only', () => {
    const o = alarmCountsChart.build(
      { site: 's', perDay: [], perNode: [{ node: '{a|b}{value}', count: 1 }] },
      zh,
    );
    expect(nodeAxis(o)).toEqual(['{a|b}{value}']);
    expect(JSON.stringify([o.xAxis, o.tooltip, o.series])).not.toContain('{a|b}');
    expect(renderSvg(o)).toContain('{a|b}{value}');
  });

  it('survives a JSON round trip with no function anywhere', () => {
    expectPureJson(alarmCountsChart.build(small, zh));
    expectPureJson(alarmCountsChart.build(small, en));
    expectPureJson(alarmCountsChart.build({ site: 's', perDay: [], perNode: [] }, zh));
  });
});
