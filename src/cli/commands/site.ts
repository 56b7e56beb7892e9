// `sitewatch site …`: register and list monitored sites.
import type { Command } from 'commander';
import { addSite, listSites } from '../../admin/sites';
import { formatInstant } from '../../time';
import { table } from '../io';
import type { CliContext } from '../context';

export function registerSite(program: Command, ctx: CliContext): void {
  const site = program.command('site').description('monitored sites');
  site
    .command('add <site_id>')
    .description('register a site')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--url <base_url>', 'http(s):// or file:// base of the site files')
    .option('--encoding <enc>', 'file encoding: auto, utf8, gbk, gb18030', 'auto')
    .option('--timezone <tz>', 'IANA zone of the times in the files (default: configured)')
    .option('--token <token>', 'bearer token the site file server expects')
    .action(
      (
        code: string,
        o: { name: string; url: string; encoding: string; timezone?: string; token?: string },
      ) =>
        ctx.withDb(async (ds) => {
          const s = await addSite(ds, {
            code,
            name: o.name,
            baseUrl: o.url,
            encoding: o.encoding,
            timezone: o.timezone ?? null,
            authToken: o.token ?? null,
          });
          ctx.out(`Added site ${s.code} (${s.name}) at ${s.baseUrl}\n`);
        }),
    );
  site
    .command('list')
    .description('list sites with their last ingest')
    .action(() =>
      ctx.withDb(async (ds) => {
        const sites = await listSites(ds);
        if (sites.length === 0)
          return void ctx.out(
            'No sites. Add one with: sitewatch site add <site_id> --name <name> --url <base_url>\n',
          );
        const tz = ctx.config().timezone;
        const iso = (t: number | null) => (t ? formatInstant(t, tz) : '-');
        ctx.out(
          table([
            ['SITE', 'NAME', 'ENABLED', 'ENCODING', 'LAST SUCCESS', 'LAST ERROR', 'URL'],
            ...sites.map((s) => [
              s.code,
              s.name,
              s.enabled ? 'yes' : 'no',
              s.encoding,
              iso(s.lastSuccessAt),
              s.lastError ? `${iso(s.lastErrorAt)} ${s.lastError}` : '-',
              s.baseUrl,
            ]),
          ]),
        );
      }),
    );
}
