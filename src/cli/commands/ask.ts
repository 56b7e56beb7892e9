// `sitewatch ask|chat --as <login>`: the console transport, through the same message path and router as a bound WeChat user.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { createAssistant } from '../../../commands/assistant';
import { findUserByLogin } from '../../admin/chat-bindings';
import { consoleTransport } from '../../chat-transports';
import { SitewatchError } from '../../errors';
import { registerChartFonts } from '../../render/fonts';
import { SIZES, renderPng } from '../../render/render';
import type { CliContext } from '../context';

export function registerAsk(program: Command, ctx: CliContext): void {
  const open = async (ds: DataSource, login: string, out?: string) => {
    const cfg = ctx.config();
    const log = ctx.log({ quiet: true });
    let renderChart = null;
    if (out) {
      // The console renders in-process: one request does not need the worker pool's start-up.
      const family = registerChartFonts({
        family: cfg.charts.fontFamily,
        paths: cfg.charts.fontPaths,
      }).family;
      renderChart = async (option: Record<string, unknown>) =>
        renderPng(option, SIZES.chat, family);
    }
    const router = createAssistant({
      ds,
      config: cfg,
      log,
      renderChart,
      now: Date.now,
    });
    const caller = await findUserByLogin(ds, login);
    if (!caller) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
    const transport = consoleTransport.create({
      config: cfg,
      ds,
      router,
      log,
      leases: null,
      now: Date.now,
      console: { login, write: (s) => ctx.out(s), outDir: out },
    });
    await transport.start();
    return { caller, transport };
  };

  program
    .command('ask <text...>')
    .description('ask the bot one question as a user; charts are written to --out')
    .requiredOption('--as <login>', 'the user to ask as (their sites and role apply)')
    .option('--out <dir>', 'directory for chart images (without it, charts are skipped)')
    .action((words: string[], o: { as: string; out?: string }) =>
      ctx.withDb(async (ds) => {
        const { transport } = await open(ds, o.as, o.out);
        try {
          await transport.say(words.join(' '));
        } finally {
          await transport.stop();
        }
      }),
    );

  program
    .command('chat')
    .description('talk to the bot on the console as a user, one question a line (Ctrl-D ends)')
    .requiredOption('--as <login>', 'the user to talk as')
    .option('--out <dir>', 'directory for chart images')
    .action((o: { as: string; out?: string }) =>
      ctx.withDb(async (ds) => {
        const { caller, transport } = await open(ds, o.as, o.out);
        ctx.out(
          `Sitewatch chat as ${caller.login} (${caller.role}). 发送“帮助”查看命令; Ctrl-D ends.\n`,
        );
        try {
          const rl = createInterface({ input: ctx.io.stdin, terminal: false });
          for await (const line of rl) {
            if (line.trim() === '') continue;
            await transport.say(line);
          }
        } finally {
          await transport.stop();
        }
      }),
    );
}
