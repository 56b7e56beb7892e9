// What every CLI command gets: the io, the config (parsed once, on first use) and a database helper.
import type { DataSource } from 'typeorm';
import { loadAlarmDict } from '../../config/alarm-dict';
import { type Config, loadConfig } from '../../config/schema';
import { migrate, openDataSource } from '../db/data-source';
import { type Logger, createLogger } from '../log';
import type { CliIo } from './io';

export const EXIT = { ok: 0, partial: 1, usage: 2, unavailable: 3 } as const;

/** Thrown by a command to end with a given exit code after printing its output. */
export class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface CliContext {
  io: CliIo;
  out(s: string): void;
  config(): Config;
  /**
   * The log on stderr. Commands that talk to a person (`quiet`) show warnings and worse unless a
   * more verbose level is configured; long-running services log at the configured level.
   */
  log(o?: { quiet?: boolean }): Logger;
  /**
   * Open the database (migrated unless told not to), run `fn`, close it. A missing SQLite file is
   * created only when told to (`db migrate`): any other command on a mistyped URL says it is missing.
   */
  withDb<T>(
    fn: (ds: DataSource) => Promise<T>,
    opts?: { migrate?: boolean; create?: boolean },
  ): Promise<T>;
}

/** The configuration and the alarm dictionary it names: a broken one fails every command alike. */
function loadCheckedConfig(env: CliIo['env']): Config {
  const config = loadConfig({ env });
  loadAlarmDict(config.alarms.dictPath);
  return config;
}

export function createCliContext(io: CliIo): CliContext {
  let config: Config | undefined;
  const ctx: CliContext = {
    io,
    out: (s) => void io.stdout.write(s),
    config: () => (config ??= loadCheckedConfig(io.env)),
    log(o = {}) {
      const level = ctx.config().log.level;
      return createLogger(
        o.quiet && level === 'info' ? 'warn' : level,
        io.stderr as NodeJS.WritableStream,
      );
    },
    async withDb(fn, opts = {}) {
      const ds = await openDataSource(ctx.config().db.url, { create: opts.create ?? false });
      try {
        if (opts.migrate !== false) await migrate(ds);
        return await fn(ds);
      } finally {
        await ds.destroy();
      }
    },
  };
  return ctx;
}
