// Tests of the "server-disk" chart: one used-percent line per mount, mount names only as data, empty and huge inputs.
import { FONT_FAMILY } from '../../charts/common';
import { serverDiskChart, type ServerDiskData } from '../../charts/server-disk';
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
const t2 = shanghai(2026, 11, 25, 8, 10);
const X0 = Date.UTC(2026, 10, 25, 8, 0);
const X1 = Date.UTC(2026, 10, 25, 8, 5);

const small: ServerDiskData = {
  server: 'app01',
  mounts: [
    {
      mount: '/',
      points: [
        { at: t1, usedBytes: GiB, totalBytes: 3 * GiB },
        { at: t0, usedBytes: 25 * GiB, totalBytes: 100 * GiB },
        { at: t2, usedBytes: 1, totalBytes: 0 }, // no total: left out
      ],
    },
    {
      mount: '/data',
      points: [
        { at: t0, usedBytes: 120, totalBytes: 100 }, // more than full: drawn at 100
        { at: t1, usedBytes: NaN, totalBytes: 100 },
      ],
    },
  ],
};

describe('server-disk', () => {
  it('is named server-disk', () => {
    expect(serverDiskChart.name).toBe('server-disk');
  });

  it('builds the exact option for a small dataset (zh)', () => {
    const line = { type: 'line', sampling: 'lttb', showSymbol: false };
    expect(serverDiskChart.build(small, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: 'app01 · 磁盘使用率', left: 'center', top: 8, textStyle: { fontSize: 16 } },
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
          ...line,
          name: '/',
          data: [
            [X0, 25],
            [X1, 33.33],
          ],
        },
        { ...line, name: '/data', data: [[X0, 100]] },
      ],
    });
  });

  it('uses the mount names as legend and series names in both languages', () => {
    expect(seriesNames(serverDiskChart.build(small, en))).toEqual(['/', '/data']);
    expect((serverDiskChart.build(small, en).title as { text: string }).text).toBe(
      'app01 · Disk usage',
    );
  });

  it('keeps mount names with template characters out of every formatter', () => {
    const o = serverDiskChart.build(
      {
        server: 's',
        mounts: [{ mount: '/{a|b}{value}', points: [{ at: t0, usedBytes: 1, totalBytes: 2 }] }],
      },
      zh,
    );
    expect(seriesNames(o)).toEqual(['/{a|b}{value}']);
    expect(JSON.stringify([o.xAxis, o.yAxis, o.tooltip, o.legend])).not.toContain('{a|b}');
    expect(renderSvg(o)).toContain('/{a|b}{value}');
  });

  it('puts the site wall clock on the x axis', () => {
    const o = serverDiskChart.build(
      {
        server: 's',
        mounts: [
          { mount: '/', points: [{ at: shanghai(2026, 11, 25), usedBytes: 1, totalBytes: 4 }] },
        ],
      },
      zh,
    );
    expect(o.useUTC).toBe(true);
    expect(seriesData(o)[0]).toEqual([[Date.UTC(2026, 10, 25, 0, 0), 25]]);
  });

  it('returns the no-data option for no mounts, or mounts without points', () => {
    expectNoData(
      serverDiskChart.build({ server: 'app01', mounts: [] }, zh),
      '暂无数据',
      'app01 · 磁盘使用率',
    );
    expectNoData(
      serverDiskChart.build({ server: 'app01', mounts: [{ mount: '/', points: [] }] }, en),
      'No data',
      'app01 · Disk usage',
    );
  });

  it('draws a single point', () => {
    const o = serverDiskChart.build(
      { server: 's', mounts: [{ mount: '/', points: [{ at: t0, usedBytes: 1, totalBytes: 8 }] }] },
      zh,
    );
    expect(seriesData(o)).toEqual([[[X0, 12.5]]]);
    expect(renderSvg(o)).toContain('<svg');
  });

  it('keeps all 8640 points of a month per mount, sampled with LTTB when drawn', () => {
    const times = month();
    const o = serverDiskChart.build(
      {
        server: 's',
        mounts: ['/', '/data', '/var'].map((mount, k) => ({
          mount,
          points: times.map((at, i) => ({ at, usedBytes: 10 * k + (i % 40), totalBytes: 100 })),
        })),
      },
      zh,
    );
    expect(seriesOf(o)).toHaveLength(3);
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
    expectPureJson(serverDiskChart.build(small, zh));
    expectPureJson(serverDiskChart.build(small, en));
    expectPureJson(serverDiskChart.build({ server: 'x', mounts: [] }, zh));
  });
});
