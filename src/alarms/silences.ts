// Silences and acknowledgements of alarms (shared by chat, CLI and portal): who may, how long, and which alarms they cover.
import { In, type DataSource, type EntityManager } from 'typeorm';
import { Alarm, Silence, Site, User } from '../../entities';
import { execute } from '../db/bulk';
import { affectedRows } from '../db/dialect';
import { SitewatchError } from '../errors';
import { placeholders } from '../queries/sql';

/** The longest silence: 30 days. */
export const MAX_SILENCE_MINUTES = 30 * 24 * 60;
/** The longest alarm name a silence may name (the column's width). */
export const MAX_ALARM_NAME_LENGTH = 128;

/** Which rule a silence request broke, for callers that word the refusal themselves (the chat). */
export type SilenceRule = 'duration' | 'alarm-name';

/** A silence request outside the rules: a USAGE error that also says which rule. */
export class SilenceInputError extends SitewatchError {
  constructor(
    readonly rule: SilenceRule,
    message: string,
  ) {
    super('USAGE', message);
    this.name = 'SilenceInputError';
  }
}

const UNITS: [RegExp, number][] = [
  [/^(d|days?|天)$/, 24 * 60],
  [/^(h|hrs?|hours?|小时|个小时|时)$/, 60],
  [/^(m|mins?|minutes?|分钟|分)$/, 1],
];

/** Minutes in one unit of a duration ('h', '小时', 'days'…); null when `word` is not a unit. */
export function unitMinutes(word: string): number | null {
  const w = word.toLowerCase();
  return UNITS.find(([re]) => re.test(w))?.[1] ?? null;
}

/**
 * Minutes in a duration such as '30m', '2h', '1d', '90分钟', '2小时', '1天' or '1h30m';
 * null when it is not one (a bare number has no unit and is not accepted).
 */
export function parseDuration(input: string): number | null {
  const s = input.trim().toLowerCase();
  if (s === '') return null;
  const part = /(\d{1,6})\s*([a-z\u4e00-\u9fff]+)/y;
  let total = 0;
  let at = 0;
  while (at < s.length) {
    part.lastIndex = at;
    const m = part.exec(s);
    if (!m) return null;
    const unit = unitMinutes(m[2]);
    if (unit === null) return null;
    total += Number(m[1]) * unit;
    at = part.lastIndex;
    while (s[at] === ' ') at++;
  }
  return total;
}

/**
 * The one rule for silencing and acknowledging on a site: it must be enabled (a disabled site
 * exists for no one, as everywhere else), and admins manage every such site, operators those
 * linked to them in user_site.
 */
export async function canManageSite(
  ds: DataSource | EntityManager,
  userId: number,
  siteId: number,
): Promise<boolean> {
  const em = 'manager' in ds ? ds.manager : ds;
  const user = await em.getRepository(User).findOne({ where: { id: userId } });
  if (!user) return false;
  const qb = em
    .getRepository(Site)
    .createQueryBuilder('s')
    .where('s.id = :siteId AND s.enabled = :on', { siteId, on: true });
  if (user.role !== 'admin') {
    qb.innerJoin('user_site', 'us', 'us.site_id = s.id AND us.user_id = :uid', { uid: userId });
  }
  return (await qb.getCount()) > 0;
}

/** The alarm name as the site's files write it, when one of its alarms differs only in case. */
async function canonicalName(ds: DataSource, siteId: number, name: string): Promise<string> {
  const rows = (await ds.query(
    'SELECT name FROM alarm WHERE site_id = ? AND LOWER(name) = LOWER(?) ORDER BY id DESC LIMIT 1',
    [siteId, name],
  )) as { name: string }[];
  return rows.length > 0 ? String(rows[0].name) : name;
}

export interface SilenceInput {
  userId: number;
  siteId: number;
  minutes: number;
  /** null: every alarm of the site. */
  alarmName: string | null;
  now: number;
}

/**
 * Silence a site's alarms (all, or those of one name, stored in the case the site's alarms use)
 * from `now` for `minutes` (1 to 30 days). A user who does not manage the site is refused exactly
 * like a site that does not exist.
 */
export async function silenceSite(ds: DataSource, input: SilenceInput): Promise<Silence> {
  const { userId, siteId, minutes, now } = input;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > MAX_SILENCE_MINUTES) {
    throw new SilenceInputError(
      'duration',
      `A silence lasts from 1 minute to ${MAX_SILENCE_MINUTES / 1440} days (got ${minutes} minutes).`,
    );
  }
  const name = input.alarmName?.trim() || null;
  if (name !== null && name.length > MAX_ALARM_NAME_LENGTH) {
    throw new SilenceInputError(
      'alarm-name',
      `An alarm name has at most ${MAX_ALARM_NAME_LENGTH} characters.`,
    );
  }
  if (!(await canManageSite(ds, userId, siteId))) {
    throw new SitewatchError('NOT_FOUND', `No site #${siteId}.`);
  }
  const repo = ds.getRepository(Silence);
  return repo.save(
    repo.create({
      siteId,
      alarmName: name === null ? null : await canonicalName(ds, siteId, name),
      startsAt: now,
      endsAt: now + minutes * 60_000,
      createdBy: userId,
      createdAt: now,
      cancelledAt: null,
    }),
  );
}

export type CancelOutcome = 'cancelled' | 'already-cancelled' | 'already-ended';

/**
 * End a silence now. A silence that was already cancelled or has run out is reported as such
 * (nothing changes); one of a site the user does not manage is answered like a missing id.
 */
export async function cancelSilence(
  ds: DataSource,
  input: { userId: number; silenceId: number; now: number },
): Promise<{ silence: Silence; outcome: CancelOutcome }> {
  const { userId, silenceId, now } = input;
  const repo = ds.getRepository(Silence);
  const found = await repo.findOne({ where: { id: silenceId } });
  if (!found || !(await canManageSite(ds, userId, found.siteId))) {
    throw new SitewatchError('NOT_FOUND', `No silence #${silenceId}.`);
  }
  // Conditional, so two people cancelling at once both get a truthful answer.
  const res = await execute(
    ds.manager,
    'UPDATE silence SET cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL AND ends_at > ?',
    [now, silenceId, now],
  );
  const silence = (await repo.findOne({ where: { id: silenceId } }))!;
  if (affectedRows(res) === 1) return { silence, outcome: 'cancelled' };
  return {
    silence,
    outcome: silence.cancelledAt !== null ? 'already-cancelled' : 'already-ended',
  };
}

export interface ActiveSilence {
  id: number;
  siteId: number;
  /** null: every alarm of the site. */
  alarmName: string | null;
  endsAt: number;
  createdBy: number;
  /** Display name of the user who set it. */
  createdByName: string;
}

/** Silences in force at `now` on the given sites (not cancelled, not ended), by site then id. */
export async function activeSilences(
  em: EntityManager,
  siteIds: number[],
  now: number,
): Promise<ActiveSilence[]> {
  if (siteIds.length === 0) return [];
  const rows = (await em.query(
    `SELECT id, site_id, alarm_name, ends_at, created_by FROM silence
      WHERE site_id IN (${placeholders(siteIds.length)}) AND starts_at <= ? AND ends_at > ? AND cancelled_at IS NULL
      ORDER BY site_id, id`,
    [...siteIds, now, now],
  )) as Record<string, unknown>[];
  if (rows.length === 0) return [];
  const userIds = [...new Set(rows.map((r) => Number(r.created_by)))];
  const users = await em.getRepository(User).find({ where: { id: In(userIds) } });
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  return rows.map((r) => ({
    id: Number(r.id),
    siteId: Number(r.site_id),
    alarmName: r.alarm_name === null || r.alarm_name === undefined ? null : String(r.alarm_name),
    endsAt: Number(r.ends_at),
    createdBy: Number(r.created_by),
    createdByName: names.get(Number(r.created_by)) ?? `#${Number(r.created_by)}`,
  }));
}

/**
 * The silence covering an alarm of `siteId` named `alarmName` (a site-wide one, or one of the
 * same name, compared case-insensitively); when several do, the one lasting longest. null: none.
 */
export function silenceFor<T extends Pick<ActiveSilence, 'siteId' | 'alarmName' | 'endsAt'>>(
  silences: readonly T[],
  siteId: number,
  alarmName: string,
): T | null {
  const name = alarmName.toLowerCase();
  let best: T | null = null;
  for (const s of silences) {
    if (s.siteId !== siteId) continue;
    if (s.alarmName !== null && s.alarmName.toLowerCase() !== name) continue;
    if (!best || s.endsAt > best.endsAt) best = s;
  }
  return best;
}

export interface SilenceListing extends ActiveSilence {
  startsAt: number;
  siteCode: string;
  siteName: string;
  /** The site's own zone, null for the configured default. */
  siteTimezone: string | null;
}

/** Active silences of the given sites with their site, soonest ending first. */
export async function listSilences(
  ds: DataSource,
  siteIds: number[],
  now: number,
): Promise<SilenceListing[]> {
  const active = await activeSilences(ds.manager, siteIds, now);
  if (active.length === 0) return [];
  const [sites, silences] = await Promise.all([
    ds.getRepository(Site).find({ where: { id: In([...new Set(active.map((a) => a.siteId))]) } }),
    ds.getRepository(Silence).find({ where: { id: In(active.map((a) => a.id)) } }),
  ]);
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const startById = new Map(silences.map((s) => [s.id, s.startsAt]));
  return active
    .map((a) => {
      const site = siteById.get(a.siteId)!;
      return {
        ...a,
        startsAt: startById.get(a.id)!,
        siteCode: site.code,
        siteName: site.name,
        siteTimezone: site.timezone,
      };
    })
    .sort((x, y) => x.endsAt - y.endsAt || x.id - y.id);
}

export interface AckResult {
  alarm: Alarm;
  /** True when someone had acknowledged it before: `alarm.ackedBy/ackedAt` say who and when. */
  already: boolean;
  /** Display name of whoever acknowledged it (the caller, or the first one). */
  ackedByName: string;
}

/**
 * Acknowledge an open alarm: it gets no more reminders. Only the first acknowledgement counts;
 * later ones report it. An alarm of a site the user does not manage is answered exactly like a
 * nonexistent id; a resolved or stale alarm cannot be acknowledged (CONFLICT).
 */
export async function ackAlarm(
  ds: DataSource,
  input: { userId: number; alarmId: number; now: number },
): Promise<AckResult> {
  const { userId, alarmId, now } = input;
  const repo = ds.getRepository(Alarm);
  const found = await repo.findOne({ where: { id: alarmId } });
  if (!found || !(await canManageSite(ds, userId, found.siteId))) {
    throw new SitewatchError('NOT_FOUND', `No alarm #${alarmId}.`);
  }
  // One conditional UPDATE: of two people acknowledging at once, exactly one is first.
  const res = await execute(
    ds.manager,
    `UPDATE alarm SET acked_by = ?, acked_at = ?, updated_at = ? WHERE id = ? AND acked_by IS NULL AND state = 'active'`,
    [userId, now, now, alarmId],
  );
  const alarm = (await repo.findOne({ where: { id: alarmId } }))!;
  if (alarm.ackedBy === null) {
    throw new SitewatchError(
      'CONFLICT',
      `Alarm #${alarmId} is ${alarm.state}; only active alarms can be acknowledged.`,
    );
  }
  const by = await ds.getRepository(User).findOne({ where: { id: alarm.ackedBy } });
  return {
    alarm,
    already: affectedRows(res) !== 1,
    ackedByName: by?.displayName ?? `#${alarm.ackedBy}`,
  };
}
