// Shared summary of a series for the cpu / 内存 / 磁盘 commands: latest, average and peak with its time.
import { pct, when } from '../src/present/format';

export interface Valued {
  at: number;
  value: number;
}

/** '最新 12.5%，平均 10.0%，最高 30.0%（2026-11-25 14:00）' of non-empty points (oldest first). */
export function summarise(points: readonly Valued[], tz: string): string {
  const last = points[points.length - 1];
  let peak = points[0];
  let sum = 0;
  for (const p of points) {
    sum += p.value;
    if (p.value > peak.value) peak = p;
  }
  return `最新 ${pct(last.value)}，平均 ${pct(sum / points.length)}，最高 ${pct(peak.value)}（${when(peak.at, tz)}）`;
}
