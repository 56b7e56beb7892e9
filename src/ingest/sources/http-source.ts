// HTTP(S) source: ranged GETs with axios, identity encoding so ranges count file bytes.
import axios, { AxiosError } from 'axios';
import type { Readable } from 'node:stream';
import { FetchError, SitewatchError } from '../../errors';
import type { FetchRequest, FetchResponse, FileSource, SourceOptions } from './types';

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

function header(h: Record<string, unknown>, name: string): string | null {
  const v = h[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? String(v[0]) : v == null ? null : String(v);
}

/** Network failures, stalls and 5xx are worth another try; 4xx are not. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof FetchError) return err.retryable;
  return err instanceof SitewatchError && err.code === 'FETCH_TIMEOUT';
}

/** Shorthand for the sources: a FetchError with its cause. */
export function fetchError(message: string, retryable: boolean, cause?: unknown): FetchError {
  return new FetchError(message, retryable, { cause });
}

export function createHttpSource(opts: SourceOptions): FileSource {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const client = axios.create({
    timeout: opts.timeoutMs,
    responseType: 'stream',
    decompress: false,
    maxRedirects: 3,
    validateStatus: () => true,
  });
  return {
    async fetch(req: FetchRequest): Promise<FetchResponse> {
      const url = base + req.path;
      const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
      if (req.rangeStart !== undefined) headers.Range = `bytes=${req.rangeStart}-`;
      if (req.etag) headers['If-None-Match'] = req.etag;
      if (opts.authToken) headers.Authorization = `Bearer ${opts.authToken}`;
      let res;
      try {
        res = await client.get<Readable>(url, { headers });
      } catch (err) {
        const ax = err as AxiosError;
        if (ax.code === 'ECONNABORTED' || ax.code === 'ETIMEDOUT') {
          throw new SitewatchError(
            'FETCH_TIMEOUT',
            `${url}: no answer within ${opts.timeoutMs} ms`,
            { cause: err },
          );
        }
        throw fetchError(`${url}: ${ax.code ?? ''} ${ax.message}`.trim(), true, err);
      }
      const h = res.headers as Record<string, unknown>;
      const etag = header(h, 'etag');
      const lastModified = header(h, 'last-modified');
      const body = res.data;
      const drop = () => body.destroy();
      switch (res.status) {
        case 200:
        case 206: {
          if (header(h, 'content-encoding') && header(h, 'content-encoding') !== 'identity') {
            drop();
            throw fetchError(
              `${url}: server sent ${header(h, 'content-encoding')} encoding although identity was asked`,
              false,
            );
          }
          if (res.status === 200) {
            const len = header(h, 'content-length');
            return {
              status: 200,
              start: 0,
              total: len ? Number(len) : null,
              etag,
              lastModified,
              body,
            };
          }
          const m = CONTENT_RANGE.exec(header(h, 'content-range') ?? '');
          if (!m) {
            drop();
            throw fetchError(`${url}: 206 without a usable Content-Range`, false);
          }
          return {
            status: 206,
            start: Number(m[1]),
            total: m[3] === '*' ? null : Number(m[3]),
            etag,
            lastModified,
            body,
          };
        }
        case 304:
          drop();
          return { status: 304, etag };
        case 404:
        case 410:
          drop();
          return { status: 404 };
        case 416: {
          drop();
          const m = /\/(\d+)$/.exec(header(h, 'content-range') ?? '');
          return { status: 416, total: m ? Number(m[1]) : null };
        }
        default:
          drop();
          if (res.status === 401 || res.status === 403) {
            throw fetchError(
              `${url}: access refused (HTTP ${res.status}); check the site's token`,
              false,
            );
          }
          throw fetchError(`${url}: HTTP ${res.status}`, res.status >= 500 || res.status === 429);
      }
    },
  };
}
