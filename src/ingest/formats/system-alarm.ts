// system_alarm_YYYYmmdd.txt: alarms keyed by (site, name, node, alarm_time); a resume time resolves one.
import type { EntityManager } from 'typeorm';
import { insertIgnore, updateById } from '../../db/bulk';
import type { AlarmChange } from '../../types/alarm-change';
import { LineError, checkName, checkText, clip } from '../values';
import type { FileFormat, ParseContext, StoreContext, StoreCounts } from './types';

export interface AlarmRecord {
  name: string;
  node: string;
  description: string;
  raisedAt: number;
  resumedAt: number | null;
  recordedAt: number;
}

export function parseSystemAlarm(f: string[], ctx: ParseContext): AlarmRecord {
  if (f.length < 7) throw new LineError(`expected 7 fields, found ${f.length}`);
  if (f[0] !== ctx.siteCode) {
    checkName(f[0], 'site_id');
    throw new LineError(`site_id "${clip(f[0])}" does not belong to site "${ctx.siteCode}"`);
  }
  const name = f[1];
  const node = f[2];
  if (!name || name.length > 128)
    throw new LineError('alarm_name is empty or longer than 128 characters');
  if (!node || node.length > 128)
    throw new LineError('alarm_node is empty or longer than 128 characters');
  checkName(name, 'alarm_name');
  checkName(node, 'alarm_node');
  // A description may itself contain '|': everything between node and the three times belongs to it.
  const description = checkText(f.slice(3, f.length - 3).join('|'), 'alarm_desc').slice(0, 1024);
  const raisedAt = ctx.time(f[f.length - 3], 'alarm_time');
  const resumeRaw = f[f.length - 2];
  const resumedAt = resumeRaw === '' ? null : ctx.time(resumeRaw, 'alarm_resume_time');
  if (resumedAt !== null && resumedAt < raisedAt) {
    throw new LineError('alarm_resume_time is before alarm_time');
  }
  const recordedAt = ctx.time(f[f.length - 1], 'record_time');
  return { name, node, description, raisedAt, resumedAt, recordedAt };
}

interface Existing {
  id: number;
  name: string;
  node: string;
  raised_at: number | string;
  resumed_at: number | string | null;
  state: string;
  last_seen_at: number | string;
}

function changeOf(
  r: AlarmRecord,
  alarmId: number,
  siteId: number,
  change: AlarmChange['change'],
): AlarmChange {
  const { name, node, description, raisedAt } = r;
  const resumedAt = change === 'raised' ? null : r.resumedAt;
  return { alarmId, siteId, change, name, node, description, raisedAt, resumedAt };
}

/** The columns a site alarm row is written with (ingest, and the benchmarks' seeds), in order. */
export const ALARM_COLUMNS = [
  'site_id',
  'name',
  'node',
  'description',
  'raised_at',
  'resumed_at',
  'state',
  'last_seen_at',
  'created_at',
  'updated_at',
];

const keyOf = (name: string, node: string, raisedAt: number) =>
  `${name}\u0000${node}\u0000${raisedAt}`;

async function loadExisting(
  em: EntityManager,
  siteId: number,
  recs: AlarmRecord[],
): Promise<Map<string, Existing>> {
  const out = new Map<string, Existing>();
  for (let i = 0; i < recs.length; i += 200) {
    const batch = recs.slice(i, i + 200);
    const params: unknown[] = [siteId];
    const cond = batch
      .map((r) => {
        params.push(r.name, r.node, r.raisedAt);
        return '(name = ? AND node = ? AND raised_at = ?)';
      })
      .join(' OR ');
    const rows = (await em.query(
      `SELECT id, name, node, raised_at, resumed_at, state, last_seen_at FROM alarm WHERE site_id = ? AND (${cond})`,
      params,
    )) as Existing[];
    for (const r of rows) out.set(keyOf(r.name, r.node, Number(r.raised_at)), r);
  }
  return out;
}

export async function storeSystemAlarm(
  records: AlarmRecord[],
  ctx: StoreContext,
): Promise<StoreCounts> {
  const { em, site, now } = ctx;
  // Within a chunk, merge lines of the same alarm: the resume time wins, the newest record_time is kept.
  const merged = new Map<string, AlarmRecord>();
  for (const r of records) {
    const k = keyOf(r.name, r.node, r.raisedAt);
    const prev = merged.get(k);
    if (!prev) merged.set(k, { ...r });
    else {
      prev.resumedAt = prev.resumedAt ?? r.resumedAt;
      if (r.recordedAt >= prev.recordedAt) {
        prev.recordedAt = r.recordedAt;
        prev.description = r.description || prev.description;
      }
    }
  }
  const recs = [...merged.values()];
  const existing = await loadExisting(em, site.id, recs);
  // Written in batches (new alarms in multi-row INSERTs, their ids read back by key; updates by id in
  // CASE statements): a file listing thousands of alarms costs a few statements, not one per alarm.
  const fresh = recs.filter((r) => !existing.has(keyOf(r.name, r.node, r.raisedAt)));
  await insertIgnore(
    em,
    ctx.engine,
    'alarm',
    ALARM_COLUMNS,
    fresh.map((r) => [
      site.id,
      r.name,
      r.node,
      r.description,
      r.raisedAt,
      r.resumedAt,
      r.resumedAt === null ? 'active' : 'resolved',
      r.recordedAt,
      now,
      now,
    ]),
  );
  const freshIds = fresh.length ? await loadExisting(em, site.id, fresh) : new Map();
  const changes: AlarmChange[] = [];
  const resolved: unknown[][] = [];
  const seen: unknown[][] = [];
  for (const r of recs) {
    const k = keyOf(r.name, r.node, r.raisedAt);
    const e = existing.get(k);
    if (!e) {
      const id = Number(freshIds.get(k)?.id);
      changes.push(changeOf(r, id, site.id, 'raised'));
      if (r.resumedAt !== null) changes.push(changeOf(r, id, site.id, 'resolved'));
    } else if (e.resumed_at === null && r.resumedAt !== null) {
      resolved.push([
        e.id,
        r.resumedAt,
        'resolved',
        Math.max(r.recordedAt, Number(e.last_seen_at)),
        now,
      ]);
      changes.push(changeOf(r, Number(e.id), site.id, 'resolved'));
    } else if (r.recordedAt > Number(e.last_seen_at)) {
      // Still listed: refresh last_seen so the alarm does not go stale; not a new event.
      seen.push([e.id, r.recordedAt, e.state === 'stale' ? 'active' : e.state, now]);
    }
  }
  await updateById(em, 'alarm', ['resumed_at', 'state', 'last_seen_at', 'updated_at'], resolved);
  await updateById(em, 'alarm', ['last_seen_at', 'state', 'updated_at'], seen);
  const inserted = fresh.length;
  const updated = resolved.length;
  if (changes.length > 0 && ctx.hooks.onAlarmChanges) await ctx.hooks.onAlarmChanges(em, changes);
  return { inserted, duplicate: records.length - inserted - updated, updated };
}

export const systemAlarm: FileFormat<AlarmRecord> = {
  name: 'system_alarm',
  dir: 'sys_alarm',
  headerField: 'site_id',
  parse: parseSystemAlarm,
  store: storeSystemAlarm,
};
