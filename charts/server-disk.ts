// Chart "server-disk": one line per mount of a server, the used percentage of the file system over time.
import type { ChartOption } from '../src/types/chart-option';
import {
  isNum,
  label,
  percentAxis,
  sortedPoints,
  timePairs,
  timeSeriesOption,
  titleText,
} from './common';
import type { ChartBuilder, ChartContext } from './types';

export interface ServerDiskData {
  server: string;
  mounts: { mount: string; points: { at: number; usedBytes: number; totalBytes: number }[] }[];
}

/** Used share in percent, clamped to 0–100; null without a positive total. */
function usedPct(usedBytes: number, totalBytes: number): number | null {
  if (!isNum(usedBytes) || !isNum(totalBytes) || totalBytes <= 0) return null;
  return Math.min(100, Math.max(0, (usedBytes / totalBytes) * 100));
}

export const serverDiskChart: ChartBuilder<ServerDiskData, 'server-disk'> = {
  name: 'server-disk',
  build(data: ServerDiskData, ctx: ChartContext): ChartOption {
    const title = titleText(data.server, label('diskTitle', ctx.lang));
    const mounts = (data.mounts ?? []).map((m) => ({
      name: String(m.mount),
      points: sortedPoints(m.points),
    }));
    const layers = mounts.map((m) => ({
      name: m.name,
      data: timePairs(m.points, ctx.tz, (p) => usedPct(p.usedBytes, p.totalBytes)),
    }));
    return timeSeriesOption(title, ctx, layers, percentAxis());
  },
};
