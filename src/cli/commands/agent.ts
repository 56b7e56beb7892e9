// `sitewatch agent collect|serve`: the site side — sample this host into the daily file, serve the files.
import type { Command } from 'commander';
import {
  type CollectOptions,
  collectOnce,
  createCollectJob,
  defaultIdentity,
} from '../../agent/collect';
import { startFileServer } from '../../agent/serve';
import { SitewatchError } from '../../errors';
import { createScheduler } from '../../scheduler/scheduler';
import type { CliContext } from '../context';
import { cronForEvery } from '../every';

const list = (s?: string) =>
  s
    ? s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

export function registerAgent(program: Command, ctx: CliContext): void {
  const agent = program.command('agent').description('the site side: collector and file server');

  agent
    .command('collect')
    .description("append this host's cpu / mem / disk / os / uptime / node lines to the daily file")
    .requiredOption('--dir <dir>', "directory of system_info_YYYYmmdd.txt (the site's sys_monitor)")
    .requiredOption('--site <site_id>', 'site_id written in the lines')
    .option('--server <name>', 'server_name (default: hostname)')
    .option('--ip <ip>', 'server_ip (default: primary IPv4)')
    .option(
      '--mounts <list>',
      'comma-separated mount points (default: every real local filesystem)',
    )
    .option('--nodes <list>', 'comma-separated process names or tcp:PORT to report up/down')
    .option('--once', 'take one sample and exit (for system cron)')
    .option('--every <interval>', 'sample on this period until stopped, e.g. 5m, 30s')
    .action(
      async (o: {
        dir: string;
        site: string;
        server?: string;
        ip?: string;
        mounts?: string;
        nodes?: string;
        once?: boolean;
        every?: string;
      }) => {
        if (!o.once === !o.every)
          throw new SitewatchError('USAGE', 'Give exactly one of --once or --every <interval>.');
        const cfg = ctx.config();
        const log = ctx.log();
        const id = o.server && o.ip ? { server: o.server, ip: o.ip } : await defaultIdentity();
        const opts: CollectOptions = {
          dir: o.dir,
          siteCode: o.site,
          server: o.server ?? id.server,
          ip: o.ip ?? id.ip,
          tz: cfg.timezone,
          mounts: list(o.mounts),
          nodes: list(o.nodes),
          log,
        };
        if (o.once) {
          const r = await collectOnce(opts);
          ctx.out(`Appended ${r.lines.length} lines to ${r.file}\n`);
          for (const w of r.warnings) ctx.io.stderr.write(`warning: ${w}\n`);
          return;
        }
        const scheduler = createScheduler(
          [createCollectJob({ ...opts, schedule: cronForEvery(o.every!) })],
          log,
        );
        scheduler.start();
        ctx.out(
          `Collecting every ${o.every} into ${o.dir} as ${opts.server} (${opts.ip}); Ctrl-C stops.\n`,
        );
        await ctx.io.untilSignal();
        await scheduler.stop();
      },
    );

  agent
    .command('serve')
    .description(
      'serve a site directory read-only over HTTP, under /sys_monitor, /sys_alarm, /sys_service',
    )
    .requiredOption('--dir <dir>', 'site root holding sys_monitor/, sys_alarm/, sys_service/')
    .option('--host <address>', 'bind address', '127.0.0.1')
    .option('--port <port>', 'TCP port', '8088')
    .action(async (o: { dir: string; host: string; port: string }) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new SitewatchError('USAGE', `--port "${o.port}" is not a TCP port.`);
      const cfg = ctx.config();
      const log = ctx.log();
      const server = await startFileServer({
        dir: o.dir,
        host: o.host,
        port,
        token: cfg.agent.token,
        log,
      });
      ctx.out(
        `Serving ${o.dir} at ${server.url}${cfg.agent.token ? ' (bearer token required)' : ''}; Ctrl-C stops.\n`,
      );
      await ctx.io.untilSignal();
      await server.close();
    });
}
