// Self check SW_DISK_FILLING: a server mount over selfAlarms.diskFillPercent whose 7-day trend fills it within diskFillDays.
import type { DataSource } from 'typeorm';
import { hourlyDiskUse } from '../../queries/capacity';
import { formatInstant } from '../../time';
import { DAY, DEFAULT_WINDOW_MS, type Forecast, forecastFull, shortInstant } from '../forecast';
import { clip } from './shared';
import type { SelfAlarmsConfig, SelfCheck } from './types';

/** Width of the alarm's node column. */
const NODE_MAX = 128;

export interface DiskFillRisk {
  siteId: number;
  serverId: number;
  server: string;
  mount: string;
  /** The newest hourly maximum, percent. */
  current: number;
  slopePerDay: number;
  /** When the trend reaches 100 %. */
  fullAt: number;
}

/** The 7-day forecast of when a disk series reaches 100 % (null without enough history). */
export function diskForecast(
  points: readonly { at: number; pct: number }[],
  now: number,
): Forecast | null {
  return forecastFull(points, now, { levels: [100] });
}

/**
 * Every mount of the sites (or of one server of them) over diskFillPercent that its trend fills
 * within diskFillDays, by server id and mount.
 */
export async function diskFillRisks(
  ds: DataSource,
  scope: { siteIds: readonly number[]; serverId?: number },
  cfg: Pick<SelfAlarmsConfig, 'diskFillPercent' | 'diskFillDays'>,
  now: number,
): Promise<DiskFillRisk[]> {
  if (scope.siteIds.length === 0) return [];
  const series = await hourlyDiskUse(ds, scope, now - DEFAULT_WINDOW_MS, now);
  const out: DiskFillRisk[] = [];
  for (const s of series) {
    const f = diskForecast(s.points, now);
    const fullAt = f?.levels[0].at;
    if (!f || fullAt === undefined || fullAt === 'never') continue;
    if (!(f.current > cfg.diskFillPercent) || fullAt - now > cfg.diskFillDays * DAY) continue;
    out.push({
      siteId: s.siteId,
      serverId: s.serverId,
      server: s.server,
      mount: s.mount ?? '',
      current: f.current,
      slopePerDay: f.slopePerDay,
      fullAt,
    });
  }
  return out;
}

/** '+3.1%' a day: the slope's words. */
export const perDay = (slopePerDay: number) =>
  `约每天 ${slopePerDay >= 0 ? '+' : '-'}${Math.abs(slopePerDay).toFixed(1)}%`;

/** '/data 82%，约每天 +3.1%，预计 12-08 14:00 写满' in zone `tz`. */
export function diskFillText(
  r: Omit<DiskFillRisk, 'siteId' | 'serverId' | 'server'>,
  tz: string,
): string {
  return `${r.mount} ${Math.round(r.current)}%，${perDay(r.slopePerDay)}，预计 ${shortInstant(formatInstant(r.fullAt, tz))} 写满`;
}

export const diskFillingCheck: SelfCheck<'SW_DISK_FILLING'> = {
  name: 'SW_DISK_FILLING',
  async evaluate(input, cfg, now) {
    if (input.sites.length === 0) return [];
    const siteIds = input.sites.map((s) => s.id);
    const risks = await diskFillRisks(input.ds, { siteIds }, cfg, now);
    const sites = new Map(input.sites.map((s) => [s.id, s]));
    return risks.flatMap((r) => {
      const site = sites.get(r.siteId);
      if (!site) return [];
      return [
        {
          siteId: r.siteId,
          name: 'SW_DISK_FILLING' as const,
          node: clip(`${r.server}:${r.mount}`, NODE_MAX),
          description: clip(diskFillText(r, input.tzOf(site)), 1024),
          // Full within a day leaves no time to wait for office hours.
          ...(r.fullAt - now < DAY ? { severity: 'critical' as const } : {}),
        },
      ];
    });
  },
};
