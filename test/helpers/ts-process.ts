// Runs a TypeScript file of the tests in a process of its own, compiled as jest does (SWC), and collects its output and exit.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { processEnv } from '../../config/schema';

const ROOT = join(__dirname, '..', '..');

export interface TsProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node -e` code that runs the .ts file named by argv[1], compiled as jest does (SWC). */
export const REGISTER = `
  const swc = require('@swc/core');
  const options = ${JSON.stringify({
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  })};
  require.extensions['.ts'] = (m, f) => m._compile(swc.transformFileSync(f, options).code, f);
  require(process.argv[1]);`;

/** Run `file` to its end (killed after `timeoutMs`); the environment is PATH and `env` only. */
export function runTsProcess(
  file: string,
  o: { env?: Record<string, string>; timeoutMs: number },
): Promise<TsProcessRun> {
  const c = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '-e', REGISTER, file],
    {
      cwd: ROOT,
      env: { PATH: processEnv().PATH ?? '', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  c.stdout.on('data', (d) => (stdout += String(d)));
  c.stderr.on('data', (d) => (stderr += String(d)));
  const timer = setTimeout(() => c.kill('SIGKILL'), o.timeoutMs);
  return new Promise((resolve) =>
    c.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}
