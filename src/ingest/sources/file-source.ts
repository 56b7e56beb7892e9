// Local directory source (file:// base URL) for sites that push their files onto the hub's disk.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolve, sep } from 'node:path';
import { fetchError } from './http-source';
import type { FetchRequest, FetchResponse, FileSource, SourceOptions } from './types';

export function createFileSource(opts: SourceOptions): FileSource {
  const root = resolve(fileURLToPath(opts.baseUrl));
  return {
    async fetch(req: FetchRequest): Promise<FetchResponse> {
      const full = resolve(root, `.${req.path}`);
      if (!full.startsWith(root + sep))
        throw fetchError(`${req.path}: outside the site directory`, false);
      let st;
      try {
        st = await stat(full);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 404 };
        throw fetchError(`${full}: ${(err as Error).message}`, true, err);
      }
      if (!st.isFile()) return { status: 404 };
      const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
      if (req.etag && req.etag === etag) return { status: 304, etag };
      const start = req.rangeStart ?? 0;
      if (start >= st.size && !(start === 0 && st.size === 0))
        return { status: 416, total: st.size };
      return {
        status: req.rangeStart === undefined ? 200 : 206,
        start,
        total: st.size,
        etag,
        lastModified: st.mtime.toUTCString(),
        body: createReadStream(full, {
          start,
          end: Math.max(st.size - 1, 0),
          highWaterMark: 256 * 1024,
        }),
      };
    },
  };
}
