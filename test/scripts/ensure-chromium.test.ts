// `npm test` on a fresh machine: chromium is installed when root with apt-get can, else the run stops before jest with one sentence.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHROMIUM_PATH, type EnsureDeps, ensureChromium } from '../../scripts/ensure-chromium';

function machine(o: { chromium: boolean; root: boolean; apt: boolean; aptExit?: number }) {
  const files = new Set<string>();
  if (o.chromium) files.add(CHROMIUM_PATH);
  if (o.apt) files.add('/usr/bin/apt-get');
  const ran: string[] = [];
  const said: string[] = [];
  const deps: EnsureDeps = {
    exists: (p) => files.has(p),
    isRoot: () => o.root,
    run: (cmd, args) => {
      ran.push([cmd, ...args].join(' '));
      const exit = args.includes('install') ? (o.aptExit ?? 0) : 0;
      if (args.includes('install') && exit === 0) files.add(CHROMIUM_PATH);
      return exit;
    },
    say: (line) => void said.push(line),
  };
  return { deps, ran, said };
}

describe('ensureChromium', () => {
  it('does nothing when chromium is there', () => {
    const m = machine({ chromium: true, root: true, apt: true });
    expect(ensureChromium(m.deps)).toBe(true);
    expect([m.ran, m.said]).toEqual([[], []]);
  });

  it('installs it with apt-get as root, without asking', () => {
    const m = machine({ chromium: false, root: true, apt: true });
    expect(ensureChromium(m.deps)).toBe(true);
    expect(m.ran).toEqual([
      '/usr/bin/env DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get update -qq',
      '/usr/bin/env DEBIAN_FRONTEND=noninteractive /usr/bin/apt-get install -y -qq chromium',
    ]);
    expect(m.said).toEqual([
      "Installing Debian's chromium for the portal's browser tests (apt-get install -y chromium)…",
    ]);
  });

  it('stops with one sentence when it cannot install (not root, or no apt-get)', () => {
    const sentence =
      "npm test needs Debian's chromium at /usr/bin/chromium for the portal's browser tests: run `sudo apt-get install -y chromium`, then `npm test` again.";
    for (const o of [
      { chromium: false, root: false, apt: true },
      { chromium: false, root: true, apt: false },
    ]) {
      const m = machine(o);
      expect(ensureChromium(m.deps)).toBe(false);
      expect([m.ran, m.said]).toEqual([[], [sentence]]);
    }
  });

  it('stops and says so when apt-get fails', () => {
    const m = machine({ chromium: false, root: true, apt: true, aptExit: 100 });
    expect(ensureChromium(m.deps)).toBe(false);
    expect(m.said[1]).toBe(
      'apt-get could not install chromium (exit 100): run `apt-get install -y chromium` and look at its output, then `npm test` again.',
    );
  });

  it('is the step npm test runs before jest', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test).toBe(
      'tsc -p tsconfig.build.json && node dist/scripts/ensure-chromium.js && jest',
    );
    // Built by the test command's tsc; on this machine chromium is there, so it passes quietly.
    const r = spawnSync(process.execPath, [
      join(__dirname, '..', '..', 'dist', 'scripts', 'ensure-chromium.js'),
    ]);
    expect([r.status, r.stderr.toString()]).toEqual([0, '']);
  });
});
