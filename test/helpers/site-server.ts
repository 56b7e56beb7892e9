// A real HTTP server on loopback that serves site files from memory and can misbehave on purpose.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Mode = 'range' | 'ignore-range' | 'wrong-range' | 'fail';

export interface RequestRecord {
  path: string;
  range?: string;
  ifNoneMatch?: string;
  authorization?: string;
  status: number;
  bytes: number;
}

export interface SiteServer {
  url: string;
  files: Map<string, Buffer>;
  mode: Mode;
  /** Answer the next N requests with 500 before behaving. */
  failNext: number;
  requests: RequestRecord[];
  put(path: string, content: string | Buffer): void;
  append(path: string, content: string | Buffer): void;
  close(): Promise<void>;
}

const etagOf = (b: Buffer) => `"${createHash('sha1').update(b).digest('hex').slice(0, 16)}"`;

export async function startSiteServer(): Promise<SiteServer> {
  const files = new Map<string, Buffer>();
  const state: SiteServer = {
    url: '',
    files,
    mode: 'range',
    failNext: 0,
    requests: [],
    put: (p, c) => files.set(p, Buffer.isBuffer(c) ? c : Buffer.from(c)),
    append: (p, c) =>
      files.set(
        p,
        Buffer.concat([files.get(p) ?? Buffer.alloc(0), Buffer.isBuffer(c) ? c : Buffer.from(c)]),
      ),
    close: () => new Promise((r) => server.close(() => r())),
  };
  const record = (req: IncomingMessage, status: number, bytes: number) =>
    state.requests.push({
      path: req.url ?? '',
      range: req.headers.range,
      ifNoneMatch: req.headers['if-none-match'] as string | undefined,
      authorization: req.headers.authorization,
      status,
      bytes,
    });
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '').split('?')[0]);
    if (state.failNext > 0 || state.mode === 'fail') {
      if (state.failNext > 0) state.failNext--;
      record(req, 500, 0);
      res.writeHead(500).end('boom');
      return;
    }
    const body = files.get(path);
    if (!body) {
      record(req, 404, 0);
      res.writeHead(404).end();
      return;
    }
    const etag = etagOf(body);
    if (req.headers['if-none-match'] === etag) {
      record(req, 304, 0);
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && state.mode !== 'ignore-range') {
      let start = Number(m[1]);
      if (start >= body.length) {
        record(req, 416, 0);
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      if (state.mode === 'wrong-range') start = Math.max(0, start - 7);
      const part = body.subarray(start);
      record(req, 206, part.length);
      res.writeHead(206, {
        ETag: etag,
        'Content-Length': part.length,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      res.end(part);
      return;
    }
    record(req, 200, body.length);
    res.writeHead(200, { ETag: etag, 'Content-Length': body.length, 'Accept-Ranges': 'bytes' });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
