// `sitewatch demo` (npm run demo): simulated sites on loopback, a demo admin, and the hub, until Ctrl-C.
import { createWriteStream, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SitewatchError } from '../../errors';
import { startDemo } from '../../demo/demo';
import { createPeopleLogger } from '../../log';
import type { CliContext } from '../context';
import { msForEvery } from '../every';

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('run the hub on simulated sites (embedded SQLite by default)')
    .option('--dir <dir>', 'where the simulated sites write their files', './data/demo')
    .option('--days <K>', 'days of history', '7')
    .option('--live-every <interval>', 'how often the simulated sites append', '60s')
    .action(async (o: { dir: string; days: string; liveEvery: string }) => {
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 1 || days > 60)
        throw new SitewatchError(
          'USAGE',
          `--days "${o.days}" must be a whole number from 1 to 60.`,
        );
      const cfg = ctx.config();
      // The demo's console is for people: the log goes to a file, and its warnings are said in words.
      mkdirSync(o.dir, { recursive: true });
      const logPath = join(o.dir, 'hub.log');
      // Opened now, so a folder that cannot take the log is said at once, not as a late stream error.
      const logFile = createWriteStream('', { fd: openSync(logPath, 'a') });
      try {
        const log = createPeopleLogger(cfg.log.level, logFile, (line) => ctx.out(`  ${line}\n`));
        ctx.out(`Sitewatch demo (log: ${logPath})\n`);
        const demo = await startDemo({
          config: cfg,
          log,
          dir: o.dir,
          days,
          liveEveryMs: msForEvery(o.liveEvery),
          out: ctx.out,
        });
        ctx.out(
          '\nTry, in another terminal:\n' +
            `  npx sitewatch chat --as ${demo.login} --out ./data/charts   (the bot's answers: 局点, 状态 BJ, 告警, 报表 SH)\n` +
            '  npx sitewatch site list\n' +
            `  npx sitewatch ingest --site ${demo.sites[0].code}\n` +
            '  npx sitewatch errors\n' +
            'Ctrl-C stops everything.\n',
        );
        await ctx.io.untilSignal();
        ctx.out('Stopping…\n');
        await demo.stop();
        ctx.out('Stopped.\n');
      } finally {
        await new Promise((done) => logFile.end(done));
      }
    });
}
