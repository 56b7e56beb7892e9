// Charts as options for a client that draws them (CommandDeps.chartOptions without a renderer): the same options the PNG renderer gets, on both engines.
import { createCommandRegistry } from '../../commands/registry';
import { createCommandRouter } from '../../commands/router';
import type { Reply } from '../../commands/types';
import { describeEachEngine, resetDb } from '../helpers/db';
import { seed, testDeps, type Seeded } from './seed';

const kinds = (r: Reply[]) => r.map((x) => x.kind);

describeEachEngine('chart replies as options', (db) => {
  let s: Seeded;
  beforeAll(async () => {
    await resetDb(db());
    s = await seed(db().ds);
  });

  /** The replies with options, and the options the renderer was given for the same question. */
  async function both(q: string) {
    const opts = testDeps(db().ds, { charts: false });
    opts.deps.chartOptions = true;
    const png = testDeps(db().ds);
    const withOptions = await createCommandRouter(createCommandRegistry(), opts.deps).handle(
      q,
      s.li,
      null,
    );
    const withImages = await createCommandRouter(createCommandRegistry(), png.deps).handle(
      q,
      s.li,
      null,
    );
    return { withOptions, withImages, rendered: png.charts };
  }

  it('answers each chart with its option, name and alt where the renderer would draw a PNG', async () => {
    for (const [q, charts] of [
      ['状态 BJ01', [['status-BJ01', '北京一号 服务器概览（CPU/内存/磁盘）']]],
      ['报表 BJ01 3', [['report-BJ01-3d', '北京一号 近 3 天业务趋势']]],
      [
        '服务器 10.0.0.1',
        [
          ['cpu-app01', 'app01 近 24 小时 CPU 使用率'],
          ['mem-app01', 'app01 近 24 小时内存使用'],
        ],
      ],
      ['cpu 10.0.0.1 2', [['cpu-app01-2h', 'app01 近 2 小时 CPU 使用率']]],
      ['内存 10.0.0.1', [['mem-app01-24h', 'app01 近 24 小时内存使用']]],
      ['磁盘 10.0.0.1', [['disk-app01-24h', 'app01 近 24 小时磁盘使用率']]],
    ] as const) {
      const { withOptions, withImages, rendered } = await both(q);
      // the same texts, a chart reply in place of each image
      expect(withOptions.filter((r) => r.kind === 'text')).toEqual(
        withImages.filter((r) => r.kind === 'text'),
      );
      expect([q, kinds(withOptions)]).toEqual([
        q,
        kinds(withImages).map((k) => (k === 'image' ? 'chart' : k)),
      ]);
      const got = withOptions.filter((r) => r.kind === 'chart');
      expect([q, got.map((c) => [c.name, c.alt])]).toEqual([q, charts]);
      // exactly the options the PNG renderer draws
      expect(got.map((c) => c.option)).toEqual(rendered);
    }
  });

  it('the site overview option names its servers', async () => {
    const { withOptions } = await both('状态 BJ01');
    const chart = withOptions.find((r) => r.kind === 'chart');
    expect(chart?.kind === 'chart' && JSON.stringify(chart.option)).toContain('服务器概览');
    expect(chart?.kind === 'chart' && (chart.option.xAxis as { data: unknown[] }).data).toEqual([
      'app01',
      'app02',
      { value: 'db01 (停报)', textStyle: { color: '#bbbbbb' } },
    ]);
  });

  it('neither images nor options without a renderer when options are not asked for', async () => {
    for (const chartOptions of [undefined, false]) {
      const plain = testDeps(db().ds, { charts: false });
      plain.deps.chartOptions = chartOptions;
      const router = createCommandRouter(createCommandRegistry(), plain.deps);
      for (const q of ['状态 BJ01', '服务器 10.0.0.1', 'cpu 10.0.0.1', '报表 BJ01'])
        expect([q, kinds(await router.handle(q, s.li, null))]).toEqual([q, ['text']]);
    }
  });
});
