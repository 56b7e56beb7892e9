// `sitewatch alarm …`: list alarms, silence and unsilence sites, list silences, acknowledge alarms.
import { Option, type Command } from 'commander';
import { In, type DataSource, type FindOptionsWhere } from 'typeorm';
import { Alarm, Site, User } from '../../../entities';
import type { AlarmState } from '../../../entities/Alarm';
import {
  MAX_SILENCE_MINUTES,
  ackAlarm,
  activeSilences,
  canManageSite,
  cancelSilence,
  listSilences,
  parseDuration,
  silenceFor,
  silenceSite,
} from '../../alarms/silences';
import { SitewatchError } from '../../errors';
import { formatInstant } from '../../time';
import { table } from '../io';
import type { CliContext } from '../context';

/** A positive whole number argument, or a usage error naming it. */
export function positiveInt(value: string, what: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw new SitewatchError('USAGE', `${what} "${value}" must be a positive whole number.`);
  return Number(value);
}

/** Minutes for people: '45m', '2h', '1h30m', '1d', '1d2h'. */
export function formatMinutes(min: number): string {
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  return [d && `${d}d`, h && `${h}h`, m && `${m}m`].filter(Boolean).join('') || '0m';
}

async function actingUser(ds: DataSource, login: string): Promise<User> {
  const u = await ds.getRepository(User).findOne({ where: { login } });
  if (!u) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
  return u;
}

async function siteByCode(ds: DataSource, code: string): Promise<Site> {
  const s = await ds.getRepository(Site).findOne({ where: { code } });
  if (!s) throw new SitewatchError('NOT_FOUND', `No site "${code}".`);
  return s;
}

const one = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

export function registerAlarm(program: Command, ctx: CliContext): void {
  const alarm = program
    .command('alarm')
    .description('alarms: list, acknowledge, silence (times in the configured zone)');
  const at = (ms: number | null) => (ms === null ? '-' : formatInstant(ms, ctx.config().timezone));

  alarm
    .command('list')
    .description('alarms newest first (default: the active ones)')
    .option('--site <site_id>', 'only this site')
    .addOption(
      new Option('--state <state>', 'which alarms')
        .choices(['active', 'resolved', 'stale', 'all'])
        .default('active'),
    )
    .option('--limit <N>', 'at most N alarms', '50')
    .action((o: { site?: string; state: AlarmState | 'all'; limit: string }) =>
      ctx.withDb(async (ds) => {
        const limit = positiveInt(o.limit, '--limit');
        const where: FindOptionsWhere<Alarm> = {};
        if (o.state !== 'all') where.state = o.state;
        if (o.site) where.siteId = (await siteByCode(ds, o.site)).id;
        const repo = ds.getRepository(Alarm);
        const [rows, total] = await repo.findAndCount({
          where,
          order: { raisedAt: 'DESC', id: 'DESC' },
          take: limit,
        });
        const what = o.state === 'all' ? 'alarms' : `${o.state} alarms`;
        if (rows.length === 0) return void ctx.out(`No ${what}.\n`);
        const siteIds = [...new Set(rows.map((a) => a.siteId))];
        const userIds = [...new Set(rows.flatMap((a) => (a.ackedBy === null ? [] : [a.ackedBy])))];
        const now = Date.now();
        const [sites, users, silences] = await Promise.all([
          ds.getRepository(Site).find({ where: { id: In(siteIds) } }),
          userIds.length ? ds.getRepository(User).find({ where: { id: In(userIds) } }) : [],
          activeSilences(ds.manager, siteIds, now),
        ]);
        const code = new Map(sites.map((s) => [s.id, s.code]));
        const names = new Map(users.map((u) => [u.id, u.displayName]));
        ctx.out(
          table([
            [
              'ID',
              'SITE',
              'NAME',
              'NODE',
              'STATE',
              'RAISED',
              'RESUMED',
              'ACKED',
              'SILENCED',
              'DESCRIPTION',
            ],
            ...rows.map((a) => {
              const silence = a.state === 'active' ? silenceFor(silences, a.siteId, a.name) : null;
              return [
                a.id,
                code.get(a.siteId) ?? a.siteId,
                a.name,
                a.node,
                a.state,
                at(a.raisedAt),
                at(a.resumedAt),
                a.ackedBy === null
                  ? '-'
                  : `${names.get(a.ackedBy) ?? `#${a.ackedBy}`} ${at(a.ackedAt)}`,
                silence ? `#${silence.id}` : '-',
                one(a.description, 60),
              ];
            }),
          ]),
        );
        if (total > rows.length) ctx.out(`Showing ${rows.length} of ${total} ${what}.\n`);
      }),
    );

  alarm
    .command('silence <site_id> <duration> [alarm_name]')
    .description(
      `silence a site's alarms (all, or one alarm name) for a duration such as 30m, 2h, 1d (at most ${MAX_SILENCE_MINUTES / 1440}d)`,
    )
    .requiredOption('--as <login>', 'the user doing it (must manage the site)')
    .action((code: string, dur: string, name: string | undefined, o: { as: string }) =>
      ctx.withDb(async (ds) => {
        const minutes = parseDuration(dur);
        if (minutes === null)
          throw new SitewatchError(
            'USAGE',
            `Duration "${dur}" is not like 30m, 2h, 1d or 1h30m (at most ${MAX_SILENCE_MINUTES / 1440}d).`,
          );
        const user = await actingUser(ds, o.as);
        const site = await siteByCode(ds, code);
        // A site the user may not manage is answered like one that does not exist.
        if (!(await canManageSite(ds, user.id, site.id)))
          throw new SitewatchError('NOT_FOUND', `No site "${code}".`);
        const s = await silenceSite(ds, {
          userId: user.id,
          siteId: site.id,
          minutes,
          alarmName: name ?? null,
          now: Date.now(),
        });
        ctx.out(
          `Silenced ${s.alarmName ?? 'all alarms'} at ${site.code} (${site.name}) for ${formatMinutes(minutes)}, until ${at(s.endsAt)} (silence #${s.id}).\n`,
        );
      }),
    );

  alarm
    .command('unsilence <id>')
    .description('end a silence now')
    .requiredOption('--as <login>', 'the user doing it (must manage the site)')
    .action((idArg: string, o: { as: string }) =>
      ctx.withDb(async (ds) => {
        const id = positiveInt(idArg, 'Silence id');
        const user = await actingUser(ds, o.as);
        const { silence, outcome } = await cancelSilence(ds, {
          userId: user.id,
          silenceId: id,
          now: Date.now(),
        });
        if (outcome === 'already-cancelled')
          return void ctx.out(
            `Silence #${id} was already cancelled at ${at(silence.cancelledAt)}.\n`,
          );
        if (outcome === 'already-ended')
          return void ctx.out(`Silence #${id} already ended at ${at(silence.endsAt)}.\n`);
        const site = await ds.getRepository(Site).findOneByOrFail({ id: silence.siteId });
        ctx.out(
          `Cancelled silence #${id} (${silence.alarmName ?? 'all alarms'} at ${site.code}).\n`,
        );
      }),
    );

  alarm
    .command('silences')
    .description('silences in force, soonest ending first')
    .option('--site <site_id>', 'only this site')
    .action((o: { site?: string }) =>
      ctx.withDb(async (ds) => {
        const ids = o.site
          ? [(await siteByCode(ds, o.site)).id]
          : (await ds.getRepository(Site).find()).map((s) => s.id);
        const rows = await listSilences(ds, ids, Date.now());
        if (rows.length === 0) return void ctx.out('No active silences.\n');
        ctx.out(
          table([
            ['ID', 'SITE', 'ALARM', 'FROM', 'UNTIL', 'BY'],
            ...rows.map((s) => [
              s.id,
              s.siteCode,
              s.alarmName ?? '(all)',
              at(s.startsAt),
              at(s.endsAt),
              s.createdByName,
            ]),
          ]),
        );
      }),
    );

  alarm
    .command('ack <id>')
    .description('acknowledge an active alarm: no more reminders for it')
    .requiredOption('--as <login>', 'the user doing it (must manage the site)')
    .action((idArg: string, o: { as: string }) =>
      ctx.withDb(async (ds) => {
        const id = positiveInt(idArg, 'Alarm id');
        const user = await actingUser(ds, o.as);
        const r = await ackAlarm(ds, { userId: user.id, alarmId: id, now: Date.now() });
        if (r.already)
          return void ctx.out(
            `Alarm #${id} was already acknowledged by ${r.ackedByName} at ${at(r.alarm.ackedAt)}.\n`,
          );
        const site = await ds.getRepository(Site).findOneByOrFail({ id: r.alarm.siteId });
        ctx.out(
          `Acknowledged alarm #${id} ${r.alarm.name} (${r.alarm.node}) at ${site.code}; no more reminders.\n`,
        );
      }),
    );
}
