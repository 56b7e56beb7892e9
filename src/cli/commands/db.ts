// `sitewatch db …`: schema maintenance.
import type { Command } from 'commander';
import { migrate } from '../../db/data-source';
import type { CliContext } from '../context';

export function registerDb(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending schema migrations')
    .action(() =>
      ctx.withDb(
        async (ds) => {
          const applied = await migrate(ds);
          ctx.out(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Schema is up to date.\n');
        },
        { migrate: false, create: true },
      ),
    );
}
