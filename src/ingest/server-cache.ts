// Per-site map of server name -> row, registering servers the first time a file mentions them.
import type { EntityManager } from 'typeorm';
import { Server } from '../../entities';
import type { Engine } from '../db/data-source';
import { insertIgnore } from '../db/bulk';

export interface ServerState {
  id: number;
  ip: string;
  lastSeenAt: number | null;
}

export interface ServerCache {
  /** Ids for these servers, registering new ones (within the caller's transaction). */
  resolve(
    em: EntityManager,
    engine: Engine,
    seen: Map<string, { ip: string; at: number }>,
  ): Promise<Map<string, ServerState>>;
  /** Forget everything: a rolled-back transaction may have registered rows that no longer exist. */
  invalidate(): void;
}

export function createServerCache(siteId: number): ServerCache {
  let byName: Map<string, ServerState> | null = null;

  async function load(em: EntityManager): Promise<Map<string, ServerState>> {
    const rows = await em.getRepository(Server).find({ where: { siteId } });
    return new Map(rows.map((r) => [r.name, { id: r.id, ip: r.ip, lastSeenAt: r.lastSeenAt }]));
  }

  return {
    invalidate() {
      byName = null;
    },
    async resolve(em, engine, seen) {
      if (!byName) byName = await load(em);
      const missing = [...seen.entries()].filter(([name]) => !byName!.has(name));
      if (missing.length > 0) {
        await insertIgnore(
          em,
          engine,
          'server',
          ['site_id', 'name', 'ip', 'first_seen_at', 'last_seen_at'],
          missing.map(([name, s]) => [siteId, name, s.ip, s.at, null]),
        );
        byName = await load(em);
      }
      return byName;
    },
  };
}
