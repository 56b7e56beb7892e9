// Tests for the render pool: same PNGs as in-process, concurrency, busy refusals, timeouts, close, event loop.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { SitewatchError } from '../../src/errors';
import {
  ChartRenderError,
  createChartRenderer,
  type ChartRenderer,
} from '../../src/render/chart-renderer';
import { BUNDLED_FAMILY, registerChartFonts } from '../../src/render/fonts';
import { SIZES, renderPng } from '../../src/render/render';
import { decode, nonWhiteCount, pngHeader } from './pixels';
import { sampleOption } from './sample';

const FAMILY = BUNDLED_FAMILY;
const fonts = { fontFamily: FAMILY, fontPaths: [] };

/** A chart that takes seconds to draw (about 2.4 s on a 2-core dev box): 150 000 scatter points. */
const slowOption = {
  xAxis: { type: 'value' },
  yAxis: { type: 'value' },
  series: [
    {
      type: 'scatter',
      symbolSize: 3,
      data: Array.from({ length: 150_000 }, (_, i) => [i % 1000, (i * 7919) % 1000]),
    },
  ],
};
const badOption = {
  calendar: { range: '2026-11' },
  series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: [] }],
};

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('createChartRenderer', () => {
  let renderer: ChartRenderer;

  beforeAll(async () => {
    registerChartFonts({ family: FAMILY, paths: [] });
    renderer = createChartRenderer({ threads: 2, maxQueue: 100, timeoutMs: 20_000, ...fonts });
    await renderer.render(sampleOption); // threads started and warm
  });
  afterAll(() => renderer.close());

  it('draws in a worker thread exactly what renderPng draws in-process', async () => {
    const pooled = await renderer.render(sampleOption);
    const local = renderPng(sampleOption, SIZES.chat, FAMILY);
    expect(Buffer.isBuffer(pooled)).toBe(true);
    expect(pooled.equals(local)).toBe(true);
    const wide = await renderer.render(sampleOption, SIZES.wide);
    expect(pngHeader(wide)).toEqual({ signatureOk: true, width: 2400, height: 1000 });
  });

  it('renders 20 charts at once, all complete', async () => {
    const before = renderer.stats().completed;
    const t0 = performance.now();
    const pngs = await Promise.all(Array.from({ length: 20 }, () => renderer.render(sampleOption)));
    const ms = performance.now() - t0;
    const local = renderPng(sampleOption, SIZES.chat, FAMILY);
    for (const png of pngs) expect(png.equals(local)).toBe(true);
    const px = await decode(pngs[19]);
    expect(nonWhiteCount(px) / (px.width * px.height)).toBeGreaterThan(0.03);
    expect(renderer.stats()).toEqual({ queued: 0, running: 0, completed: before + 20 });
    console.log(
      `pool (2 threads): 20 charts in ${ms.toFixed(0)} ms, ${(ms / 20).toFixed(1)} ms/chart`,
    );
  });

  it('keeps the event loop turning while 20 charts render', async () => {
    // Counted, not timed: a 5 ms timer keeps firing while the pool draws. Drawn on the main thread, each
    // chart would hold the loop for its whole drawing (~60 ms), so the timer could fire at most about once
    // per chart; the absolute delays depend on how busy this shared machine is, so they are only printed.
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const busyDuring: number[] = [];
    const t0 = performance.now();
    const renders = Array.from({ length: 20 }, () => renderer.render(sampleOption));
    busyDuring.push(renderer.stats().queued);
    await Promise.all(renders);
    const ms = performance.now() - t0;
    clearInterval(timer);
    h.disable();
    console.log(
      `event loop while 20 charts render in the pool (${ms.toFixed(0)} ms): ${ticks} ticks of a 5 ms timer, max delay ${(h.max / 1e6).toFixed(1)} ms, p50 ${(h.percentile(50) / 1e6).toFixed(1)} ms`,
    );
    expect(busyDuring[0]).toBeGreaterThan(0); // they really were waiting in the pool
    expect(ticks).toBeGreaterThanOrEqual(3 * 20);
  });

  it('rejects one failing chart with its error while the others render', async () => {
    const results = await Promise.allSettled([
      renderer.render(sampleOption),
      renderer.render(badOption),
      renderer.render(sampleOption),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const err = (results[1] as PromiseRejectedResult).reason as ChartRenderError;
    expect(err).toBeInstanceOf(ChartRenderError);
    expect(err.code).toBe('RENDER_FAILED');
    expect(err.message).toMatch(/^chart render failed: .*visualMap/);
    const bad = await rejection(
      renderer.render(sampleOption, { width: 0, height: 1, pixelRatio: 1 }),
    );
    expect(bad).toBeInstanceOf(SitewatchError);
    expect((bad as SitewatchError).code).toBe('USAGE');
  });

  it('refuses at once when the queue is full, and renders the charts it accepted', async () => {
    const small = createChartRenderer({ threads: 1, maxQueue: 1, timeoutMs: 20_000, ...fonts });
    try {
      const settled: string[] = [];
      const burst = Array.from({ length: 8 }, (_, i) =>
        small.render(sampleOption).then(
          (png) => {
            settled.push(`ok${i}`);
            return png;
          },
          (err: unknown) => {
            settled.push(`busy${i}`);
            throw err;
          },
        ),
      );
      const results = await Promise.allSettled(burst);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(ok.length).toBeGreaterThanOrEqual(1);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const r of refused) {
        const err = r.reason as SitewatchError;
        expect(err).toBeInstanceOf(SitewatchError);
        expect(err.code).toBe('CONFLICT');
        expect(err.message).toBe('chart renderer is busy (1 charts waiting)');
      }
      for (const r of ok) expect(pngHeader(r.value).width).toBe(1600);
      // Refusals came at once, before any accepted chart was drawn.
      expect(settled.slice(0, refused.length).every((s) => s.startsWith('busy'))).toBe(true);
      console.log(
        `burst of 8 on 1 thread, maxQueue 1: ${ok.length} rendered, ${refused.length} refused`,
      );
    } finally {
      await small.close();
    }
  });

  it('times a slow chart out, through the pool, without harming other renders', async () => {
    // The slow chart takes ~12 s to draw; 2 s of budget leaves the replacement thread time to start
    // on a busy machine (its start counts against the next render's budget).
    const pool = createChartRenderer({ threads: 2, maxQueue: 10, timeoutMs: 2000, ...fonts });
    try {
      await pool.render(sampleOption);
      const t0 = performance.now();
      const [slow, other] = await Promise.allSettled([
        pool.render(slowOption),
        pool.render(sampleOption),
      ]);
      const ms = performance.now() - t0;
      expect(other.status).toBe('fulfilled');
      const err = (slow as PromiseRejectedResult).reason as ChartRenderError;
      expect(err).toBeInstanceOf(ChartRenderError);
      expect(err.code).toBe('RENDER_TIMEOUT');
      expect(err.message).toBe('chart render timed out after 2000 ms');
      // Rejected at the deadline, not when the drawing would have ended (~10 s later).
      expect(ms).toBeLessThan(6000);
      // The thread that was drawing it was replaced; the pool keeps rendering.
      const after = await Promise.all([pool.render(sampleOption), pool.render(sampleOption)]);
      for (const png of after) expect(pngHeader(png).width).toBe(1600);
      console.log(`slow chart timed out after ${ms.toFixed(0)} ms; pool rendered afterwards`);
    } finally {
      await pool.close();
    }
  });

  it('finishes running renders on close() and refuses new ones', async () => {
    const pool = createChartRenderer({ threads: 1, maxQueue: 10, timeoutMs: 20_000, ...fonts });
    const running = pool.render(sampleOption);
    await pool.close();
    expect(pngHeader(await running).width).toBe(1600);
    const err = await rejection(pool.render(sampleOption));
    expect(err).toBeInstanceOf(SitewatchError);
    expect(err.message).toBe('chart renderer is closed');
    await pool.close(); // idempotent
  });

  it('fails at creation on a bad font path', () => {
    expect(() =>
      createChartRenderer({
        threads: 1,
        maxQueue: 1,
        timeoutMs: 1000,
        fontFamily: FAMILY,
        fontPaths: ['/nonexistent/font.ttf'],
      }),
    ).toThrow('chart font file not found: /nonexistent/font.ttf');
  });
});
