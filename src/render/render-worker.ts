// Piscina worker entry: draws one chart per task in a worker thread and hands back its PNG bytes.
import { move, workerData } from 'piscina';
import type { ChartOption } from '../types/chart-option';
import { registerChartFonts } from './fonts';
import { renderPng, type RenderSize } from './render';

/** Piscina `workerData` of the render pool: the chart font configuration. */
export interface RenderWorkerData {
  fontFamily: string;
  fontPaths: string[];
}

export interface RenderTask {
  option: ChartOption;
  size: RenderSize;
}

let fontFamily: string | undefined;

/** Registered on the first task rather than at load, so a font error rejects that task clearly. */
function fonts(): string {
  if (fontFamily === undefined) {
    const data = workerData as RenderWorkerData;
    fontFamily = registerChartFonts({ family: data.fontFamily, paths: data.fontPaths }).family;
  }
  return fontFamily;
}

export default function renderTask(task: RenderTask): Uint8Array {
  const png = renderPng(task.option, task.size, fonts());
  // Copied into a plain ArrayBuffer, which is moved to the main thread rather than cloned again
  // (the canvas's own buffer belongs to the native addon).
  const bytes = new Uint8Array(png.byteLength);
  bytes.set(png);
  return move(bytes) as Uint8Array;
}
