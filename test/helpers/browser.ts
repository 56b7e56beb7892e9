// Headless Debian chromium for the portal's browser tests: launch flags, a loud failure when it is missing, pixel checks.
import { existsSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { type Browser, type Page, chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../../scripts/ensure-chromium';

export { CHROMIUM_PATH };

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

/** The characters app.css gives to the bundled Chinese face (its `unicode-range`). */
const CHINESE =
  /[\u2E80-\u2FDF\u3000-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/g;

interface DomNode {
  nodeId: number;
  nodeType: number;
  nodeName: string;
  nodeValue: string;
  attributes?: string[];
  children?: DomNode[];
}

interface PlatformFont {
  familyName: string;
  isCustomFont: boolean;
  glyphCount: number;
}

/**
 * Every rendered element of the page whose own Chinese text chromium did not draw in full from the
 * web font (app.css's @font-face): on a machine without a Chinese font those characters are empty
 * boxes. Read with DevTools' "rendered fonts" (CSS.getPlatformFontsForNode), which reports the
 * fonts that actually drew each element's text, so it sees what a screenshot shows.
 */
export async function missingGlyphs(page: Page): Promise<string[]> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1 })) as { root: DomNode };
    const found: string[] = [];
    const visit = async (node: DomNode): Promise<void> => {
      const kids = node.children ?? [];
      const text = kids
        .filter((k) => k.nodeType === 3)
        .map((k) => k.nodeValue)
        .join('');
      const chinese = text.match(CHINESE)?.length ?? 0;
      if (node.nodeType === 1 && chinese) {
        const { fonts } = (await cdp.send('CSS.getPlatformFontsForNode', {
          nodeId: node.nodeId,
        })) as { fonts: PlatformFont[] };
        // No fonts at all: not rendered (<title>, a JSON <script>, display: none).
        const drawn = fonts.filter((f) => f.isCustomFont).reduce((n, f) => n + f.glyphCount, 0);
        if (fonts.length && drawn < chinese) {
          const attrs = node.attributes ?? [];
          const cls = attrs.findIndex((a, i) => i % 2 === 0 && a === 'class');
          const name = node.nodeName.toLowerCase() + (cls >= 0 ? `.${attrs[cls + 1]}` : '');
          const used = fonts.map((f) => `${f.familyName} ×${f.glyphCount}`).join(', ');
          found.push(`${name} "${text.trim()}": ${drawn} of ${chinese} in the web font (${used})`);
        }
      }
      for (const k of kids) await visit(k);
    };
    await visit(root);
    return found;
  } finally {
    await cdp.detach();
  }
}
