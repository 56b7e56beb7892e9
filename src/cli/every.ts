// "--every 5m" -> a node-cron expression firing on wall-clock boundaries (so all agents sample together).
import { SitewatchError } from '../errors';

export function cronForEvery(every: string): string {
  const m = /^(\d+)\s*(s|m|h)$/.exec(every.trim());
  const n = m ? Number(m[1]) : NaN;
  const unit = m?.[2];
  const fits = (max: number) => n >= 1 && n <= max && max % n === 0;
  if (unit === 's' && fits(60)) return n === 60 ? '* * * * *' : `*/${n} * * * * *`;
  if (unit === 'm' && fits(60)) return n === 60 ? '0 * * * *' : `*/${n} * * * *`;
  if (unit === 'h' && fits(24)) return n === 24 ? '0 0 * * *' : `0 */${n} * * *`;
  throw new SitewatchError(
    'USAGE',
    `--every "${every}" must be seconds, minutes or hours that divide a minute, hour or day evenly (30s, 5m, 1h).`,
  );
}

/** Milliseconds of an "--every" value, for loops that are not cron-driven. */
export function msForEvery(every: string): number {
  cronForEvery(every);
  const m = /^(\d+)\s*(s|m|h)$/.exec(every.trim())!;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}
