// Tests of the "server-mem" chart: used + buffer/cache stacked under the total, one binary unit per chart, empty and huge inputs.
import { FONT_FAMILY } from '../../charts/common';
import { serverMemChart, type ServerMemData } from '../../charts/server-mem';
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
const GiB = 2 ** 30;

const t0 = shanghai(2026, 11, 25, 8, 0);
const t1 = shanghai(2026, 11, 25, 8, 5);
const X0 = Date.UTC(2026, 10, 25, 8, 0);
const X1 = Date.UTC(2026, 10, 25, 8, 5);

const small: ServerMemData = {
  server: 'db01',
  points: [
    { at: t1, usedBytes: 1.234 * GiB, bufferBytes: 3.25 * GiB, totalBytes: 16 * GiB },
    { at: t0, usedBytes: 9.5 * GiB, bufferBytes: NaN, totalBytes: 16 * GiB },
  ],
};

/** Axis unit and the scaled total for a chart whose largest value is `bytes`. */
function unitFor(bytes: number): { name: unknown; total: unknown } {
  const o = serverMemChart.build(
    { server: 's', points: [{ at: t0, usedBytes: 0, bufferBytes: 0, totalBytes: bytes }] },
    zh,
  );
  return { name: (o.yAxis as { name: unknown }).name, total: seriesData(o)[2][0] };
}

describe('server-mem', () => {
  it('is named server-mem', () => {
    expect(serverMemChart.name).toBe('server-mem');
  });

  it('builds the exact option for a small dataset (zh), in GiB', () => {
    const line = { type: 'line', sampling: 'lttb', showSymbol: false };
    expect(serverMemChart.build(small, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: 'db01 · 内存使用', left: 'center', top: 8, textStyle: { fontSize: 16 } },
      tooltip: { trigger: 'axis' },
      useUTC: true,
      legend: { top: 36, left: 'center' },
      grid: { left: 56, right: 32, top: 80, bottom: 40 },
      xAxis: {
        type: 'time',
        axisLabel: { formatter: '{HH}:{mm}', hideOverlap: true },
        splitLine: { show: false },
      },
      yAxis: { type: 'value', min: 0, name: 'GiB' },
      series: [
        {
          ...line,
          name: '已用',
          stack: 'mem',
          areaStyle: {},
          data: [
            [X0, 9.5],
            [X1, 1.23],
          ],
        },
        { ...line, name: '缓冲/缓存', stack: 'mem', areaStyle: {}, data: [[X1, 3.25]] },
        {
          ...line,
          name: '总量',
          data: [
            [X0, 16],
            [X1, 16],
          ],
        },
      ],
    });
  });

  it('names series in English', () => {
    const o = serverMemChart.build(small, en);
    expect(seriesNames(o)).toEqual(['used', 'buffer/cache', 'total']);
    expect((o.title as { text: string }).text).toBe('db01 · Memory usage');
    expect((o.yAxis as { name: string }).name).toBe('GiB');
  });

  it('picks one unit from the largest value, at the 1024 boundaries', () => {
    expect(unitFor(1023)).toEqual({ name: 'B', total: [Date.UTC(2026, 10, 25, 8), 1023] });
    expect(unitFor(1024)).toEqual({ name: 'KiB', total: [Date.UTC(2026, 10, 25, 8), 1] });
    expect(unitFor(1024 ** 2 - 1).name).toBe('KiB');
    expect(unitFor(1024 ** 2).name).toBe('MiB');
    expect(unitFor(1024 ** 3 - 1).name).toBe('MiB');
    expect(unitFor(1024 ** 3).name).toBe('GiB');
    expect(unitFor(1024 ** 4 - 1).name).toBe('GiB');
    expect(unitFor(1.5 * 1024 ** 4)).toEqual({
      name: 'TiB',
      total: [Date.UTC(2026, 10, 25, 8), 1.5],
    });
    // Nothing larger than TiB.
    expect(unitFor(2048 * 1024 ** 4)).toEqual({
      name: 'TiB',
      total: [Date.UTC(2026, 10, 25, 8), 2048],
    });
  });

  it('scales every series with the same unit (small used shown in the total unit)', () => {
    const o = serverMemChart.build(
      {
        server: 's',
        points: [
          { at: t0, usedBytes: 512 * 2 ** 20, bufferBytes: 5 * 2 ** 20, totalBytes: 2 * GiB },
        ],
      },
      zh,
    );
    expect((o.yAxis as { name: string }).name).toBe('GiB');
    expect(seriesData(o).map((d) => (d[0] as number[])[1])).toEqual([0.5, 0, 2]);
  });

  it('puts the site wall clock on the x axis', () => {
    const o = serverMemChart.build(
      {
        server: 's',
        points: [{ at: shanghai(2026, 11, 25), usedBytes: 1, bufferBytes: 1, totalBytes: 2 }],
      },
      zh,
    );
    expect(o.useUTC).toBe(true);
    expect((seriesData(o)[0][0] as number[])[0]).toBe(Date.UTC(2026, 10, 25, 0, 0));
  });

  it('returns the no-data option for no points', () => {
    expectNoData(
      serverMemChart.build({ server: 'db01', points: [] }, zh),
      '暂无数据',
      'db01 · 内存使用',
    );
    expectNoData(
      serverMemChart.build({ server: 'db01', points: [] }, en),
      'No data',
      'db01 · Memory usage',
    );
  });

  it('draws a single point', () => {
    const o = serverMemChart.build(
      {
        server: 'db01',
        points: [{ at: t0, usedBytes: GiB, bufferBytes: GiB, totalBytes: 4 * GiB }],
      },
      zh,
    );
    expect(seriesData(o)).toEqual([[[X0, 1]], [[X0, 1]], [[X0, 4]]]);
    expect(renderSvg(o)).toContain('GiB');
  });

  it('keeps all 8640 points of a month, sampled with LTTB when drawn', () => {
    const points = month().map((at, i) => ({
      at,
      usedBytes: (8 + (i % 100) / 100) * GiB,
      bufferBytes: 2 * GiB,
      totalBytes: 16 * GiB,
    }));
    const o = serverMemChart.build({ server: 'db01', points }, zh);
    for (const s of seriesOf(o)) {
      expect((s.data as unknown[]).length).toBe(8640);
      expect(s.sampling).toBe('lttb');
      expect(s.showSymbol).toBe(false);
    }
    expect((o.xAxis as { axisLabel: { formatter: string } }).axisLabel.formatter).toBe('{MM}-{dd}');
    expectPureJson(o);
    expect(renderSvg(o)).toContain('<svg');
  });

  it('survives a JSON round trip with no function anywhere', () => {
    expectPureJson(serverMemChart.build(small, zh));
    expectPureJson(serverMemChart.build(small, en));
    expectPureJson(serverMemChart.build({ server: 'x', points: [] }, en));
  });
});
