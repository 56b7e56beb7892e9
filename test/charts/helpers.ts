// Shared checks of the chart tests: pure-JSON options, series and graphic access, SSR rendering, time fixtures.
import * as echarts from 'echarts';
import type { ChartOption } from '../../src/types/chart-option';

export type Obj = Record<string, unknown>;

/** Paths of every function (or undefined, which JSON drops) inside `v`. */
export function nonJsonPaths(v: unknown, path = '$', out: string[] = []): string[] {
  if (typeof v === 'function') out.push(`${path} (function)`);
  else if (v === undefined) out.push(`${path} (undefined)`);
  else if (typeof v === 'number' && !Number.isFinite(v)) out.push(`${path} (${v})`);
  else if (Array.isArray(v)) v.forEach((x, i) => nonJsonPaths(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) nonJsonPaths(x, `${path}.${k}`, out);
  }
  return out;
}

/** The option survives JSON unchanged and holds no function anywhere. */
export function expectPureJson(o: ChartOption): void {
  expect(nonJsonPaths(o)).toEqual([]);
  expect(JSON.parse(JSON.stringify(o))).toEqual(o);
}

export function seriesOf(o: ChartOption): Obj[] {
  return o.series as Obj[];
}

export function seriesNames(o: ChartOption): string[] {
  return seriesOf(o).map((s) => s.name as string);
}

export function seriesData(o: ChartOption): unknown[][] {
  return seriesOf(o).map((s) => s.data as unknown[]);
}

/** Texts of the top-level graphic elements. */
export function graphicTexts(o: ChartOption): string[] {
  const g = o.graphic as { elements?: { style?: { text?: string } }[] } | undefined;
  return (g?.elements ?? []).map((e) => e.style?.text ?? '');
}

/** Main title text (the first entry when `title` is a list). */
export function mainTitle(o: ChartOption): string {
  const t = (Array.isArray(o.title) ? o.title[0] : o.title) as Obj;
  return t.text as string;
}

/** The empty-input option: title kept, a centered "no data" graphic, no series data. */
export function expectNoData(o: ChartOption, text: string, title: string): void {
  expect(mainTitle(o)).toBe(title);
  expect(o.graphic).toEqual({
    elements: [
      expect.objectContaining({
        type: 'text',
        left: 'center',
        top: 'middle',
        style: expect.objectContaining({ text }),
      }),
    ],
  });
  expect(seriesData(o).every((d) => d.length === 0)).toBe(true);
  expect(o.animation).toBe(false);
  expect(o.backgroundColor).toBe('#ffffff');
  expectPureJson(o);
}

/** Draw the option with ECharts (server-side SVG) and return the SVG text. */
export function renderSvg(o: ChartOption, width = 900, height = 600): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(o);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The instant at which the wall clock of Asia/Shanghai (UTC+8, no DST) shows the given time. */
export function shanghai(y: number, mo: number, d: number, h = 0, mi = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi) - 8 * 3_600_000;
}

export const FIVE_MINUTES = 300_000;

/** 30 days of 5-minute instants (8640) ending at `end`. */
export function month(end = shanghai(2026, 11, 25)): number[] {
  return Array.from({ length: 8640 }, (_, i) => end - (8639 - i) * FIVE_MINUTES);
}
