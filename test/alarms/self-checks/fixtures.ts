// Fixtures of the capacity and business self-check tests: a site, a server, hourly memory and disk samples of a given shape, daily figures.
import type { DataSource, EntityManager } from 'typeorm';
import { Alarm, BusinessDaily, DiskSample, MemSample, Server, type Site } from '../../../entities';
import { addSite } from '../../../src/admin/sites';
import { createSelfAlarms } from '../../../src/alarms/self-alarms';
import { silentLogger } from '../../../src/log';
import type { AlarmChange } from '../../../src/types/alarm-change';
import type { Figures } from '../../../src/queries/business';
import { addDays } from '../../../src/time';
import type { BusinessFigures } from '../../../src/types/business-figures';
import { testConfig } from '../../helpers/db';

export const HOUR = 3_600_000;
/** 2026-12-06 02:00 in Asia/Shanghai (2026-12-05 18:00 UTC). */
export const NOW = Date.UTC(2026, 11, 5, 18);
/** Bytes of every test disk and memory: a percent point is 10,000,000 bytes. */
export const TOTAL = 1_000_000_000;
const bytes = (pct: number) => Math.round(pct * (TOTAL / 100));

export async function siteWithServer(
  ds: DataSource,
  code = 'BJ01',
): Promise<{ site: Site; server: Server }> {
  const site = await addSite(
    ds,
    { code, name: `局点${code}`, baseUrl: `http://${code.toLowerCase()}` },
    NOW - 30 * 24 * HOUR,
  );
  const repo = ds.getRepository(Server);
  const server = await repo.save(
    repo.create({
      siteId: site.id,
      name: 'db01',
      ip: '10.0.0.1',
      firstSeenAt: NOW - 30 * 24 * HOUR,
      lastSeenAt: NOW,
    }),
  );
  return { site, server };
}

/** Hourly samples of a mount at hours `from`…`to` (hours relative to NOW), use `f(h)`. */
export async function disk(
  ds: DataSource,
  serverId: number,
  mount: string,
  from: number,
  to: number,
  f: (h: number) => number,
): Promise<void> {
  const rows: Partial<DiskSample>[] = [];
  for (let h = from; h <= to; h++)
    rows.push({
      serverId,
      sampledAt: NOW + h * HOUR,
      mount,
      usedBytes: bytes(f(h)),
      totalBytes: TOTAL,
    });
  for (let i = 0; i < rows.length; i += 50)
    await ds.getRepository(DiskSample).insert(rows.slice(i, i + 50));
}

/** Hourly memory samples at hours `from`…`to` (relative to NOW), use `f(h)`. */
export async function mem(
  ds: DataSource,
  serverId: number,
  from: number,
  to: number,
  f: (h: number) => number,
): Promise<void> {
  const rows: Partial<MemSample>[] = [];
  for (let h = from; h <= to; h++) {
    const used = bytes(f(h));
    rows.push({
      serverId,
      sampledAt: NOW + h * HOUR,
      usedBytes: used,
      freeBytes: TOTAL - used,
      bufferBytes: 0,
      totalBytes: TOTAL,
    });
  }
  for (let i = 0; i < rows.length; i += 50)
    await ds.getRepository(MemSample).insert(rows.slice(i, i + 50));
}

/** Self alarms over `ds` recording the changes of alarm `name` (the site's other self alarms are not these tests' subject). */
export function runner(ds: DataSource, name: string, selfAlarms: Record<string, unknown> = {}) {
  const changes: AlarmChange[][] = [];
  const inTransaction: boolean[] = [];
  const sa = createSelfAlarms({
    ds,
    config: testConfig({ selfAlarms }),
    log: silentLogger,
    notify: async (em: EntityManager, list: AlarmChange[]) => {
      const mine = list.filter((c) => c.name === name);
      if (mine.length === 0) return;
      changes.push(mine);
      inTransaction.push(em.queryRunner?.isTransactionActive === true);
    },
  });
  return { run: (now: number) => sa.run(now), changes, inTransaction };
}

/** The alarm rows of `name`, oldest first. */
export async function alarmsOf(ds: DataSource, name: string) {
  const rows = await ds.getRepository(Alarm).find({ where: { name }, order: { id: 'ASC' } });
  return rows.map((a) => ({
    node: a.node,
    description: a.description,
    state: a.state,
    raisedAt: Number(a.raisedAt),
    resumedAt: a.resumedAt === null ? null : Number(a.resumedAt),
    lastSeenAt: Number(a.lastSeenAt),
  }));
}

/** A site's usual day: opens, closes, calls, pushes, MO and MT (total users follow opens − closes). */
export const USUAL: Omit<BusinessFigures, 'total'> = {
  sub: 4051,
  unsub: 1000,
  calls: 52_000,
  shows: 40_000,
  mo: 148_000,
  mt: 150_000,
};
/** Day-to-day wobble, on a 5-day cycle from 2026-10-28 so that no weekday repeats one value. */
const WOBBLE = [0, 0.01, -0.01, 0.02, -0.02];
const dayNo = (date: string) => Date.parse(`${date}T00:00:00Z`) / (24 * HOUR);

/**
 * Daily figures for stat days from..to (YYYY-MM-DD): the usual ones with their wobble, `over` a
 * day's own; total users start at 1,000,000 and follow opens − closes unless given.
 */
export function figureRows(
  from: string,
  to: string,
  over: Record<string, Partial<BusinessFigures>> = {},
): Figures[] {
  const out: Figures[] = [];
  let total = 1_000_000;
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const w = 1 + WOBBLE[(((dayNo(date) - dayNo('2026-10-28')) % 5) + 5) % 5];
    const day = Object.fromEntries(
      Object.entries(USUAL).map(([k, v]) => [k, Math.round(v * w)]),
    ) as Omit<BusinessFigures, 'total'>;
    const f = { ...day, total: total + day.sub - day.unsub, ...over[date] };
    total = f.total;
    out.push({ date, ...f });
  }
  return out;
}

/** Stores `rows` as the site's daily figures. */
export async function insertFigures(
  ds: DataSource,
  siteId: number,
  rows: readonly Figures[],
): Promise<void> {
  await ds.getRepository(BusinessDaily).insert(
    rows.map((r) => ({
      siteId,
      statDate: r.date,
      subUsers: r.sub,
      unsubUsers: r.unsub,
      totalUsers: r.total,
      callTimes: r.calls,
      showTimes: r.shows,
      moTimes: r.mo,
      mtTimes: r.mt,
      recordedAt: NOW,
      updatedAt: NOW,
    })),
  );
}
