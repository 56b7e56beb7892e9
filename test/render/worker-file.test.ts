// Tests for locating compiled worker modules: next to the caller, under dist/, or a clear error.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SitewatchError } from '../../src/errors';
import { workerFile } from '../../src/workers/worker-file';

const root = path.resolve(__dirname, '..', '..');

describe('workerFile', () => {
  it('takes <fromDir>/<name>.js when it exists (running compiled code)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sitewatch-worker-'));
    try {
      writeFileSync(path.join(dir, 'job.js'), 'module.exports = () => 1;\n');
      expect(workerFile(dir, 'job')).toBe(path.join(dir, 'job.js'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the compiled file under dist/ when running TypeScript sources', () => {
    // jest runs src/ through SWC; `npm test` builds dist/ first.
    expect(workerFile(path.join(root, 'src', 'render'), 'render-worker')).toBe(
      path.join(root, 'dist', 'src', 'render', 'render-worker.js'),
    );
  });

  it('says to run npm run build when there is no compiled file', () => {
    let err: unknown;
    try {
      workerFile(path.join(root, 'src', 'render'), 'no-such-worker');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SitewatchError);
    expect((err as SitewatchError).code).toBe('NOT_FOUND');
    expect((err as SitewatchError).message).toMatch(
      /worker module "no-such-worker" is not compiled: .*run `npm run build`/,
    );
  });
});
