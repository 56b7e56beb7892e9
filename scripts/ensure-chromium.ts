// Before jest: the portal's browser tests need Debian's chromium; install it when this machine can (root with apt-get), else stop with one sentence saying what to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const APT_GET = '/usr/bin/apt-get';

export interface EnsureDeps {
  exists(path: string): boolean;
  isRoot(): boolean;
  /** Runs a command with inherited output; its exit code. */
  run(cmd: string, args: string[]): number;
  say(line: string): void;
}

/** True when chromium is there (or was installed now); false after saying, in one sentence, what to run. */
export function ensureChromium(d: EnsureDeps): boolean {
  if (d.exists(CHROMIUM_PATH)) return true;
  if (!d.isRoot() || !d.exists(APT_GET)) {
    d.say(
      `npm test needs Debian's chromium at ${CHROMIUM_PATH} for the portal's browser tests: run \`sudo apt-get install -y chromium\`, then \`npm test\` again.`,
    );
    return false;
  }
  d.say(
    `Installing Debian's chromium for the portal's browser tests (apt-get install -y chromium)…`,
  );
  // env(1) sets the frontend: apt-get must never wait for an answer under npm.
  const apt = (...args: string[]) =>
    d.run('/usr/bin/env', ['DEBIAN_FRONTEND=noninteractive', APT_GET, ...args]);
  const updated = apt('update', '-qq');
  const installed = updated === 0 ? apt('install', '-y', '-qq', 'chromium') : updated;
  if (installed === 0 && d.exists(CHROMIUM_PATH)) return true;
  d.say(
    `apt-get could not install chromium (exit ${installed}): run \`apt-get install -y chromium\` and look at its output, then \`npm test\` again.`,
  );
  return false;
}

if (require.main === module) {
  const ok = ensureChromium({
    exists: existsSync,
    isRoot: () => process.getuid?.() === 0,
    run: (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit' }).status ?? 1,
    say: (line) => console.error(line),
  });
  if (!ok) process.exitCode = 1;
}
