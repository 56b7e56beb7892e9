// `sitewatch start`: the hub, until SIGINT/SIGTERM.
import type { Command } from 'commander';
import { createLogger } from '../../log';
import { createApp } from '../../main';
import type { CliContext } from '../context';

export function registerStart(program: Command, ctx: CliContext): void {
  program
    .command('start')
    .description('run the hub: migrations, then scheduled ingest until stopped')
    .action(async () => {
      const cfg = ctx.config();
      const log = createLogger(cfg.log.level, ctx.io.stderr as NodeJS.WritableStream);
      const app = await createApp(cfg, log);
      app.start();
      log.info({ ingest: cfg.schedule.ingest, timezone: cfg.timezone }, 'hub started');
      await ctx.io.untilSignal();
      log.info('stopping');
      await app.stop();
    });
}
