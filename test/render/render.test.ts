// Tests for in-process chart drawing: PNG format and size, real content, fonts on every text, big series.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCanvas } from '@napi-rs/canvas';
import { SitewatchError } from '../../src/errors';
import { BUNDLED_FAMILY, registerChartFonts } from '../../src/render/fonts';
import { SIZES, renderPng, type RenderSize } from '../../src/render/render';
import { decode, nonWhiteCount, pngHeader } from './pixels';
import { sampleOption } from './sample';

const FAMILY = BUNDLED_FAMILY;

beforeAll(() => {
  registerChartFonts({ family: FAMILY, paths: [] });
});

describe('renderPng', () => {
  it('gives a PNG of size × pixel ratio for each preset size', () => {
    const expected: Record<keyof typeof SIZES, [number, number]> = {
      chat: [1600, 900],
      wide: [2400, 1000],
      square: [1200, 1200],
    };
    for (const [name, size] of Object.entries(SIZES) as [keyof typeof SIZES, RenderSize][]) {
      const h = pngHeader(renderPng(sampleOption, size, FAMILY));
      expect(h.signatureOk).toBe(true);
      expect([h.width, h.height]).toEqual(expected[name]);
    }
  });

  it('draws a real chart on an opaque white background', async () => {
    const t0 = performance.now();
    const png = renderPng(sampleOption, SIZES.chat, FAMILY);
    const ms = performance.now() - t0;
    const px = await decode(png);
    expect([px.width, px.height]).toEqual([1600, 900]);
    const fraction = nonWhiteCount(px) / (px.width * px.height);
    console.log(
      `chat chart: ${png.length} bytes, ${(fraction * 100).toFixed(1)}% non-white, ${ms.toFixed(0)} ms`,
    );
    expect(fraction).toBeGreaterThan(0.03);
    expect(fraction).toBeLessThan(0.6);
    expect([...px.data.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it('draws every text in the chart font, even where ECharts defaults to sans-serif', () => {
    // Instrument the real context (drawing still happens) to see the font of every text drawn.
    const proto = Object.getPrototypeOf(createCanvas(1, 1).getContext('2d')) as {
      fillText: (text: string, x: number, y: number) => void;
      font: string;
    };
    const fillText = proto.fillText;
    const fonts = new Map<string, string>();
    proto.fillText = function (this: typeof proto, text, x, y) {
      fonts.set(text, this.font);
      fillText.call(this, text, x, y);
    };
    try {
      renderPng(
        {
          ...sampleOption,
          legend: { data: ['告警', '恢复'], selector: true },
          series: [
            ...sampleOption.series,
            {
              type: 'bar',
              data: [1, 2, 3, 4, 5],
              label: {
                show: true,
                fontFamily: 'Arial',
                formatter: '{a|值}{c}',
                rich: { a: { fontFamily: 'Courier', color: 'red' } },
              },
            },
            { type: 'heatmap', coordinateSystem: 'calendar', data: [['2026-11-02', 3]] },
          ],
          calendar: { range: '2026-11', left: 500, top: 60, cellSize: 12 },
          visualMap: { min: 0, max: 5, show: false },
          graphic: [{ type: 'text', left: 10, bottom: 10, style: { text: '图形文字' } }],
        },
        SIZES.chat,
        FAMILY,
      );
    } finally {
      proto.fillText = fillText;
    }
    // Title, subtitle, legend items and selector, axis names and labels, series and rich labels,
    // calendar year label, graphic text.
    for (const t of ['局点告警趋势', '北京移动 BJ-CMCC', '告警', 'All', 'Inv', '日期', '11-20']) {
      expect(fonts.has(t)).toBe(true);
    }
    for (const t of ['值', '2026', '图形文字']) expect(fonts.has(t)).toBe(true);
    const others = [...fonts].filter(([, font]) => !font.includes(`"${FAMILY}"`));
    expect(others).toEqual([]);
  });

  it('draws a big series completely (no progressive rendering left for later frames)', async () => {
    // Points on a grid, none overlapping: ten times the points must give about ten times the ink.
    const grid = (n: number) =>
      Array.from({ length: n }, (_, i) => [i % 200, Math.floor(i / 200) * (100 / (n / 200))]);
    const ink = async (n: number) =>
      nonWhiteCount(
        await decode(
          renderPng(
            {
              xAxis: { type: 'value', show: false, max: 200 },
              yAxis: { type: 'value', show: false, max: 100 },
              series: [
                { type: 'scatter', symbolSize: 1, itemStyle: { opacity: 1 }, data: grid(n) },
              ],
            },
            SIZES.chat,
            FAMILY,
          ),
        ),
      );
    const small = await ink(2000); // under ECharts' progressive threshold
    const big = await ink(20000);
    expect(big / small).toBeGreaterThan(6);
  });

  it('refuses a size that is not whole pixels or too large', () => {
    for (const size of [
      { width: 0, height: 450, pixelRatio: 2 },
      { width: 800.5, height: 450, pixelRatio: 2 },
      { width: 800, height: 450, pixelRatio: 0 },
      { width: 5000, height: 450, pixelRatio: 2 },
    ]) {
      expect(() => renderPng(sampleOption, size, FAMILY)).toThrow(SitewatchError);
    }
  });

  it('throws ECharts errors and keeps drawing afterwards', () => {
    expect(() =>
      renderPng(
        {
          calendar: { range: '2026-11' },
          series: [{ type: 'heatmap', coordinateSystem: 'calendar', data: [] }],
        },
        SIZES.chat,
        FAMILY,
      ),
    ).toThrow(/visualMap/);
    expect(pngHeader(renderPng(sampleOption, SIZES.chat, FAMILY)).width).toBe(1600);
  });

  it('draws data-URL images and never fetches others', async () => {
    const red = createCanvas(8, 8);
    const ctx = red.getContext('2d');
    ctx.fillStyle = '#ff0000';
    ctx.fillRect(0, 0, 8, 8);
    const redPixels = async (symbol: string) => {
      const px = await decode(
        renderPng(
          {
            xAxis: { data: ['a', 'b'] },
            yAxis: {},
            series: [
              { type: 'scatter', symbol, symbolSize: 40, itemStyle: { opacity: 1 }, data: [1, 2] },
            ],
          },
          SIZES.chat,
          FAMILY,
        ),
      );
      let n = 0;
      for (let i = 0; i < px.data.length; i += 4) {
        if (px.data[i] > 240 && px.data[i + 1] < 20 && px.data[i + 2] < 20) n++;
      }
      return n;
    };
    // Two 40 px symbols at pixel ratio 2: 2 × 80 × 80 red pixels.
    expect(await redPixels(`image://${red.toDataURL('image/png')}`)).toBeGreaterThan(12000);
    // A server that would hand out the same red image: never asked.
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end(red.toBuffer('image/png'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await redPixels(`image://http://127.0.0.1:${port}/red.png`)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });
});
