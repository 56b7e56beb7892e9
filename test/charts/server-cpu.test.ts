// Tests of the "server-cpu" chart: stacked user/sys/io areas on the site's wall clock, empty and huge inputs, pure JSON.
import { FONT_FAMILY } from '../../charts/common';
import { serverCpuChart, type ServerCpuData } from '../../charts/server-cpu';
import type { ChartContext } from '../../charts/types';
import {
  expectNoData,
  expectPureJson,
  month,
  renderSvg,
  seriesData,
  seriesNames,
  seriesOf,
  shanghai,
} from './helpers';

const zh: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };
const en: ChartContext = { lang: 'en', tz: 'Asia/Shanghai' };

const t0 = shanghai(2026, 11, 25, 8, 0);
const t1 = shanghai(2026, 11, 25, 8, 5);
const X0 = Date.UTC(2026, 10, 25, 8, 0);
const X1 = Date.UTC(2026, 10, 25, 8, 5);

const small: ServerCpuData = {
  server: 'web01',
  // Out of order, one NaN: the NaN is left out of its own series only.
  points: [
    { at: t1, user: 12, sys: NaN, io: 0.5 },
    { at: t0, user: 10.123, sys: 5.556, io: 1 },
  ],
};

describe('server-cpu', () => {
  it('is named server-cpu', () => {
    expect(serverCpuChart.name).toBe('server-cpu');
  });

  it('builds the exact option for a small dataset (zh)', () => {
    const area = { type: 'line', sampling: 'lttb', showSymbol: false, stack: 'cpu', areaStyle: {} };
    expect(serverCpuChart.build(small, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: 'web01 · CPU 使用率', left: 'center', top: 8, textStyle: { fontSize: 16 } },
      tooltip: { trigger: 'axis' },
      useUTC: true,
      legend: { top: 36, left: 'center' },
      grid: { left: 56, right: 32, top: 80, bottom: 40 },
      xAxis: {
        type: 'time',
        axisLabel: { formatter: '{HH}:{mm}', hideOverlap: true },
        splitLine: { show: false },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        {
          ...area,
          name: '用户',
          data: [
            [X0, 10.12],
            [X1, 12],
          ],
        },
        { ...area, name: '系统', data: [[X0, 5.56]] },
        {
          ...area,
          name: 'IO 等待',
          data: [
            [X0, 1],
            [X1, 0.5],
          ],
        },
      ],
    });
  });

  it('names series and title in English', () => {
    const o = serverCpuChart.build(small, en);
    expect(seriesNames(o)).toEqual(['user', 'system', 'IO wait']);
    expect((o.title as { text: string }).text).toBe('web01 · CPU usage');
  });

  it('does not change its input', () => {
    const copy = structuredClone(small);
    serverCpuChart.build(small, zh);
    expect(small).toEqual(copy);
  });

  it('shows the site wall clock: 2026-11-25 00:00 in Asia/Shanghai is x = Date.UTC(2026,10,25,0,0)', () => {
    const o = serverCpuChart.build(
      { server: 's', points: [{ at: shanghai(2026, 11, 25), user: 1, sys: 2, io: 3 }] },
      zh,
    );
    expect(o.useUTC).toBe(true);
    expect(seriesData(o)[0]).toEqual([[Date.UTC(2026, 10, 25, 0, 0), 1]]);
  });

  it('shifts by the offset in force at each instant (daylight saving time)', () => {
    const ny: ChartContext = { lang: 'en', tz: 'America/New_York' };
    const summer = Date.UTC(2026, 6, 1, 16); // 12:00 EDT (UTC-4)
    const winter = Date.UTC(2026, 11, 1, 17); // 12:00 EST (UTC-5)
    const o = serverCpuChart.build(
      {
        server: 's',
        points: [
          { at: summer, user: 1, sys: 1, io: 1 },
          { at: winter, user: 2, sys: 2, io: 2 },
        ],
      },
      ny,
    );
    expect(seriesData(o)[0]).toEqual([
      [Date.UTC(2026, 6, 1, 12), 1],
      [Date.UTC(2026, 11, 1, 12), 2],
    ]);
  });

  it('returns the no-data option for no points', () => {
    expectNoData(
      serverCpuChart.build({ server: 'web01', points: [] }, zh),
      '暂无数据',
      'web01 · CPU 使用率',
    );
    expectNoData(
      serverCpuChart.build({ server: 'web01', points: [] }, en),
      'No data',
      'web01 · CPU usage',
    );
  });

  it('returns the no-data option when every value is NaN or the time is not a number', () => {
    const o = serverCpuChart.build(
      {
        server: 'web01',
        points: [
          { at: t0, user: NaN, sys: NaN, io: NaN },
          { at: NaN, user: 1, sys: 1, io: 1 },
        ],
      },
      zh,
    );
    expectNoData(o, '暂无数据', 'web01 · CPU 使用率');
  });

  it('draws a single point', () => {
    const o = serverCpuChart.build(
      { server: 'web01', points: [{ at: t0, user: 1, sys: 2, io: 3 }] },
      zh,
    );
    expect(seriesData(o)).toEqual([[[X0, 1]], [[X0, 2]], [[X0, 3]]]);
    expect(o.graphic).toBeUndefined();
    expect((o.xAxis as { axisLabel: { formatter: string } }).axisLabel.formatter).toBe('{HH}:{mm}');
    expect(renderSvg(o)).toContain('<svg');
  });

  it('uses hours up to a two-day span and month-day beyond', () => {
    const span = (ms: number) =>
      (
        serverCpuChart.build(
          {
            server: 's',
            points: [
              { at: t0, user: 1, sys: 1, io: 1 },
              { at: t0 + ms, user: 1, sys: 1, io: 1 },
            ],
          },
          zh,
        ).xAxis as { axisLabel: { formatter: string } }
      ).axisLabel.formatter;
    expect(span(2 * 86_400_000)).toBe('{HH}:{mm}');
    expect(span(2 * 86_400_000 + 300_000)).toBe('{MM}-{dd}');
  });

  it('keeps all 8640 points of a month, sampled with LTTB when drawn', () => {
    const points = month().map((at, i) => ({ at, user: i % 50, sys: 5, io: 1 }));
    const o = serverCpuChart.build({ server: 'web01', points }, zh);
    for (const s of seriesOf(o)) {
      expect((s.data as unknown[]).length).toBe(8640);
      expect(s.sampling).toBe('lttb');
      expect(s.showSymbol).toBe(false);
    }
    expect((o.xAxis as { axisLabel: { formatter: string } }).axisLabel.formatter).toBe('{MM}-{dd}');
    const xs = (seriesData(o)[0] as [number, number][]).map(([x]) => x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(xs[8639]).toBe(Date.UTC(2026, 10, 25));
    expectPureJson(o);
    expect(renderSvg(o)).toContain('<svg');
  });

  it('survives a JSON round trip with no function anywhere', () => {
    expectPureJson(serverCpuChart.build(small, zh));
    expectPureJson(serverCpuChart.build(small, en));
    expectPureJson(serverCpuChart.build({ server: 'x', points: [] }, zh));
  });

  it('keeps a server name with template characters as plain title text only', () => {
    const o = serverCpuChart.build({ ...small, server: '{a|b} {value}' }, zh);
    expect((o.title as { text: string }).text).toBe('{a|b} {value} · CPU 使用率');
    expect(JSON.stringify(o.xAxis)).not.toContain('{a|b}');
    expect(JSON.stringify(o.yAxis)).not.toContain('{a|b}');
    expect(renderSvg(o)).toContain('{a|b} {value}');
  });
});
