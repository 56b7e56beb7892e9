// Rules every registered chart builder follows: pure JSON from plain data, an explicit "no data" for empty input, drawn by ECharts SSR.
import { type ChartDataByName, type ChartName, createChartRegistry } from '../../charts/registry';
import type { ChartBuilder, ChartContext, Lang } from '../../charts/types';
import { expectNoData, expectPureJson, mainTitle, renderSvg, shanghai } from './helpers';

const AT = shanghai(2026, 11, 25, 8);
const HOUR = 3_600_000;
const GIB = 1024 ** 3;
const hours = (n: number) => Array.from({ length: n }, (_, i) => AT + i * HOUR);

/** Plain data for every registered chart; the type makes a new chart add its sample here. */
const SAMPLES: { [N in ChartName]: ChartDataByName[N] } = {
  'server-cpu': {
    server: 'app01',
    points: hours(6).map((at, i) => ({ at, user: 10 + i, sys: 5, io: i % 2 })),
  },
  'server-mem': {
    server: 'app01',
    points: hours(6).map((at, i) => ({
      at,
      usedBytes: (4 + i) * GIB,
      bufferBytes: GIB,
      totalBytes: 16 * GIB,
    })),
  },
  'server-disk': {
    server: 'app01',
    mounts: ['/', '/data'].map((mount, m) => ({
      mount,
      points: hours(6).map((at, i) => ({
        at,
        usedBytes: (10 + m * 20 + i) * GIB,
        totalBytes: 100 * GIB,
      })),
    })),
  },
  'site-overview': {
    site: '北京一号',
    servers: [
      { name: 'app01', cpuPct: 12.5, memPct: 40, diskPct: 70, stale: false },
      { name: 'db01', cpuPct: null, memPct: null, diskPct: 91, stale: true },
    ],
  },
  'business-trend': {
    site: '北京一号',
    days: ['2026-11-23', '2026-11-24', '2026-11-25'].map((date, i) => ({
      date,
      sub: 10 + i,
      unsub: 3,
      total: 12_000 + i * 7,
      calls: 50_000,
      shows: 40_000,
      mo: 900,
      mt: 1200 + i,
    })),
  },
  'alarm-counts': {
    site: '北京一号',
    perDay: [
      { date: '2026-11-24', count: 3 },
      { date: '2026-11-25', count: 1 },
    ],
    perNode: Array.from({ length: 12 }, (_, i) => ({ node: `node${i}`, count: 12 - i })),
  },
  comparison: {
    subject: '2026-11-24',
    columns: ['北京一号', '上海移动'],
    groups: [
      { label: '开通', values: [140, 100] },
      { label: '调用', values: [54_000, null] },
    ],
  },
  ranking: {
    subject: 'CPU',
    percent: true,
    items: [
      { name: 'app01（上海移动）', value: 80 },
      { name: 'db01（北京一号）', value: 45, stale: true },
      { name: 'app01（北京一号）', value: 15 },
    ],
  },
};

const NO_DATA: Record<Lang, string> = { zh: '暂无数据', en: 'No data' };
const contexts: ChartContext[] = [
  { lang: 'zh', tz: 'Asia/Shanghai' },
  { lang: 'en', tz: 'UTC' },
];

/** The same data with every list in it emptied: what a chart gets when there is nothing to show. */
function emptied(v: unknown): unknown {
  if (Array.isArray(v)) return [];
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, emptied(x)]));
  }
  return v;
}

const builders: readonly ChartBuilder<unknown>[] = createChartRegistry().list();
const sampleOf = (name: string): unknown => (SAMPLES as Record<string, unknown>)[name];

describe('chart samples', () => {
  it('cover exactly the registered charts', () => {
    // A builder typed without its name literal would make ChartName plain string (tsc fails here).
    const namesAreLiteral: string extends ChartName ? never : true = true;
    expect(namesAreLiteral).toBe(true);
    expect(Object.keys(SAMPLES).sort()).toEqual(builders.map((b) => b.name).sort());
  });
});

describe.each(builders.map((b) => [b.name, b] as const))('chart %s', (name, builder) => {
  describe.each(contexts)('in $lang', (ctx) => {
    it('is pure: the same data gives an equal option, of plain JSON, and the data is left alone', () => {
      const data = sampleOf(name);
      const before = structuredClone(data);
      const first = builder.build(data, ctx);
      expect(data).toEqual(before);
      expect(builder.build(structuredClone(before), ctx)).toEqual(first);
      expect(builder.build(data, ctx)).toEqual(first);
      expectPureJson(first);
      expect(JSON.stringify(first)).not.toContain(NO_DATA[ctx.lang]);
    });

    it(`says "no data" in words for empty input`, () => {
      const o = builder.build(emptied(sampleOf(name)), ctx);
      expectNoData(o, NO_DATA[ctx.lang], mainTitle(o));
      expect(mainTitle(o).length).toBeGreaterThan(0);
    });

    it('is drawn by ECharts server-side rendering, with or without data', () => {
      const full = renderSvg(builder.build(sampleOf(name), ctx));
      expect(full).toMatch(/^<svg[\s>]/);
      expect(full).toContain(mainTitle(builder.build(sampleOf(name), ctx)));
      expect(renderSvg(builder.build(emptied(sampleOf(name)), ctx))).toContain(NO_DATA[ctx.lang]);
    });
  });
});
