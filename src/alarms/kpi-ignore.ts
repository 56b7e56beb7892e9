// Business days marked as expected (`忽略 <告警编号>` on an SW_KPI_ANOMALY alarm): recorded once per site and day, left out of the KPI baselines.
import type { DataSource, EntityManager } from 'typeorm';
import { Alarm } from '../../entities';
import { insertIgnore } from '../db/bulk';
import { engineOf } from '../db/data-source';
import { SitewatchError } from '../errors';
import { placeholders } from '../queries/sql';
import { type AckResult, ackAlarm, canManageSite } from './silences';

/** The alarm whose days can be ignored: its node is the day. */
export const KPI_ALARM = 'SW_KPI_ANOMALY';
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** An alarm that is not SW_KPI_ANOMALY: a USAGE error the chat words itself. */
export class NotKpiAlarmError extends SitewatchError {
  constructor(readonly alarmId: number) {
    super(
      'USAGE',
      `Alarm #${alarmId} is not an ${KPI_ALARM} alarm; only those days can be ignored.`,
    );
    this.name = 'NotKpiAlarmError';
  }
}

export interface IgnoreResult {
  alarm: Alarm;
  siteId: number;
  /** YYYY-MM-DD, the alarm's node. */
  day: string;
  /** False when the day had been ignored before (by anyone): nothing was written. */
  added: boolean;
  /** The acknowledgement (the caller's, or an earlier one); null when the alarm is no longer active. */
  ack: AckResult | null;
}

/**
 * Mark the day of an SW_KPI_ANOMALY alarm as expected, and acknowledge the alarm the way 确认 does
 * (it gets no more reminders). The alarm is not resolved here: the next check no longer judges the
 * day and resolves it then. An alarm of a site `by` does not manage reads like a nonexistent one.
 */
export async function ignoreKpiDay(
  ds: DataSource,
  input: { alarmId: number; by: number; now: number },
): Promise<IgnoreResult> {
  const { alarmId, by, now } = input;
  const found = await ds.getRepository(Alarm).findOne({ where: { id: alarmId } });
  if (!found || !(await canManageSite(ds, by, found.siteId))) {
    throw new SitewatchError('NOT_FOUND', `No alarm #${alarmId}.`);
  }
  // The missing-figures alarm is SW_KPI_ANOMALY too, with the same day as its node.
  if (found.name !== KPI_ALARM || !DAY_RE.test(found.node)) throw new NotKpiAlarmError(alarmId);
  // INSERT IGNORE on the unique (site_id, day): two people ignoring the same day both succeed.
  const added = await insertIgnore(
    ds.manager,
    engineOf(ds),
    'kpi_ignored_day',
    ['site_id', 'day', 'ignored_by', 'ignored_at'],
    [[found.siteId, found.node, by, now]],
  );
  let ack: AckResult | null = null;
  try {
    ack = await ackAlarm(ds, { userId: by, alarmId, now });
  } catch (err) {
    // A resolved or stale alarm needs no acknowledgement; its day is still worth leaving out.
    if (!(err instanceof SitewatchError && err.code === 'CONFLICT')) throw err;
  }
  const alarm =
    ack?.alarm ?? (await ds.getRepository(Alarm).findOneOrFail({ where: { id: alarmId } }));
  return { alarm, siteId: found.siteId, day: found.node, added: added === 1, ack };
}

/** The ignored days (YYYY-MM-DD) of each of the given sites; sites without any are absent. */
export async function ignoredDays(
  ds: DataSource | EntityManager,
  siteIds: readonly number[],
): Promise<Map<number, Set<string>>> {
  const out = new Map<number, Set<string>>();
  if (siteIds.length === 0) return out;
  const em = 'manager' in ds ? ds.manager : ds;
  const rows = (await em.query(
    `SELECT site_id, day FROM kpi_ignored_day WHERE site_id IN (${placeholders(siteIds.length)})`,
    [...siteIds],
  )) as { site_id: number | string; day: string }[];
  for (const r of rows) {
    const id = Number(r.site_id);
    const days = out.get(id) ?? new Set<string>();
    days.add(String(r.day));
    out.set(id, days);
  }
  return out;
}
