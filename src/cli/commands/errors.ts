// `sitewatch errors`: the quarantined lines.
import type { Command } from 'commander';
import { IngestError, Site } from '../../../entities';
import { SitewatchError } from '../../errors';
import { table } from '../io';
import type { CliContext } from '../context';

export function registerErrors(program: Command, ctx: CliContext): void {
  program
    .command('errors')
    .description('list quarantined lines')
    .option('--site <site_id>', 'only this site')
    .option('--limit <N>', 'at most N lines, newest first', '50')
    .action((o: { site?: string; limit: string }) =>
      ctx.withDb(async (ds) => {
        const limit = Number(o.limit);
        if (!Number.isInteger(limit) || limit < 1)
          throw new SitewatchError(
            'USAGE',
            `--limit "${o.limit}" must be a positive whole number.`,
          );
        let siteId: number | undefined;
        if (o.site) {
          const s = await ds.getRepository(Site).findOne({ where: { code: o.site } });
          if (!s) throw new SitewatchError('NOT_FOUND', `No site "${o.site}".`);
          siteId = s.id;
        }
        const rows = await ds.getRepository(IngestError).find({
          where: siteId ? { siteId } : {},
          order: { createdAt: 'DESC', id: 'DESC' },
          take: limit,
        });
        if (rows.length === 0) return void ctx.out('No quarantined lines.\n');
        const sites = new Map((await ds.getRepository(Site).find()).map((s) => [s.id, s.code]));
        ctx.out(
          table([
            ['SITE', 'FILE', 'LINE', 'REASON', 'RAW'],
            ...rows.map((e) => [
              sites.get(e.siteId) ?? e.siteId,
              e.file,
              e.lineNo,
              e.reason,
              JSON.stringify(e.raw.slice(0, 120)),
            ]),
          ]),
        );
      }),
    );
}
