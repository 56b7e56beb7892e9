// Turns alarm changes into grouped notices (one per site and recipient) in the outbox, inside the change's transaction.
import type { EntityManager } from 'typeorm';
import { type AlarmDict, type Severity, describeAlarm } from '../../config/alarm-dict';
import type { AlarmEvent, AlarmItem, AlarmNotice, NoticeSite } from '../outbox/notices';
import { enqueue, type OutboxEntry } from '../outbox/store';
import { type ConfiguredChannels, type Recipient, siteRecipients } from '../queries/recipients';
import { placeholders } from '../queries/sql';
import type { AlarmChange } from '../types/alarm-change';
import { activeSilences, silenceFor } from './silences';

/** Items kept in one stored notice; channels list fewer (alarms.groupLimit) and count the rest. */
export const MAX_STORED_ITEMS = 500;
/** An alarm that was raised and had recovered more than this long ago is history, not news. */
export const HISTORY_MS = 24 * 3600_000;

export interface AlarmNotifierDeps {
  dict: AlarmDict;
  /** The configured channels, which pick the recipients. */
  recipients: ConfiguredChannels;
  defaultTz: string;
}

interface AlarmMeta {
  source: 'site' | 'sitewatch';
  ackedBy: string | null;
  /** The alarm's own severity, when a check judged it. */
  severity: Severity | null;
}

export interface NoticeDraft {
  site: NoticeSite;
  items: AlarmItem[];
  /** The events the notice reports, e.g. '12:raised'; the dedupe key is made from them. */
  events: string[];
}

/** Site rows for notices, by id. */
export async function noticeSites(
  em: EntityManager,
  ids: number[],
  defaultTz: string,
): Promise<Map<number, NoticeSite>> {
  if (ids.length === 0) return new Map();
  const rows = (await em.query(
    `SELECT id, code, name, timezone FROM site WHERE id IN (${placeholders(ids.length)})`,
    ids,
  )) as { id: number | string; code: string; name: string; timezone: string | null }[];
  return new Map(
    rows.map((r) => [
      Number(r.id),
      { id: Number(r.id), code: r.code, name: r.name, tz: r.timezone ?? defaultTz },
    ]),
  );
}

async function alarmMeta(em: EntityManager, ids: number[]): Promise<Map<number, AlarmMeta>> {
  const out = new Map<number, AlarmMeta>();
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    const rows = (await em.query(
      `SELECT a.id, a.source, a.severity, u.display_name FROM alarm a LEFT JOIN user u ON u.id = a.acked_by
        WHERE a.id IN (${placeholders(batch.length)})`,
      batch,
    )) as {
      id: number | string;
      source: string;
      severity: string | null;
      display_name: string | null;
    }[];
    for (const r of rows)
      out.set(Number(r.id), {
        source: r.source === 'sitewatch' ? 'sitewatch' : 'site',
        ackedBy: r.display_name ?? null,
        severity: severityOf(r.severity),
      });
  }
  return out;
}

/** Queue one notice per site and recipient; the dedupe key covers every event it reports. */
export async function enqueueNotices(
  em: EntityManager,
  drafts: NoticeDraft[],
  recipientsFor: (siteIds: NoticeSite[]) => Promise<Map<number, Recipient[]>>,
  prefix: string,
  now: number,
): Promise<{ notices: number; messages: number }> {
  const nonEmpty = drafts.filter((d) => d.items.length > 0);
  if (nonEmpty.length === 0) return { notices: 0, messages: 0 };
  const recipients = await recipientsFor(nonEmpty.map((d) => d.site));
  const entries: OutboxEntry[] = [];
  for (const d of nonEmpty) {
    const notice: AlarmNotice = {
      kind: 'alarms',
      site: d.site,
      at: now,
      items: d.items.slice(0, MAX_STORED_ITEMS),
      more: Math.max(0, d.items.length - MAX_STORED_ITEMS),
    };
    const event = `${prefix}:${d.site.id}:${[...d.events].sort().join(',')}`;
    for (const r of recipients.get(d.site.id) ?? [])
      entries.push({ ...r, event, siteId: d.site.id, notice });
  }
  const messages = await enqueue(em, entries, now);
  return { notices: nonEmpty.length, messages };
}

export function createAlarmNotifier(deps: AlarmNotifierDeps) {
  const { dict } = deps;

  function item(c: AlarmChange, event: AlarmEvent, meta: AlarmMeta | undefined): AlarmItem {
    const d = describeAlarm(dict, c.name);
    return {
      alarmId: c.alarmId,
      event,
      name: c.name,
      node: c.node,
      description: c.description,
      raisedAt: c.raisedAt,
      resumedAt: c.resumedAt,
      title: d.title,
      severity: meta?.severity ?? d.severity,
      action: d.action,
      source: meta?.source ?? 'site',
      ackedBy: meta?.ackedBy ?? null,
      silencedBy: null,
    };
  }

  return {
    /** The ingest hook: runs in the chunk's transaction, so the notices commit with the alarm changes. */
    async onAlarmChanges(em: EntityManager, changes: AlarmChange[], now: number): Promise<void> {
      if (changes.length === 0) return;
      const siteIds = [...new Set(changes.map((c) => c.siteId))];
      const [sites, meta, silences] = await Promise.all([
        noticeSites(em, siteIds, deps.defaultTz),
        alarmMeta(em, [...new Set(changes.map((c) => c.alarmId))]),
        activeSilences(em, siteIds, now),
      ]);
      // An alarm raised and resolved within one batch is reported once, as resolved (with its duration).
      const resolvedIds = new Set(
        changes.filter((c) => c.change === 'resolved').map((c) => c.alarmId),
      );
      const drafts = new Map<number, NoticeDraft>();
      const raisedIds: number[] = [];
      for (const c of changes) {
        const site = sites.get(c.siteId);
        if (!site) continue;
        if (c.change === 'raised') {
          if (resolvedIds.has(c.alarmId)) continue;
          raisedIds.push(c.alarmId);
        } else if (c.resumedAt !== null && c.resumedAt < now - HISTORY_MS) continue;
        // Silenced alarms stay quiet, their recovery included.
        if (silenceFor(silences, c.siteId, c.name)) continue;
        let d = drafts.get(c.siteId);
        if (!d) drafts.set(c.siteId, (d = { site, items: [], events: [] }));
        d.items.push(item(c, c.change, meta.get(c.alarmId)));
        d.events.push(`${c.alarmId}:${c.change}`);
      }
      // Reminders count from the moment the alarm was first reported (or would have been, if silenced).
      for (let i = 0; i < raisedIds.length; i += 500) {
        const batch = raisedIds.slice(i, i + 500);
        await em.query(
          `UPDATE alarm SET notified_at = ? WHERE notified_at IS NULL AND id IN (${placeholders(batch.length)})`,
          [now, ...batch],
        );
      }
      await enqueueNotices(
        em,
        [...drafts.values()],
        (s) => siteRecipients(em, s, 'alarm', deps.recipients),
        'alarms',
        now,
      );
    },
  };
}

export type AlarmNotifier = ReturnType<typeof createAlarmNotifier>;

const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];

/** A stored severity, or null when there is none (or it is not one Sitewatch knows). */
export function severityOf(v: string | null | undefined): Severity | null {
  return SEVERITIES.includes(v as Severity) ? (v as Severity) : null;
}
