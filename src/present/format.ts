// Formats shared by the chat commands, the notifications and the portal: numbers, percentages, changes, durations, sites and their times.
import type { Config } from '../../config/schema';
import type { Site } from '../../entities';
import { formatInstant } from '../time';

// One formatter for every count: toLocaleString would build a new one per call.
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Thousands separators: 1234567 → '1,234,567'. */
export function count(n: number): string {
  return COUNT.format(n);
}

/** One decimal and a percent sign, or '—' when unknown. */
export function pct(v: number | null): string {
  return v === null ? '—' : `${v.toFixed(1)}%`;
}

/** Change from `prev` to `cur`: '+12 (+3.4%)', '-5 (-1.0%)', '0 (0.0%)'; no ratio when prev is 0. */
export function change(cur: number, prev: number): string {
  const d = cur - prev;
  const sign = d > 0 ? '+' : d < 0 ? '-' : '';
  const abs = `${sign}${count(Math.abs(d))}`;
  if (prev === 0) return abs;
  const r = (d / prev) * 100;
  const rs = r > 0 ? '+' : r < 0 ? '-' : '';
  return `${abs} (${rs}${Math.abs(r).toFixed(1)}%)`;
}

/** A duration for people: '45分', '2小时5分', '3天4小时'. */
export function duration(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  const days = Math.floor(min / 1440);
  const hours = Math.floor((min % 1440) / 60);
  const mins = min % 60;
  if (days > 0) return hours > 0 ? `${days}天${hours}小时` : `${days}天`;
  if (hours > 0) return mins > 0 ? `${hours}小时${mins}分` : `${hours}小时`;
  return `${mins}分`;
}

/** The zone a site's times are shown in. */
export function siteZone(site: Pick<Site, 'timezone'>, config: Config): string {
  return site.timezone ?? config.timezone;
}

/** 'YYYY-MM-DD HH:MM' in `tz`, or '—' when unknown. */
export function when(ms: number | null, tz: string): string {
  return ms === null ? '—' : formatInstant(ms, tz);
}

/** 'name（code）' */
export function siteLabel(site: Pick<Site, 'code' | 'name'>): string {
  return `${site.name}（${site.code}）`;
}

/** One line of the site list: 'code name'. */
export function siteItem(site: Pick<Site, 'code' | 'name'>): string {
  return `${site.code} ${site.name}`;
}

/** Gibibytes with one decimal. */
export function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)}G`;
}
