// Where a site's files come from: HTTP(S) or a local directory, behind one fetch interface.
import type { Readable } from 'node:stream';

export interface FetchRequest {
  /** Path under the site's base, e.g. /sys_monitor/system_info_20261125.txt. */
  path: string;
  /** Ask for the bytes from here on (HTTP Range); undefined for the whole file. */
  rangeStart?: number;
  /** Validator of the copy we have; a source may answer 304 when it still matches. */
  etag?: string | null;
}

export type FetchResponse =
  | { status: 304 | 404; etag?: string | null }
  | { status: 416; total: number | null }
  | {
      /** 206: body starts at `start`; 200: the whole file from byte 0. */
      status: 200 | 206;
      start: number;
      total: number | null;
      etag: string | null;
      lastModified: string | null;
      body: Readable;
    };

export interface FileSource {
  fetch(req: FetchRequest): Promise<FetchResponse>;
}

export interface SourceOptions {
  baseUrl: string;
  timeoutMs: number;
  authToken?: string | null;
}
