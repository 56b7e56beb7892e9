// `sitewatch simulate`: write realistic files for a fake site (and keep appending with --live).
import type { Command } from 'commander';
import { SitewatchError } from '../../errors';
import { simulate, startLive } from '../../simulate/simulator';
import type { CliContext } from '../context';
import { msForEvery } from '../every';

const positive = (name: string, v: string, max: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new SitewatchError('USAGE', `--${name} "${v}" must be a whole number from 1 to ${max}.`);
  return n;
};

export function registerSimulate(program: Command, ctx: CliContext): void {
  program
    .command('simulate')
    .description('write realistic site files for a fake site')
    .requiredOption('--dir <dir>', 'site root to write sys_monitor/, sys_alarm/, sys_service/ into')
    .requiredOption('--site <site_id>', 'site_id of the fake site')
    .option('--servers <N>', 'number of servers', '5')
    .option('--days <K>', 'days of history ending today', '7')
    .option('--seed <n>', 'random seed (same seed, same files)', '1')
    .option('--live', 'keep appending "now" lines until stopped')
    .option('--every <interval>', 'with --live: how often to append', '60s')
    .action(
      async (o: {
        dir: string;
        site: string;
        servers: string;
        days: string;
        seed: string;
        live?: boolean;
        every: string;
      }) => {
        const seed = Number(o.seed);
        if (!Number.isInteger(seed))
          throw new SitewatchError('USAGE', `--seed "${o.seed}" must be a whole number.`);
        const sim = {
          dir: o.dir,
          site: o.site,
          servers: positive('servers', o.servers, 10_000),
          days: positive('days', o.days, 366),
          seed,
          tz: ctx.config().timezone,
          now: Date.now(),
        };
        const everyMs = o.live ? msForEvery(o.every) : 0;
        const r = await simulate(sim);
        ctx.out(
          `Wrote ${r.files.length} files, ${r.lines} lines, for site ${o.site} in ${o.dir}\n`,
        );
        if (!o.live) return;
        const live = startLive({ ...sim, everyMs, now: Date.now });
        ctx.out(`Appending live lines every ${o.every}; Ctrl-C stops.\n`);
        await ctx.io.untilSignal();
        await live.stop();
      },
    );
}
