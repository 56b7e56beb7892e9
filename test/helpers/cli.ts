// Runs the CLI in-process with captured output, the way a shell would.
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `untilSignal` stands for Ctrl-C: long-running commands stop when it resolves (at once by default). */
export async function cli(
  argv: string[],
  env: Record<string, string>,
  stdin = '',
  untilSignal: () => Promise<void> = () => Promise.resolve(),
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([Buffer.from(stdin)]),
    env,
    untilSignal,
  });
  return { code, stdout, stderr };
}
