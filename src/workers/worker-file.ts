// Locates the compiled JavaScript of a worker-thread module, from dist/ or from TypeScript sources.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SitewatchError } from '../errors';

/**
 * The project root: this file is <root>/src/workers/worker-file.ts when sources run directly
 * (jest, SWC) and <root>/dist/src/workers/worker-file.js when compiled.
 */
export function projectRoot(): string {
  const fromSources = path.extname(__filename) === '.ts';
  return path.resolve(__dirname, ...(fromSources ? ['..', '..'] : ['..', '..', '..']));
}

/**
 * Path of the compiled JS of worker module `name` that lives in `fromDir` (pass `__dirname`):
 * `<fromDir>/<name>.js` when running compiled code; when running TypeScript sources (worker
 * threads cannot load .ts), the same file under `<root>/dist/`, which `npm run build` (and so
 * `npm test`) produces. Throws a SitewatchError saying so when neither exists.
 */
export function workerFile(fromDir: string, name: string): string {
  const here = path.join(fromDir, `${name}.js`);
  if (existsSync(here)) return here;
  const root = projectRoot();
  const rel = path.relative(root, path.resolve(fromDir));
  const compiled = path.join(root, 'dist', rel, `${name}.js`);
  if (!rel.startsWith('..') && !path.isAbsolute(rel) && existsSync(compiled)) return compiled;
  throw new SitewatchError(
    'NOT_FOUND',
    `worker module "${name}" is not compiled: neither ${here} nor ${compiled} exists; run \`npm run build\``,
  );
}
