// Read model: a site's daily business figures (yesterday against the day before, and a run of days).
import { Between, type DataSource } from 'typeorm';
import { BusinessDaily } from '../../entities';
import { addDays, isoDay } from '../time';
import type { BusinessFigures } from '../types/business-figures';

export interface Figures extends BusinessFigures {
  /** YYYY-MM-DD */
  date: string;
}

export const FIGURE_KEYS = ['sub', 'unsub', 'total', 'calls', 'shows', 'mo', 'mt'] as const;
export type FigureKey = (typeof FIGURE_KEYS)[number];

function figures(b: BusinessDaily): Figures {
  return {
    date: b.statDate,
    sub: b.subUsers,
    unsub: b.unsubUsers,
    total: b.totalUsers,
    calls: b.callTimes,
    shows: b.showTimes,
    mo: b.moTimes,
    mt: b.mtTimes,
  };
}

/** Stored figures of `siteId` for stat dates from..to (YYYY-MM-DD, inclusive), oldest first. */
export async function dailyFiguresBetween(
  ds: DataSource,
  siteId: number,
  from: string,
  to: string,
): Promise<Figures[]> {
  const rows = await ds.getRepository(BusinessDaily).find({
    where: { siteId, statDate: Between(from, to) },
    order: { statDate: 'ASC' },
  });
  return rows.map(figures);
}

/** The last `days` stat dates up to yesterday (in `tz` at `now`), oldest first; missing days are absent. */
export async function dailyFigures(
  ds: DataSource,
  siteId: number,
  days: number,
  now: number,
  tz: string,
): Promise<{ from: string; to: string; days: Figures[] }> {
  const to = addDays(isoDay(now, tz), -1);
  const from = addDays(to, -(days - 1));
  return { from, to, days: await dailyFiguresBetween(ds, siteId, from, to) };
}

/** Yesterday's figures (in `tz` at `now`) and the day before's, for the change. */
export async function yesterdayFigures(
  ds: DataSource,
  siteId: number,
  now: number,
  tz: string,
): Promise<{ date: string; current: Figures | null; previous: Figures | null }> {
  const date = addDays(isoDay(now, tz), -1);
  const before = addDays(date, -1);
  const rows = await dailyFiguresBetween(ds, siteId, before, date);
  return {
    date,
    current: rows.find((r) => r.date === date) ?? null,
    previous: rows.find((r) => r.date === before) ?? null,
  };
}
