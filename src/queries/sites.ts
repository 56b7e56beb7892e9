// Read model: the sites a caller may see, and each site's health (servers reporting, alarms, last ingest).
import type { DataSource } from 'typeorm';
import { Site } from '../../entities';
import { latest, num, placeholders } from './sql';

/** A server with no sample newer than this is stale (停报). */
export const DEFAULT_STALE_AFTER_MS = 15 * 60_000;

/** Who asks, as far as visibility goes. */
export interface Viewer {
  userId: number;
  role: 'admin' | 'operator';
}

/** Enabled sites the viewer may see (admin: all; operator: their user_site sites), by code. */
export async function visibleSites(ds: DataSource, viewer: Viewer): Promise<Site[]> {
  const qb = ds
    .getRepository(Site)
    .createQueryBuilder('s')
    .where('s.enabled = :on', { on: true })
    .orderBy('s.code', 'ASC');
  if (viewer.role !== 'admin') {
    qb.innerJoin('user_site', 'us', 'us.site_id = s.id AND us.user_id = :uid', {
      uid: viewer.userId,
    });
  }
  return qb.getMany();
}

/** The enabled site `code` if the viewer may see it (one indexed lookup), else null. */
export async function visibleSite(
  ds: DataSource,
  viewer: Viewer,
  code: string,
): Promise<Site | null> {
  const qb = ds
    .getRepository(Site)
    .createQueryBuilder('s')
    .where('s.code = :code AND s.enabled = :on', { code, on: true });
  if (viewer.role !== 'admin') {
    qb.innerJoin('user_site', 'us', 'us.site_id = s.id AND us.user_id = :uid', {
      uid: viewer.userId,
    });
  }
  return qb.getOne();
}

export interface SiteHealth {
  site: Site;
  servers: number;
  /** Servers with a sample newer than the stale limit. */
  reporting: number;
  stale: number;
  activeAlarms: number;
  /** Newest sample of any of the site's servers. */
  lastSampleAt: number | null;
  lastIngestAt: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
}

/**
 * When each server of the given sites was last seen: `server.last_seen_at`, which ingest moves
 * forward with every line a server reports (one indexed read per site instead of three
 * newest-sample probes per server).
 */
export async function serverLastSeen(
  ds: DataSource,
  siteIds: readonly number[],
): Promise<{ serverId: number; siteId: number; lastSeenAt: number | null }[]> {
  if (siteIds.length === 0) return [];
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT id, site_id, last_seen_at FROM server WHERE site_id IN (${placeholders(siteIds.length)}) ORDER BY id`,
    [...siteIds],
  );
  return rows.map((r) => ({
    serverId: Number(r.id),
    siteId: Number(r.site_id),
    lastSeenAt: num(r.last_seen_at),
  }));
}

/** Number of active alarms per site id (sites without any are absent). */
export async function activeAlarmCounts(
  ds: DataSource,
  siteIds: readonly number[],
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (siteIds.length === 0) return out;
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT site_id, COUNT(*) AS n FROM alarm
      WHERE state = 'active' AND site_id IN (${placeholders(siteIds.length)}) GROUP BY site_id`,
    [...siteIds],
  );
  for (const r of rows) out.set(Number(r.site_id), Number(r.n));
  return out;
}

/** Health of each given site, in the order given. */
export async function siteHealth(
  ds: DataSource,
  sites: readonly Site[],
  now: number,
  staleAfterMs = DEFAULT_STALE_AFTER_MS,
): Promise<SiteHealth[]> {
  const ids = sites.map((s) => s.id);
  const [servers, alarms] = await Promise.all([
    serverLastSeen(ds, ids),
    activeAlarmCounts(ds, ids),
  ]);
  const bySite = new Map<number, typeof servers>();
  for (const s of servers) bySite.set(s.siteId, [...(bySite.get(s.siteId) ?? []), s]);
  return sites.map((site) => {
    const mine = bySite.get(site.id) ?? [];
    const reporting = mine.filter(
      (s) => s.lastSeenAt !== null && now - s.lastSeenAt <= staleAfterMs,
    ).length;
    return {
      site,
      servers: mine.length,
      reporting,
      stale: mine.length - reporting,
      activeAlarms: alarms.get(site.id) ?? 0,
      lastSampleAt: latest(...mine.map((s) => s.lastSeenAt)),
      lastIngestAt: site.lastIngestAt,
      lastSuccessAt: site.lastSuccessAt,
      lastError: site.lastError,
      lastErrorAt: site.lastErrorAt,
    };
  });
}

/** The viewer's sites with their health. */
export async function visibleSitesWithHealth(
  ds: DataSource,
  viewer: Viewer,
  now: number,
  staleAfterMs = DEFAULT_STALE_AFTER_MS,
): Promise<SiteHealth[]> {
  return siteHealth(ds, await visibleSites(ds, viewer), now, staleAfterMs);
}
