// The `sitewatch` command line: a stable contract (exit 0 ok, 1 partial failure, 2 bad usage or
// configuration, 3 the database server cannot be reached).
import { Command, CommanderError } from 'commander';
import { ConfigError, processEnv } from '../../config/schema';
import { SitewatchError, describeError } from '../errors';
import { registerAgent } from './commands/agent';
import { registerAlarm } from './commands/alarm';
import { registerAsk } from './commands/ask';
import { registerDb } from './commands/db';
import { registerDemo } from './commands/demo';
import { registerErrors } from './commands/errors';
import { registerIngest } from './commands/ingest';
import { registerOutbox } from './commands/outbox';
import { registerReport } from './commands/report';
import { registerSimulate } from './commands/simulate';
import { registerSite } from './commands/site';
import { registerStart } from './commands/start';
import { registerStatus } from './commands/status';
import { registerUser } from './commands/user';
import { EXIT, Exit, createCliContext } from './context';
import type { CliIo } from './io';

export { EXIT };

/** Errors that mean the command line or the configuration must change: retrying cannot help. */
const BAD_USAGE: readonly string[] = ['USAGE', 'DB_URL', 'DB_MISSING', 'DB_CONNECT'];

/** One line per command group; adding a command is one file and one line here. */
const COMMANDS = [
  registerDb,
  registerSite,
  registerUser,
  registerIngest,
  registerErrors,
  registerAlarm,
  registerOutbox,
  registerReport,
  registerStatus,
  registerStart,
  registerAgent,
  registerSimulate,
  registerDemo,
  registerAsk,
];

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const ctx = createCliContext(io);
  const program = new Command('sitewatch')
    .description('Sitewatch: ingest site files, answer on WeChat, alarm and report.')
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const register of COMMANDS) register(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof Exit) return err.code;
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.stderr.write(`sitewatch: ${describeError(err)}\n`);
    if (err instanceof ConfigError) return EXIT.usage;
    if (err instanceof SitewatchError && BAD_USAGE.includes(err.code)) return EXIT.usage;
    if (err instanceof SitewatchError && err.code === 'DB_UNREACHABLE') return EXIT.unavailable;
    return EXIT.partial;
  }
}

/**
 * Process entry: real streams, signals and exit code. Signal handlers are installed before the
 * command starts, so a Ctrl-C during start-up is honoured once the command is ready to stop;
 * a second Ctrl-C ends the process at once.
 */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  let signals = 0;
  let onFirst!: () => void;
  const signalled = new Promise<void>((resolve) => (onFirst = resolve));
  const onSignal = () => {
    if (++signals === 1) onFirst();
    else process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: processEnv(),
    untilSignal: () => signalled,
  });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
}
