// Test helpers for chart PNGs: header checks and decoded pixels (crops, ink counts, differences).
import { createCanvas, loadImage } from '@napi-rs/canvas';

export interface Pixels {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8ClampedArray;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG signature and the IHDR chunk's width and height (the first chunk, at byte 8). */
export function pngHeader(png: Buffer): { signatureOk: boolean; width: number; height: number } {
  return {
    signatureOk: png.subarray(0, 8).equals(SIGNATURE) && png.toString('latin1', 12, 16) === 'IHDR',
    width: png.readUInt32BE(16),
    height: png.readUInt32BE(20),
  };
}

export async function decode(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  return { width: image.width, height: image.height, data };
}

export function crop(p: Pixels, x: number, y: number, w: number, h: number): Pixels {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let row = 0; row < h; row++) {
    const from = ((y + row) * p.width + x) * 4;
    data.set(p.data.subarray(from, from + w * 4), row * w * 4);
  }
  return { width: w, height: h, data };
}

const luma = (d: Uint8ClampedArray, i: number) =>
  0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];

/** Pixels visibly darker than white (anti-aliasing fringes below the threshold left out). */
export function inkCount(p: Pixels, threshold = 200): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 4) if (luma(p.data, i) < threshold) n++;
  return n;
}

/** Pixels that are not pure white (any colour, any anti-aliasing). */
export function nonWhiteCount(p: Pixels): number {
  let n = 0;
  for (let i = 0; i < p.data.length; i += 4) {
    if (p.data[i] < 255 || p.data[i + 1] < 255 || p.data[i + 2] < 255) n++;
  }
  return n;
}

/** Pixels whose brightness differs by more than `threshold` between two same-sized images. */
export function diffCount(a: Pixels, b: Pixels, threshold = 64): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error('images differ in size');
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (Math.abs(luma(a.data, i) - luma(b.data, i)) > threshold) n++;
  }
  return n;
}
