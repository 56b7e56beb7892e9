// `sitewatch start` (the hub: schedule + WeChat bot) and `sitewatch bot` (the bot alone), until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { assertDatabaseFile } from '../../db/data-source';
import { type AppOptions, createApp } from '../../main';
import type { CliContext } from '../context';

export function registerStart(program: Command, ctx: CliContext): void {
  const run = async (what: string, opts: AppOptions, create = true) => {
    const cfg = ctx.config();
    if (!create) assertDatabaseFile(cfg.db.url, { create });
    const log = ctx.log();
    const app = await createApp(cfg, log, opts);
    await app.start();
    log.info(
      {
        ingest: opts.schedule === false ? null : cfg.schedule.ingest,
        bot: app.bot !== null,
        web: app.webUrl(),
        timezone: cfg.timezone,
      },
      `${what} started`,
    );
    await ctx.io.untilSignal();
    log.info('stopping');
    await app.stop();
  };
  program
    .command('start')
    .description(
      'run the hub: migrations, scheduled ingest and the WeChat bot (unless SITEWATCH_BOT_ENABLED=false), until stopped',
    )
    .action(() => run('hub', {}));
  program
    .command('bot')
    .description('run only the WeChat bot (prints the login QR code), until stopped')
    // The bot alone makes no database: on a mistyped URL it would answer from an empty one.
    .action(() => run('bot', { bot: true, schedule: false, web: false }, false));
}
