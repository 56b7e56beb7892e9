// `sitewatch ingest`: fetch now, with per-file counts.
import { type Command, Option } from 'commander';
import { SitewatchError } from '../../errors';
import { createIngestService, summarize } from '../../ingest/ingest-service';
import { isDayKey } from '../../time';
import { EXIT, Exit, type CliContext } from '../context';
import { table } from '../io';

export function registerIngest(program: Command, ctx: CliContext): void {
  program
    .command('ingest')
    .description('fetch and store new lines of the site files now')
    .option('--site <site_id>', 'only this site')
    .addOption(new Option('--date <YYYYmmdd>', 'exactly this day').conflicts('days'))
    .addOption(new Option('--days <N>', 'the last N days including today').conflicts('date'))
    .action((o: { site?: string; date?: string; days?: string }) => {
      if (o.date !== undefined && !isDayKey(o.date))
        throw new SitewatchError('USAGE', `--date "${o.date}" is not a day written as YYYYmmdd.`);
      const days = o.days === undefined ? undefined : Number(o.days);
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 366)) {
        throw new SitewatchError(
          'USAGE',
          `--days "${o.days}" must be a whole number from 1 to 366.`,
        );
      }
      return ctx.withDb(async (ds) => {
        const cfg = ctx.config();
        const log = ctx.log({ quiet: true });
        const results = await createIngestService({ ds, config: cfg, log }).run({
          site: o.site,
          date: o.date,
          days,
        });
        if (results.length === 0) return void ctx.out('No enabled sites.\n');
        const rows: (string | number)[][] = [
          [
            'SITE',
            'FILE',
            'OUTCOME',
            'LINES',
            'INSERTED',
            'DUPLICATE',
            'UPDATED',
            'QUARANTINED',
            'BYTES',
          ],
        ];
        let missing = 0;
        for (const r of results) {
          for (const f of r.files) {
            if (f.outcome === 'missing') {
              missing++;
              continue;
            }
            rows.push([
              r.site,
              f.file,
              f.outcome + (f.resets ? ` (reset ${f.resets})` : ''),
              f.lines,
              f.inserted,
              f.duplicate,
              f.updated,
              f.quarantined,
              f.bytes,
            ]);
          }
        }
        if (rows.length > 1) ctx.out(table(rows));
        if (missing > 0) ctx.out(`${missing} file(s) not published yet (404).\n`);
        const failed = results.filter((r) => !r.ok);
        for (const r of failed) ctx.out(`${r.site}: FAILED ${r.error}\n`);
        const t = summarize(results.flatMap((r) => r.files));
        ctx.out(
          `Total: ${results.length} site(s), ${failed.length} failed; lines ${t.lines}, inserted ${t.inserted}, duplicate ${t.duplicate}, updated ${t.updated}, quarantined ${t.quarantined}, bytes ${t.bytes}\n`,
        );
        if (failed.length > 0) throw new Exit(EXIT.partial);
      });
    });
}
