// Runs the CLI in-process with captured output, the way a shell would.
import { Readable } from 'node:stream';
import { runCli } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([Buffer.from(stdin)]),
    env,
    untilSignal: () => Promise.resolve(),
  });
  return { code, stdout, stderr };
}
