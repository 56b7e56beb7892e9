// In-process chart drawing: an ECharts option to a PNG, server-side on @napi-rs/canvas (Skia).
import { Image, createCanvas } from '@napi-rs/canvas';
import * as echarts from 'echarts';
import { SitewatchError } from '../errors';
import type { ChartOption } from '../types/chart-option';

/** CSS-pixel size of a chart and the device pixel ratio it is drawn at (PNG = size × ratio). */
export interface RenderSize {
  width: number;
  height: number;
  pixelRatio: number;
}

export const SIZES = {
  /** A chart in a chat message: 1600×900 PNG. */
  chat: { width: 800, height: 450, pixelRatio: 2 },
  /** Long time ranges (daily report, month trends): 2400×1000 PNG. */
  wide: { width: 1200, height: 500, pixelRatio: 2 },
  /** Pies, gauges, small overviews: 1200×1200 PNG. */
  square: { width: 600, height: 600, pixelRatio: 2 },
} as const satisfies Record<string, RenderSize>;

/** Largest PNG side drawn, in device pixels: a guard against a size that would exhaust memory. */
const MAX_SIDE = 8192;

type Tree = Record<string, unknown>;
// echarts' platform typings name DOM types this DOM-less project does not have.
type Platform = Parameters<typeof echarts.setPlatformAPI>[0];
type CanvasLike = NonNullable<Platform['createCanvas']> extends () => infer C ? C : never;
type ImageLike = NonNullable<Platform['loadImage']> extends (...a: never[]) => infer I ? I : never;
type DomLike = Parameters<typeof echarts.init>[0];

/** An image from a base64 data URL, decoded at once (a Buffer source loads synchronously). */
function dataUrlImage(src: string): Image | null {
  const head = /^data:image\/[\w+.-]+;base64,/.exec(src);
  if (!head) return null;
  const image = new Image();
  image.src = Buffer.from(src.slice(head[0].length), 'base64');
  return image.width > 0 && image.height > 0 ? image : null;
}

// ECharts' recommended server-side set-up for a Node canvas: zrender creates its extra canvases
// (layers, text measurement) through this platform API. Without it zrender cannot measure text
// in the real font and estimates widths from a fixed table, so labels are laid out wrongly.
echarts.setPlatformAPI({
  createCanvas: () => createCanvas(1, 1) as unknown as CanvasLike,
  // zrender's default calls the browser's `new Image()` (absent in Node) and expects the load to
  // finish after the draw, too late for a PNG taken at once. Data-URL images are decoded now;
  // anything else (http:, file paths) is never fetched and draws as a transparent pixel. The load
  // callback, which expects the image as `this`, releases zrender's bookkeeping of the request.
  loadImage: (src: string, onload: () => void) => {
    const image = dataUrlImage(src) ?? createCanvas(1, 1);
    queueMicrotask(() => onload.call(image));
    return image as unknown as ImageLike;
  },
});

function isTree(v: unknown): v is Tree {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A component option may be one object or an array of them. */
function eachComponent(option: Tree, key: string, fn: (c: Tree) => void): void {
  const v = option[key];
  for (const c of Array.isArray(v) ? v : [v]) if (isTree(c)) fn(c);
}

function setFont(parent: Tree, key: string, family: string): void {
  const v = parent[key];
  parent[key] = { ...(isTree(v) ? v : {}), fontFamily: family };
}

/**
 * A copy of the option in which every text names `family`: all explicit fontFamily values
 * (series labels, rich text, axis names…) are replaced; the global textStyle, which title, legend,
 * axis labels and series labels inherit, is set; so are the places whose own defaults say
 * 'sans-serif' and would not inherit (legend selector, calendar labels, graphic text).
 */
function withFont(value: unknown, family: string): unknown {
  if (Array.isArray(value)) return value.map((v) => withFont(v, family));
  if (!isTree(value)) return value;
  const out: Tree = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = k === 'fontFamily' ? family : withFont(v, family);
  }
  // graphic component text: zrender would fall back to 'sans-serif'.
  if (out.type === 'text' && isTree(out.style)) out.style = { ...out.style, fontFamily: family };
  return out;
}

function prepareOption(option: ChartOption, family: string): Tree {
  const o = withFont(option, family) as Tree;
  setFont(o, 'textStyle', family);
  eachComponent(o, 'title', (t) => {
    setFont(t, 'textStyle', family);
    setFont(t, 'subtextStyle', family);
  });
  eachComponent(o, 'legend', (l) => {
    setFont(l, 'textStyle', family);
    setFont(l, 'selectorLabel', family);
  });
  eachComponent(o, 'calendar', (c) => {
    for (const k of ['yearLabel', 'monthLabel', 'dayLabel']) setFont(c, k, family);
  });
  // Progressive rendering draws big series over later animation frames, after the PNG was taken.
  eachComponent(o, 'series', (s) => {
    s.progressive = 0;
  });
  o.animation = false;
  o.backgroundColor ??= '#ffffff';
  return o;
}

/** Throws a SitewatchError (USAGE) unless the size is whole CSS pixels and of a drawable size. */
export function checkRenderSize(size: RenderSize): void {
  const { width, height, pixelRatio } = size;
  const ok =
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    width > 0 &&
    height > 0 &&
    Number.isFinite(pixelRatio) &&
    pixelRatio > 0 &&
    Math.max(width, height) * pixelRatio <= MAX_SIDE;
  if (!ok) {
    throw new SitewatchError(
      'USAGE',
      `invalid chart size ${width}x${height} @${pixelRatio}x (whole CSS pixels, at most ${MAX_SIDE} device pixels a side)`,
    );
  }
}

/**
 * Draws one chart and returns its PNG: white background (unless the option sets one), no
 * animation, every text in `fontFamily` (which must be registered: see registerChartFonts).
 * Synchronous and CPU-bound (tens of milliseconds): the hub calls it through the worker pool.
 */
export function renderPng(option: ChartOption, size: RenderSize, fontFamily: string): Buffer {
  checkRenderSize(size);
  const canvas = createCanvas(size.width, size.height);
  let chart: echarts.ECharts | undefined;
  try {
    chart = echarts.init(canvas as unknown as DomLike, null, {
      renderer: 'canvas',
      devicePixelRatio: size.pixelRatio,
      width: size.width,
      height: size.height,
    });
    // setOption lays out and paints synchronously (it flushes zrender before returning).
    chart.setOption(prepareOption(option, fontFamily) as echarts.EChartsCoreOption);
    return canvas.toBuffer('image/png');
  } finally {
    chart?.dispose();
  }
}
