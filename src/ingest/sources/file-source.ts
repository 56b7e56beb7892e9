// Local directory source (file:// base URL) for sites that push their files onto the hub's disk.
import { type Stats, constants } from 'node:fs';
import { type FileHandle, lstat, open, readlink, realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { FetchError } from '../../errors';
import { fetchError } from './http-source';
import type { FetchRequest, FetchResponse, FileSource, SourceOptions } from './types';

const isMissing = (err: unknown) =>
  ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

function isInside(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Where the open file really is (no symbolic link left in the path), or null when the path
 * no longer names the file that was opened.
 */
async function openedPath(fh: FileHandle, full: string, st: Stats): Promise<string | null> {
  try {
    // Linux names the file behind the descriptor itself: nothing is resolved a second time.
    const p = await readlink(`/proc/self/fd/${fh.fd}`);
    if (isAbsolute(p)) return p;
  } catch {
    // No /proc: resolve the path, then make sure it still names the open file.
  }
  try {
    const real = await realpath(full);
    const now = await lstat(real);
    return now.dev === st.dev && now.ino === st.ino ? real : null;
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

export function createFileSource(opts: SourceOptions): FileSource {
  const root = resolve(fileURLToPath(opts.baseUrl));
  return {
    async fetch(req: FetchRequest): Promise<FetchResponse> {
      const full = resolve(root, `.${req.path}`);
      if (!full.startsWith(root + sep))
        throw fetchError(`${req.path}: outside the site directory`, false);
      let fh: FileHandle;
      try {
        // Non-blocking, so that a FIFO put in place of a file cannot hang the open.
        fh = await open(full, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (err) {
        if (isMissing(err)) return { status: 404 };
        throw fetchError(`${full}: ${(err as Error).message}`, true, err);
      }
      try {
        const st = await fh.stat();
        if (!st.isFile()) {
          await fh.close();
          return { status: 404 };
        }
        // The file is already open, so a link swapped after this check cannot change what is read.
        const [realRoot, real] = await Promise.all([realpath(root), openedPath(fh, full, st)]);
        if (real === null) throw fetchError(`${req.path}: changed while being opened`, true);
        if (!isInside(realRoot, real)) {
          throw fetchError(`${req.path} leads outside the site folder; it was not read`, false);
        }
        const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
        if (req.etag && req.etag === etag) {
          await fh.close();
          return { status: 304, etag };
        }
        const start = req.rangeStart ?? 0;
        if (start >= st.size && !(start === 0 && st.size === 0)) {
          await fh.close();
          return { status: 416, total: st.size };
        }
        return {
          status: req.rangeStart === undefined ? 200 : 206,
          start,
          total: st.size,
          etag,
          lastModified: st.mtime.toUTCString(),
          body: fh.createReadStream({
            start,
            end: Math.max(st.size - 1, 0),
            highWaterMark: 256 * 1024,
          }),
        };
      } catch (err) {
        await fh.close().catch(() => undefined);
        if (err instanceof FetchError) throw err;
        throw fetchError(`${full}: ${(err as Error).message}`, true, err);
      }
    },
  };
}
