// Headless Debian chromium for the portal's browser tests: launch flags, a loud failure when it is missing, pixel checks.
import { existsSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { type Browser, type Page, chromium } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_MISSING = `Debian's chromium is not installed at ${CHROMIUM_PATH}: run \`apt-get install -y chromium\` (.ci/run installs it in CI). The browser tests are never skipped.`;

/** Debian's chromium, headless, with nothing that would reach for the network; a fresh profile per launch. */
export async function launchBrowser(): Promise<Browser> {
  // playwright-core downloads no browser of its own: without Debian's build there is nothing to run.
  if (!existsSync(CHROMIUM_PATH)) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export interface PixelStats {
  width: number;
  height: number;
  /** Distinct RGBA colours (alpha-weighted pixels only). */
  colours: number;
  /** Pixels that are neither transparent nor (near) white. */
  inked: number;
}

function statsOf(data: Uint8ClampedArray, width: number, height: number): PixelStats {
  const seen = new Set<number>();
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
    if (a === 0) continue;
    seen.add(((r << 24) | (g << 16) | (b << 8) | a) >>> 0);
    if (r < 240 || g < 240 || b < 240) inked++;
  }
  return { width, height, colours: seen.size, inked };
}

/** Decode a PNG (a screenshot) and count its colours and non-white pixels. */
export async function pngStats(png: Buffer): Promise<PixelStats> {
  const img = await loadImage(png);
  const canvas = createCanvas(img.width, img.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const { data } = ctx.getImageData(0, 0, img.width, img.height);
  return statsOf(data, img.width, img.height);
}

/**
 * What the `<canvas>` inside `selector` shows, read in the page with getImageData and counted
 * there (only the counts cross the wire): the pixels ECharts drew (0 inked: an empty chart).
 */
export async function canvasStats(page: Page, selector: string): Promise<PixelStats> {
  return page.$eval(selector, (host) => {
    const canvas = host.tagName === 'CANVAS' ? host : host.querySelector('canvas');
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error('no <canvas> in the chart element');
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('the chart canvas has no 2d context');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    // The same counting as statsOf (a page function cannot call it).
    const seen = new Set<number>();
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]];
      if (a === 0) continue;
      seen.add(((r << 24) | (g << 16) | (b << 8) | a) >>> 0);
      if (r < 240 || g < 240 || b < 240) inked++;
    }
    return { width: canvas.width, height: canvas.height, colours: seen.size, inked };
  });
}
