// Tests of the chart registry: all eight builders by name, duplicates rejected, every builder drawn from plain data.
import { serverCpuChart } from '../../charts/server-cpu';
import { buildChart, chartBuilders, createChartRegistry } from '../../charts/registry';
import type { ChartContext } from '../../charts/types';
import { expectPureJson, mainTitle, renderSvg } from './helpers';

const zh: ChartContext = { lang: 'zh', tz: 'Asia/Shanghai' };

describe('chart registry', () => {
  it('lists all eight charts by name', () => {
    const r = createChartRegistry();
    expect(r.list().map((b) => b.name)).toEqual([
      'server-cpu',
      'server-mem',
      'server-disk',
      'site-overview',
      'business-trend',
      'alarm-counts',
      'comparison',
      'ranking',
    ]);
    for (const b of chartBuilders) expect(r.require(b.name)).toBe(b);
    expect(r.require('server-cpu')).toBe(serverCpuChart);
  });

  it('rejects a duplicate name', () => {
    expect(() => createChartRegistry([...chartBuilders, { ...serverCpuChart }])).toThrow(
      new Error('Duplicate chart "server-cpu" in the registry.'),
    );
  });

  it('rejects an unknown name', () => {
    expect(createChartRegistry().get('server-gpu')).toBeUndefined();
    expect(() => createChartRegistry().require('server-gpu')).toThrow(
      new Error('Unknown chart "server-gpu".'),
    );
  });

  it('builds every chart by name from its data type, as pure JSON that ECharts draws', () => {
    const at = Date.UTC(2026, 10, 25);
    const options = [
      buildChart('server-cpu', { server: 'a', points: [{ at, user: 1, sys: 2, io: 3 }] }, zh),
      buildChart(
        'server-mem',
        { server: 'a', points: [{ at, usedBytes: 1, bufferBytes: 1, totalBytes: 4 }] },
        zh,
      ),
      buildChart(
        'server-disk',
        { server: 'a', mounts: [{ mount: '/', points: [{ at, usedBytes: 1, totalBytes: 2 }] }] },
        zh,
      ),
      buildChart(
        'site-overview',
        { site: 's', servers: [{ name: 'a', cpuPct: 1, memPct: 2, diskPct: 3, stale: false }] },
        zh,
      ),
      buildChart(
        'business-trend',
        {
          site: 's',
          days: [
            { date: '2026-11-25', sub: 1, unsub: 1, total: 1, calls: 1, shows: 1, mo: 1, mt: 1 },
          ],
        },
        zh,
      ),
      buildChart(
        'alarm-counts',
        {
          site: 's',
          perDay: [{ date: '2026-11-25', count: 1 }],
          perNode: [{ node: 'n', count: 1 }],
        },
        zh,
      ),
      buildChart(
        'comparison',
        { subject: 's', columns: ['a', 'b'], groups: [{ label: 'g', values: [1, 2] }] },
        zh,
      ),
      buildChart('ranking', { subject: 's', percent: false, items: [{ name: 'a', value: 1 }] }, zh),
    ];
    for (const o of options) {
      expectPureJson(o);
      expect(renderSvg(o)).toContain(mainTitle(o));
    }
  });
});
