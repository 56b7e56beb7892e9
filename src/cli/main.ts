// The `sitewatch` command line: a stable contract (exit 0 ok, 1 partial failure, 2 bad usage).
import { Command, CommanderError, Option } from 'commander';
import type { DataSource } from 'typeorm';
import { IngestError, Site } from '../../entities';
import { ConfigError, loadConfig, processEnv, type Config } from '../../config/schema';
import { addSite, listSites } from '../admin/sites';
import { addUser, listUsers } from '../admin/users';
import { migrate, openDataSource } from '../db/data-source';
import { SitewatchError, describeError } from '../errors';
import { createIngestService, summarize } from '../ingest/ingest-service';
import { createLogger } from '../log';
import { createApp } from '../main';
import { formatInstant, isDayKey } from '../time';
import { type CliIo, readAll, table } from './io';

export const EXIT = { ok: 0, partial: 1, usage: 2 } as const;

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let config: Config | undefined;
  const getConfig = () => (config ??= loadConfig({ env: io.env }));
  const out = (s: string) => io.stdout.write(s);

  async function withDb<T>(
    fn: (ds: DataSource) => Promise<T>,
    opts: { migrate?: boolean } = {},
  ): Promise<T> {
    const ds = await openDataSource(getConfig().db.url);
    try {
      if (opts.migrate !== false) await migrate(ds);
      return await fn(ds);
    } finally {
      await ds.destroy();
    }
  }

  const program = new Command('sitewatch')
    .description('Sitewatch: ingest site files, answer on WeChat, alarm and report.')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending schema migrations')
    .action(() =>
      withDb(
        async (ds) => {
          const applied = await migrate(ds);
          out(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Schema is up to date.\n');
        },
        { migrate: false },
      ),
    );

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
        withDb(async (ds) => {
          const s = await addSite(ds, {
            code,
            name: o.name,
            baseUrl: o.url,
            encoding: o.encoding,
            timezone: o.timezone ?? null,
            authToken: o.token ?? null,
          });
          out(`Added site ${s.code} (${s.name}) at ${s.baseUrl}\n`);
        }),
    );
  site
    .command('list')
    .description('list sites with their last ingest')
    .action(() =>
      withDb(async (ds) => {
        const sites = await listSites(ds);
        if (sites.length === 0)
          return void out(
            'No sites. Add one with: sitewatch site add <site_id> --name <name> --url <base_url>\n',
          );
        const tz = getConfig().timezone;
        const iso = (t: number | null) => (t ? formatInstant(t, tz) : '-');
        out(
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

  const user = program.command('user').description('users of the portal and the bot');
  user
    .command('add <login>')
    .description('create a user; the password is read from standard input')
    .requiredOption('--password-stdin', 'read the password from standard input')
    .option('--admin', 'administrator (sees every site)')
    .option('--email <email>', 'email address for notifications')
    .option('--name <display_name>', 'display name')
    .option('--sites <codes>', 'comma-separated site_ids the user manages')
    .action(
      (login: string, o: { admin?: boolean; email?: string; name?: string; sites?: string }) =>
        withDb(async (ds) => {
          const password = (await readAll(io.stdin)).replace(/\r?\n$/, '');
          const u = await addUser(ds, {
            login,
            password,
            displayName: o.name,
            email: o.email ?? null,
            role: o.admin ? 'admin' : 'operator',
            sites: o.sites
              ? o.sites
                  .split(',')
                  .map((s) => s.trim())
                  .filter(Boolean)
              : [],
          });
          out(
            `Added ${u.role} ${u.login}${u.sites.length ? ` managing ${u.sites.map((s) => s.code).join(', ')}` : ''}\n`,
          );
        }),
    );
  user
    .command('list')
    .description('list users and their sites')
    .action(() =>
      withDb(async (ds) => {
        const users = await listUsers(ds);
        if (users.length === 0) return void out('No users.\n');
        out(
          table([
            ['LOGIN', 'NAME', 'ROLE', 'EMAIL', 'SITES'],
            ...users.map((u) => [
              u.login,
              u.displayName,
              u.role,
              u.email ?? '-',
              u.role === 'admin'
                ? '(all)'
                : u.sites
                    .map((s) => s.code)
                    .sort()
                    .join(',') || '-',
            ]),
          ]),
        );
      }),
    );

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
      return withDb(async (ds) => {
        const cfg = getConfig();
        const log = createLogger(
          cfg.log.level === 'info' ? 'warn' : cfg.log.level,
          io.stderr as NodeJS.WritableStream,
        );
        const results = await createIngestService({ ds, config: cfg, log }).run({
          site: o.site,
          date: o.date,
          days,
        });
        if (results.length === 0) return void out('No enabled sites.\n');
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
        if (rows.length > 1) out(table(rows));
        if (missing > 0) out(`${missing} file(s) not published yet (404).\n`);
        const failed = results.filter((r) => !r.ok);
        for (const r of failed) out(`${r.site}: FAILED ${r.error}\n`);
        const t = summarize(results.flatMap((r) => r.files));
        out(
          `Total: ${results.length} site(s), ${failed.length} failed; lines ${t.lines}, inserted ${t.inserted}, duplicate ${t.duplicate}, updated ${t.updated}, quarantined ${t.quarantined}, bytes ${t.bytes}\n`,
        );
        if (failed.length > 0) throw new Exit(EXIT.partial);
      });
    });

  program
    .command('errors')
    .description('list quarantined lines')
    .option('--site <site_id>', 'only this site')
    .option('--limit <N>', 'at most N lines, newest first', '50')
    .action((o: { site?: string; limit: string }) =>
      withDb(async (ds) => {
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
        if (rows.length === 0) return void out('No quarantined lines.\n');
        const sites = new Map((await ds.getRepository(Site).find()).map((s) => [s.id, s.code]));
        out(
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

  program
    .command('start')
    .description('run the hub: migrations, then scheduled ingest until stopped')
    .action(async () => {
      const cfg = getConfig();
      const log = createLogger(cfg.log.level, io.stderr as NodeJS.WritableStream);
      const app = await createApp(cfg, log);
      app.start();
      log.info({ ingest: cfg.schedule.ingest, timezone: cfg.timezone }, 'hub started');
      await io.untilSignal();
      log.info('stopping');
      await app.stop();
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof Exit) return err.code;
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr.write(`sitewatch: ${describeError(err)}\n`);
    if (err instanceof ConfigError) return EXIT.usage;
    if (err instanceof SitewatchError && (err.code === 'USAGE' || err.code === 'DB_URL'))
      return EXIT.usage;
    return EXIT.partial;
  }
}

/** Process entry: real streams, signals and exit code. */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  const untilSignal = () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  const env = processEnv();
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env,
    untilSignal,
  });
  process.exitCode = code;
}
