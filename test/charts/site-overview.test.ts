// Tests of the "site-overview" chart: grouped cpu/mem/disk bars per server, stale servers greyed and labelled, nulls as no bar.
import { FONT_FAMILY, STALE_COLOR } from '../../charts/common';
import { siteOverviewChart, type SiteOverviewData } from '../../charts/site-overview';
import type { ChartContext } from '../../charts/types';
import { expectNoData, expectPureJson, renderSvg, seriesData, seriesNames } from './helpers';

const zh: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };
const en: ChartContext = { lang: 'en', tz: 'Asia/Shanghai' };
const grey = (value: number) => ({ value, itemStyle: { color: STALE_COLOR } });

const small: SiteOverviewData = {
  site: '北京移动',
  servers: [
    { name: 'web01', cpuPct: 12.344, memPct: 50, diskPct: null, stale: false },
    { name: 'db01', cpuPct: 80, memPct: NaN, diskPct: 70.006, stale: true },
  ],
};

describe('site-overview', () => {
  it('is named site-overview', () => {
    expect(siteOverviewChart.name).toBe('site-overview');
  });

  it('builds the exact option for a small dataset (zh)', () => {
    expect(siteOverviewChart.build(small, zh)).toEqual({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: '北京移动 · 服务器概览', left: 'center', top: 8, textStyle: { fontSize: 16 } },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 36, left: 'center' },
      grid: { left: 56, right: 32, top: 80, bottom: 40 },
      xAxis: {
        type: 'category',
        data: ['web01', { value: 'db01 (停报)', textStyle: { color: STALE_COLOR } }],
        axisLabel: { interval: 0, rotate: 0 },
      },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: [
        { type: 'bar', name: 'CPU', data: [12.34, grey(80)] },
        { type: 'bar', name: '内存', data: [50, null] },
        { type: 'bar', name: '磁盘', data: [null, grey(70.01)] },
      ],
    });
  });

  it('labels and names in English', () => {
    const o = siteOverviewChart.build(small, en);
    expect(seriesNames(o)).toEqual(['CPU', 'memory', 'disk']);
    expect((o.xAxis as { data: unknown[] }).data).toEqual([
      'web01',
      { value: 'db01 (stale)', textStyle: { color: STALE_COLOR } },
    ]);
    expect((o.title as { text: string }).text).toBe('北京移动 · Server overview');
  });

  it('greys every bar of a stale server and no bar of a fresh one', () => {
    const o = siteOverviewChart.build(
      {
        site: 's',
        servers: [
          { name: 'a', cpuPct: 1, memPct: 2, diskPct: 3, stale: true },
          { name: 'b', cpuPct: 4, memPct: 5, diskPct: 6, stale: false },
        ],
      },
      zh,
    );
    expect(seriesData(o)).toEqual([
      [grey(1), 4],
      [grey(2), 5],
      [grey(3), 6],
    ]);
  });

  it('draws nulls as no bar (null in the data, for stale servers too)', () => {
    const o = siteOverviewChart.build(
      {
        site: 's',
        servers: [{ name: 'a', cpuPct: null, memPct: null, diskPct: null, stale: true }],
      },
      zh,
    );
    expect(seriesData(o)).toEqual([[null], [null], [null]]);
    expect(renderSvg(o)).toContain('a (停报)');
  });

  it('returns the no-data option for no servers', () => {
    expectNoData(
      siteOverviewChart.build({ site: '北京移动', servers: [] }, zh),
      '暂无数据',
      '北京移动 · 服务器概览',
    );
    expectNoData(
      siteOverviewChart.build({ site: 'BJ', servers: [] }, en),
      'No data',
      'BJ · Server overview',
    );
  });

  it('draws a single server', () => {
    const o = siteOverviewChart.build(
      { site: 's', servers: [{ name: 'only', cpuPct: 5, memPct: 6, diskPct: 7, stale: false }] },
      en,
    );
    expect(seriesData(o)).toEqual([[5], [6], [7]]);
    expect(renderSvg(o)).toContain('only');
  });

  it('keeps every server of a large site, labels rotated', () => {
    const servers = Array.from({ length: 500 }, (_, i) => ({
      name: `srv${i}`,
      cpuPct: i % 100,
      memPct: 50,
      diskPct: 60,
      stale: i % 7 === 0,
    }));
    const o = siteOverviewChart.build({ site: 's', servers }, zh);
    expect(seriesData(o).map((d) => d.length)).toEqual([500, 500, 500]);
    expect((o.xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(30);
    expectPureJson(o);
    expect(renderSvg(o)).toContain('<svg');
  });

  it('rotates long names that would not fit side by side, and makes room for them', () => {
    const servers = Array.from({ length: 8 }, (_, i) => ({
      name: `BJ-CMCC-app0${i + 1}`,
      cpuPct: 10,
      memPct: 20,
      diskPct: 30,
      stale: false,
    }));
    const long = siteOverviewChart.build({ site: 'BJ-CMCC', servers }, zh);
    expect((long.xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(30);
    expect(long.grid).toEqual({ left: 96, right: 32, top: 80, bottom: 110 });
    const short = siteOverviewChart.build({ site: 'S', servers: servers.slice(0, 3) }, zh);
    expect((short.xAxis as { axisLabel: { rotate: number } }).axisLabel.rotate).toBe(0);
    expect(short.grid).toEqual({ left: 56, right: 32, top: 80, bottom: 40 });
  });

  it('keeps server names with template characters as category data only', () => {
    const o = siteOverviewChart.build(
      {
        site: 's',
        servers: [{ name: '{a|b}{value}', cpuPct: 1, memPct: 1, diskPct: 1, stale: false }],
      },
      zh,
    );
    expect((o.xAxis as { data: unknown[] }).data).toEqual(['{a|b}{value}']);
    expect(JSON.stringify([o.yAxis, o.tooltip, o.legend, o.series])).not.toContain('{a|b}');
    expect(renderSvg(o)).toContain('{a|b}{value}');
  });

  it('survives a JSON round trip with no function anywhere', () => {
    expectPureJson(siteOverviewChart.build(small, zh));
    expectPureJson(siteOverviewChart.build(small, en));
    expectPureJson(siteOverviewChart.build({ site: 's', servers: [] }, zh));
  });
});
