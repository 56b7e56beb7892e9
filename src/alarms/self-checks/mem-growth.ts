// Self check SW_MEM_GROWTH: a server's memory over selfAlarms.memGrowthPercent that grew without falling back and reaches 100 % within memGrowthDays.
import type { DataSource } from 'typeorm';
import { hourlyMemUse } from '../../queries/capacity';
import { formatInstant } from '../../time';
import { DAY, DEFAULT_WINDOW_MS, type Forecast, forecastGrowth, shortInstant } from '../forecast';
import { perDay } from './disk-filling';
import { clip } from './shared';
import type { SelfAlarmsConfig, SelfCheck } from './types';

const NODE_MAX = 128;
/** A fall larger than this (percent points) is memory given back: no leak. */
export const MEM_MAX_DROP = 3;

export interface MemGrowthRisk {
  siteId: number;
  serverId: number;
  server: string;
  current: number;
  slopePerDay: number;
  /** When the trend reaches 100 %. */
  fullAt: number;
}

/** The 7-day growth forecast of a memory series: null unless it grows and never fell back. */
export function memForecast(
  points: readonly { at: number; pct: number }[],
  now: number,
): Forecast | null {
  return forecastGrowth(points, now, { levels: [100], maxDrop: MEM_MAX_DROP });
}

/** Every server of the sites whose memory grows past memGrowthPercent towards 100 % within memGrowthDays. */
export async function memGrowthRisks(
  ds: DataSource,
  scope: { siteIds: readonly number[]; serverId?: number },
  cfg: Pick<SelfAlarmsConfig, 'memGrowthPercent' | 'memGrowthDays'>,
  now: number,
): Promise<MemGrowthRisk[]> {
  if (scope.siteIds.length === 0) return [];
  const series = await hourlyMemUse(ds, scope, now - DEFAULT_WINDOW_MS, now);
  const out: MemGrowthRisk[] = [];
  for (const s of series) {
    const f = memForecast(s.points, now);
    const fullAt = f?.levels[0].at;
    if (!f || fullAt === undefined || fullAt === 'never') continue;
    if (!(f.current > cfg.memGrowthPercent) || fullAt - now > cfg.memGrowthDays * DAY) continue;
    out.push({
      siteId: s.siteId,
      serverId: s.serverId,
      server: s.server,
      current: f.current,
      slopePerDay: f.slopePerDay,
      fullAt,
    });
  }
  return out;
}

/** '内存 65%，持续增长未回落，约每天 +5.0%，预计 12-10 08:00 用满' in zone `tz`. */
export function memGrowthText(
  r: Pick<MemGrowthRisk, 'current' | 'slopePerDay' | 'fullAt'>,
  tz: string,
): string {
  return `内存 ${Math.round(r.current)}%，持续增长未回落，${perDay(r.slopePerDay)}，预计 ${shortInstant(formatInstant(r.fullAt, tz))} 用满`;
}

export const memGrowthCheck: SelfCheck<'SW_MEM_GROWTH'> = {
  name: 'SW_MEM_GROWTH',
  async evaluate(input, cfg, now) {
    if (input.sites.length === 0) return [];
    const risks = await memGrowthRisks(
      input.ds,
      { siteIds: input.sites.map((s) => s.id) },
      cfg,
      now,
    );
    const sites = new Map(input.sites.map((s) => [s.id, s]));
    return risks.flatMap((r) => {
      const site = sites.get(r.siteId);
      if (!site) return [];
      return [
        {
          siteId: r.siteId,
          name: 'SW_MEM_GROWTH' as const,
          node: clip(r.server, NODE_MAX),
          description: memGrowthText(r, input.tzOf(site)),
        },
      ];
    });
  },
};
