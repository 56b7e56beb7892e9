// `sitewatch report export <site> --from --to --out file.xlsx`: a site's daily figures, alarms and servers as an Excel workbook.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadAlarmDict } from '../../../config/alarm-dict';
import { Site } from '../../../entities';
import { SitewatchError } from '../../errors';
import { reportWorkbook } from '../../present/report-workbook';
import { reportExport } from '../../queries/report-export';
import { addDays, isoDay } from '../../time';
import type { CliContext } from '../context';

/** Longest export, in days. */
export const EXPORT_MAX_DAYS = 366;

function day(v: string | undefined, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || addDays(v, 0) !== v)
    throw new SitewatchError('USAGE', `${what} "${v}" is not a date YYYY-MM-DD.`);
  return v;
}

export function registerReport(program: Command, ctx: CliContext): void {
  const report = program.command('report').description('site reports');
  report
    .command('export <site>')
    .description('daily figures, alarms and servers of a site as an Excel workbook')
    .option('--from <YYYY-MM-DD>', 'first day (default: 30 days before --to)')
    .option('--to <YYYY-MM-DD>', "last day (default: yesterday in the site's zone)")
    .requiredOption('--out <file.xlsx>', 'where to write the workbook')
    .action((code: string, o: { from?: string; to?: string; out: string }) =>
      ctx.withDb(async (ds) => {
        const config = ctx.config();
        const site = await ds.getRepository(Site).findOne({ where: { code } });
        if (!site) throw new SitewatchError('NOT_FOUND', `No site "${code}".`);
        const tz = site.timezone ?? config.timezone;
        const now = Date.now();
        const to = day(o.to, '--to') ?? addDays(isoDay(now, tz), -1);
        const from = day(o.from, '--from') ?? addDays(to, -29);
        if (from > to) throw new SitewatchError('USAGE', `--from ${from} is after --to ${to}.`);
        const days = Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;
        if (days > EXPORT_MAX_DAYS)
          throw new SitewatchError('USAGE', `At most ${EXPORT_MAX_DAYS} days (got ${days}).`);
        const data = await reportExport(ds, {
          site,
          from,
          to,
          tz,
          now,
          dict: loadAlarmDict(config.alarms.dictPath),
        });
        writeFileSync(o.out, await reportWorkbook(data));
        ctx.out(
          `Wrote ${o.out}: ${site.code} ${from} to ${to}, ${data.days.length} day(s) of figures, ${data.alarms.length} alarm(s), ${data.servers.length} server(s)\n`,
        );
      }),
    );
}
