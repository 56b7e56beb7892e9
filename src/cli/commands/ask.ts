// `sitewatch ask|chat --as <login>`: the bot's command layer on the console, exactly as a bound WeChat user.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { createCommandRegistry } from '../../../commands/registry';
import { createCommandRouter } from '../../../commands/router';
import type { Caller, Reply } from '../../../commands/types';
import { User } from '../../../entities';
import { SitewatchError } from '../../errors';
import { registerChartFonts } from '../../render/fonts';
import { SIZES, renderPng } from '../../render/render';
import type { CliContext } from '../context';

async function callerFor(ds: DataSource, login: string): Promise<Caller> {
  const u = await ds.getRepository(User).findOne({ where: { login } });
  if (!u) throw new SitewatchError('NOT_FOUND', `No user "${login}".`);
  return { userId: u.id, login: u.login, displayName: u.displayName, role: u.role };
}

export function registerAsk(program: Command, ctx: CliContext): void {
  const open = (ds: DataSource, login: string, out?: string) => {
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
    const router = createCommandRouter(createCommandRegistry(), {
      ds,
      config: cfg,
      log,
      renderChart,
      now: Date.now,
    });
    let n = 0;
    const print = (replies: Reply[]) => {
      for (const r of replies) {
        if (r.kind === 'text') ctx.out(`${r.text}\n`);
        else {
          const file = join(resolve(out!), `${String(++n).padStart(2, '0')}-${r.name}`);
          mkdirSync(resolve(out!), { recursive: true });
          writeFileSync(file, r.png);
          ctx.out(`[image] ${r.alt}: ${file}\n`);
        }
      }
    };
    return callerFor(ds, login).then((caller) => ({ caller, router, print }));
  };

  program
    .command('ask <text...>')
    .description('ask the bot one question as a user; charts are written to --out')
    .requiredOption('--as <login>', 'the user to ask as (their sites and role apply)')
    .option('--out <dir>', 'directory for chart images (without it, charts are skipped)')
    .action((words: string[], o: { as: string; out?: string }) =>
      ctx.withDb(async (ds) => {
        const { caller, router, print } = await open(ds, o.as, o.out);
        print(await router.handle(words.join(' '), caller, null));
      }),
    );

  program
    .command('chat')
    .description('talk to the bot on the console as a user, one question a line (Ctrl-D ends)')
    .requiredOption('--as <login>', 'the user to talk as')
    .option('--out <dir>', 'directory for chart images')
    .action((o: { as: string; out?: string }) =>
      ctx.withDb(async (ds) => {
        const { caller, router, print } = await open(ds, o.as, o.out);
        ctx.out(
          `Sitewatch chat as ${caller.login} (${caller.role}). 发送“帮助”查看命令; Ctrl-D ends.\n`,
        );
        const rl = createInterface({ input: ctx.io.stdin, terminal: false });
        for await (const line of rl) {
          if (line.trim() === '') continue;
          print(await router.handle(line, caller, null));
        }
      }),
    );
}
