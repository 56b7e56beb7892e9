// Reminders for alarms still open (not acknowledged, not silenced), then one escalation to the admins.
import type { DataSource, EntityManager } from 'typeorm';
import { type AlarmDict, describeAlarm } from '../../config/alarm-dict';
import { execute } from '../db/bulk';
import { affectedRows } from '../db/dialect';
import { withTransaction } from '../db/tx';
import type { AlarmItem, NoticeSite } from '../outbox/notices';
import { adminRecipients, type ConfiguredChannels, siteRecipients } from '../queries/recipients';
import { placeholders } from '../queries/sql';
import { enqueueNotices, type NoticeDraft, noticeSites, severityOf } from './notifier';
import { activeSilences, silenceFor } from './silences';

export interface ReminderDeps {
  ds: DataSource;
  dict: AlarmDict;
  recipients: ConfiguredChannels;
  defaultTz: string;
  everyMs: number;
  maxReminders: number;
}

interface DueRow {
  id: number | string;
  site_id: number | string;
  name: string;
  node: string;
  description: string;
  raised_at: number | string;
  source: string;
  severity: string | null;
  reminders_sent: number | string;
}

export interface ReminderResult {
  reminded: number;
  escalated: number;
  messages: number;
}

export function createReminders(deps: ReminderDeps) {
  async function forSite(
    em: EntityManager,
    site: NoticeSite,
    rows: DueRow[],
    now: number,
    result: ReminderResult,
  ): Promise<void> {
    const silences = await activeSilences(em, [site.id], now);
    const reminders: NoticeDraft = { site, items: [], events: [] };
    const escalations: NoticeDraft = { site, items: [], events: [] };
    const remindedIds: number[] = [];
    const escalatedIds: number[] = [];
    for (const r of rows) {
      // A silence postpones reminders; the interval counts again once it ends.
      if (silenceFor(silences, site.id, r.name)) continue;
      const d = describeAlarm(deps.dict, r.name);
      const sent = Number(r.reminders_sent);
      const escalate = sent >= deps.maxReminders;
      const item: AlarmItem = {
        alarmId: Number(r.id),
        event: escalate ? 'escalated' : 'reminder',
        name: r.name,
        node: r.node,
        description: r.description,
        raisedAt: Number(r.raised_at),
        resumedAt: null,
        title: d.title,
        severity: severityOf(r.severity) ?? d.severity,
        action: d.action,
        source: r.source === 'sitewatch' ? 'sitewatch' : 'site',
        ackedBy: null,
        silencedBy: null,
        ...(escalate ? { reminder: sent } : { reminder: sent + 1 }),
      };
      const draft = escalate ? escalations : reminders;
      draft.items.push(item);
      draft.events.push(
        escalate ? `${item.alarmId}:escalated` : `${item.alarmId}:reminder${sent + 1}`,
      );
      (escalate ? escalatedIds : remindedIds).push(item.alarmId);
    }
    if (remindedIds.length > 0) {
      await em.query(
        `UPDATE alarm SET reminders_sent = reminders_sent + 1, last_reminded_at = ? WHERE id IN (${placeholders(remindedIds.length)})`,
        [now, ...remindedIds],
      );
      const r = await enqueueNotices(
        em,
        [reminders],
        (s) => siteRecipients(em, s, 'alarm', deps.recipients),
        'reminder',
        now,
      );
      result.reminded += remindedIds.length;
      result.messages += r.messages;
    }
    if (escalatedIds.length > 0) {
      await em.query(
        `UPDATE alarm SET escalated_at = ? WHERE id IN (${placeholders(escalatedIds.length)})`,
        [now, ...escalatedIds],
      );
      const admins = await adminRecipients(em, deps.recipients, 'escalation');
      const r = await enqueueNotices(
        em,
        [escalations],
        async () => new Map([[site.id, admins]]),
        'escalation',
        now,
      );
      result.escalated += escalatedIds.length;
      result.messages += r.messages;
    }
  }

  return {
    /** Queue reminders and escalations due at `now`; each site in its own transaction. */
    async run(now: number): Promise<ReminderResult> {
      const result: ReminderResult = { reminded: 0, escalated: 0, messages: 0 };
      const due = (await deps.ds.query(
        `SELECT id, site_id, name, node, description, raised_at, source, severity, reminders_sent FROM alarm
          WHERE state = 'active' AND acked_at IS NULL AND escalated_at IS NULL AND notified_at IS NOT NULL
            AND COALESCE(last_reminded_at, notified_at) <= ?
          ORDER BY site_id, raised_at, id`,
        [now - deps.everyMs],
      )) as DueRow[];
      const bySite = new Map<number, DueRow[]>();
      for (const r of due) {
        const id = Number(r.site_id);
        const list = bySite.get(id);
        if (list) list.push(r);
        else bySite.set(id, [r]);
      }
      const sites = await noticeSites(deps.ds.manager, [...bySite.keys()], deps.defaultTz);
      for (const [siteId, rows] of bySite) {
        const site = sites.get(siteId);
        if (site) await withTransaction(deps.ds, (em) => forSite(em, site, rows, now, result));
      }
      return result;
    },
  };
}

/** Alarms of the site files not listed for `staleAfterMs` leave the active list (kept as history). */
export async function markStale(
  ds: DataSource,
  now: number,
  staleAfterMs: number,
): Promise<number> {
  const res = await execute(
    ds.manager,
    `UPDATE alarm SET state = 'stale', stale_at = ?, updated_at = ? WHERE state = 'active' AND source = 'site' AND last_seen_at < ?`,
    [now, now, now - staleAfterMs],
  );
  return affectedRows(res);
}
