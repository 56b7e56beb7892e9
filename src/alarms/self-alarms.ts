// Sitewatch's own alarms: raised and resolved in the alarm table (source 'sitewatch') through the same notify hook as site alarms.
import type { DataSource, EntityManager } from 'typeorm';
import type { Config } from '../../config/schema';
import { Site } from '../../entities';
import { execute } from '../db/bulk';
import { engineOf } from '../db/data-source';
import { withTransaction } from '../db/tx';
import { describeError } from '../errors';
import { createFormatRegistry } from '../ingest/formats/registry';
import type { FileFormat } from '../ingest/formats/types';
import type { Logger } from '../log';
import { num, placeholders } from '../queries/sql';
import type { AlarmChange } from '../types/alarm-change';
import { type SelfCondition, evaluateSelfChecks } from './self-checks';

export type { SelfAlarmName, SelfCondition } from './self-checks';

export interface SelfAlarmsDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  /** The alarm-change hook (the notifier); runs inside the transaction that changed the alarms. */
  notify: (em: EntityManager, changes: AlarmChange[]) => Promise<void>;
  /** File formats every site is expected to publish; default: every registered format. */
  formats?: FileFormat[];
}

export interface SelfAlarmsResult {
  raised: number;
  resolved: number;
}

export interface SelfAlarms {
  /** Evaluate every enabled site at `now`; raise, refresh and resolve sitewatch alarms. */
  run(now: number): Promise<SelfAlarmsResult>;
}

interface ActiveRow {
  id: number;
  name: string;
  node: string;
  description: string;
  raisedAt: number;
}

const SITE_BATCH = 500;
const ID_BATCH = 500;
const keyOf = (name: string, node: string) => `${name}\u0000${node}`;
// Code-point order, the same on both engines (their collations differ).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function activeRow(r: Record<string, unknown>): ActiveRow {
  return {
    id: Number(r.id),
    name: String(r.name),
    node: String(r.node),
    description: String(r.description),
    raisedAt: num(r.raised_at) ?? 0,
  };
}

const ACTIVE_COLUMNS = 'id, site_id, name, node, description, raised_at';

/** Site ids (of those given) that have an active sitewatch alarm. */
async function sitesWithActive(ds: DataSource, siteIds: number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < siteIds.length; i += SITE_BATCH) {
    const ids = siteIds.slice(i, i + SITE_BATCH);
    const rows: Record<string, unknown>[] = await ds.query(
      `SELECT DISTINCT site_id FROM alarm
        WHERE site_id IN (${placeholders(ids.length)}) AND state = 'active' AND source = 'sitewatch'`,
      ids,
    );
    for (const r of rows) out.add(Number(r.site_id));
  }
  return out;
}

async function updateIds(
  em: EntityManager,
  set: string,
  values: unknown[],
  ids: number[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += ID_BATCH) {
    const batch = ids.slice(i, i + ID_BATCH);
    await em.query(`UPDATE alarm SET ${set} WHERE id IN (${placeholders(batch.length)})`, [
      ...values,
      ...batch,
    ]);
  }
}

export function createSelfAlarms(deps: SelfAlarmsDeps): SelfAlarms {
  const { ds, config, log } = deps;
  const engine = engineOf(ds);
  const formats = createFormatRegistry(deps.formats).list();
  const tzOf = (site: Site) => site.timezone ?? config.timezone;

  /** One site's alarm changes, in one transaction with the notify hook. */
  async function applySite(
    em: EntityManager,
    siteId: number,
    wanted: SelfCondition[],
    now: number,
  ): Promise<SelfAlarmsResult> {
    // Read again inside the transaction: the rows changed here are exactly the ones read here.
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT ${ACTIVE_COLUMNS} FROM alarm
        WHERE site_id = ? AND state = 'active' AND source = 'sitewatch' ORDER BY id`,
      [siteId],
    );
    const active = new Map<string, ActiveRow>();
    const extra: ActiveRow[] = [];
    for (const r of rows.map(activeRow)) {
      const k = keyOf(r.name, r.node);
      // Two active rows for one condition cannot be made here; should one exist, it is resolved.
      if (active.has(k)) extra.push(r);
      else active.set(k, r);
    }
    const raised: AlarmChange[] = [];
    const keep: number[] = [];
    const handled = new Set<string>();
    for (const c of wanted) {
      const k = keyOf(c.name, c.node);
      // Nodes are clipped to the column width, so two long disk mounts may meet in one node.
      if (handled.has(k)) continue;
      handled.add(k);
      const found = active.get(k);
      if (found) {
        keep.push(found.id);
        active.delete(k);
        continue;
      }
      if (c.keepOnly) continue;
      const res = (await execute(
        em,
        `INSERT INTO alarm (site_id, name, node, description, raised_at, resumed_at, state, last_seen_at, source, severity, reminders_sent, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, NULL, 'active', ?, 'sitewatch', ?, 0, ?, ?)`,
        [siteId, c.name, c.node, c.description, now, now, c.severity ?? null, now, now],
      )) as { raw: unknown };
      const alarmId =
        engine === 'mysql' ? Number((res.raw as { insertId: number }).insertId) : Number(res.raw);
      raised.push({
        alarmId,
        siteId,
        change: 'raised',
        name: c.name,
        node: c.node,
        description: c.description,
        raisedAt: now,
        resumedAt: null,
      });
    }
    const gone = [...active.values(), ...extra].sort(
      (a, b) => cmp(a.name, b.name) || cmp(a.node, b.node) || a.id - b.id,
    );
    const resolved: AlarmChange[] = gone.map((a) => ({
      alarmId: a.id,
      siteId,
      change: 'resolved',
      name: a.name,
      node: a.node,
      description: a.description,
      raisedAt: a.raisedAt,
      resumedAt: now,
    }));
    // Still true: only last_seen moves, which is no event.
    await updateIds(em, 'last_seen_at = ?, updated_at = ?', [now, now], keep);
    await updateIds(
      em,
      "state = 'resolved', resumed_at = ?, updated_at = ?",
      [now, now],
      gone.map((a) => a.id),
    );
    const changes = [...raised, ...resolved];
    if (changes.length > 0) await deps.notify(em, changes);
    return { raised: raised.length, resolved: resolved.length };
  }

  return {
    async run(now) {
      const cfg = config.selfAlarms;
      const total: SelfAlarmsResult = { raised: 0, resolved: 0 };
      if (!cfg.enabled) return total;
      const sites = await ds
        .getRepository(Site)
        .find({ where: { enabled: true }, order: { id: 'ASC' } });
      if (sites.length === 0) return total;
      const conditions = await evaluateSelfChecks({ ds, sites, cfg, tzOf, now, formats });
      const wanted = new Map<number, SelfCondition[]>();
      for (const c of conditions) {
        const list = wanted.get(c.siteId);
        if (list) list.push(c);
        else wanted.set(c.siteId, [c]);
      }
      const withActive = await sitesWithActive(
        ds,
        sites.map((s) => s.id),
      );
      const failures: unknown[] = [];
      // One transaction per site: a failure at one site does not hold back the others' notices.
      for (const site of sites) {
        const list = wanted.get(site.id) ?? [];
        // Conditions that only keep an open alarm change nothing at a site that has none.
        if (!withActive.has(site.id) && list.every((c) => c.keepOnly)) continue;
        try {
          const r = await withTransaction(ds, (em) => applySite(em, site.id, list, now));
          total.raised += r.raised;
          total.resolved += r.resolved;
          if (r.raised + r.resolved > 0) {
            log.info({ site: site.code, ...r }, 'self alarms changed');
          }
        } catch (err) {
          failures.push(err);
          log.error({ site: site.code, err: describeError(err) }, 'self alarms failed');
        }
      }
      if (failures.length > 0) throw failures[0];
      return total;
    },
  };
}
