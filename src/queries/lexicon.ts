// Read model for the bot's lexicon: the sites and servers one scope (a caller, maybe in a room) may see, and a cheap version of that catalog to know when a cached lexicon is stale.
import type { DataSource } from 'typeorm';
import { placeholders } from './sql';
import { visibleSites, type Viewer } from './sites';

export interface LexiconSite {
  code: string;
  name: string;
  /** IANA zone of the site's days; null: the configured default. */
  zone: string | null;
}

export interface LexiconServer {
  id: number;
  name: string;
  ip: string;
  siteCode: string;
}

/** Everything the lexicon of one scope is built from: only what that scope may see. */
export interface LexiconSource {
  sites: LexiconSite[];
  servers: LexiconServer[];
}

/**
 * The sites `viewer` may see (visibleSites) and, in a room (`roomSiteIds` not null), only the
 * room's sites — the rule of commands/access.ts requestSites — with their servers.
 */
export async function lexiconSource(
  ds: DataSource,
  viewer: Viewer,
  roomSiteIds: readonly number[] | null,
): Promise<LexiconSource> {
  let sites = await visibleSites(ds, viewer);
  if (roomSiteIds) {
    const allowed = new Set(roomSiteIds);
    sites = sites.filter((s) => allowed.has(s.id));
  }
  if (sites.length === 0) return { sites: [], servers: [] };
  const codeById = new Map(sites.map((s) => [s.id, s.code]));
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT id, site_id, name, ip FROM server WHERE site_id IN (${placeholders(sites.length)}) ORDER BY id`,
    sites.map((s) => s.id),
  );
  return {
    sites: sites.map((s) => ({ code: s.code, name: s.name, zone: s.timezone })),
    servers: rows.map((r) => ({
      id: Number(r.id),
      name: String(r.name),
      ip: String(r.ip),
      siteCode: codeById.get(Number(r.site_id))!,
    })),
  };
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/**
 * A fingerprint of what lexicons are built from, in three indexed aggregates: the sites (count,
 * largest id, enabled ids, and the lengths of codes, names and zones, so that most renames show),
 * the servers (count, largest id, lengths of names and IPs), and an operator's site grants. A
 * rename to a name of the same length is not seen: LexiconCache also rebuilds after a maximum age.
 */
export async function lexiconCatalogVersion(ds: DataSource, viewer: Viewer): Promise<string> {
  const [site]: Record<string, unknown>[] = await ds.query(
    `SELECT COUNT(*) AS c, MAX(id) AS m,
            SUM(CASE WHEN enabled = ? THEN id ELSE 0 END) AS e,
            SUM(LENGTH(code) + LENGTH(name) + COALESCE(LENGTH(timezone), 0)) AS l
       FROM site`,
    [1],
  );
  const [server]: Record<string, unknown>[] = await ds.query(
    `SELECT COUNT(*) AS c, MAX(id) AS m, SUM(LENGTH(name) + LENGTH(ip)) AS l FROM server`,
  );
  let grants = '-';
  if (viewer.role !== 'admin') {
    const [g]: Record<string, unknown>[] = await ds.query(
      `SELECT COUNT(*) AS c, SUM(site_id) AS s FROM user_site WHERE user_id = ?`,
      [viewer.userId],
    );
    grants = `${n(g.c)}.${n(g.s)}`;
  }
  return [
    `s${n(site.c)}.${n(site.m)}.${n(site.e)}.${n(site.l)}`,
    `v${n(server.c)}.${n(server.m)}.${n(server.l)}`,
    `g${grants}`,
  ].join('/');
}
