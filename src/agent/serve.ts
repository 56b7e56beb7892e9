// The site's file server: serves the three daily files read-only over HTTP, with Range, ETag and an optional bearer token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { SitewatchError } from '../errors';
import { silentLogger, type Logger } from '../log';

export interface ServeOptions {
  /** Directory holding sys_monitor/, sys_alarm/ and sys_service/; must exist. */
  dir: string;
  host: string;
  /** 0 picks a free port; `url` then names the real one. */
  port: number;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string | null;
  log?: Logger;
}

export interface FileServer {
  /** Base URL of the server, e.g. http://127.0.0.1:8080 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

/**
 * The only request paths served, matched against the raw request target (before any
 * percent-decoding), so `%2f`, `%2e%2e`, `\`, `..`, `//` and the like can never match.
 * Directory and file prefix must belong together (as in src/ingest/formats).
 */
const FILE_PATH =
  /^\/(?:(sys_monitor)\/system_info|(sys_alarm)\/system_alarm|(sys_service)\/system_service)_(\d{4})(\d{2})(\d{2})\.txt$/;

/** The file's path relative to the root, or null when the request path is not one of the site files. */
export function siteFilePath(rawPath: string): string | null {
  const m = FILE_PATH.exec(rawPath);
  if (!m) return null;
  const [y, mo, d] = [Number(m[4]), Number(m[5]), Number(m[6])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const real =
    date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return real ? rawPath.slice(1) : null;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time check of `Authorization: Bearer <token>` (both sides hashed, so lengths match). */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  const given = digest(m ? m[1] : '');
  return timingSafeEqual(given, expected) && m !== null;
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function plain(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply
    .code(status)
    .type('text/plain; charset=utf-8')
    .send(text + '\n');
}

export async function startFileServer(o: ServeOptions): Promise<FileServer> {
  const log = o.log ?? silentLogger;
  if (o.token === '') {
    // An empty token would silently mean "no auth"; refuse rather than serve openly.
    throw new SitewatchError(
      'USAGE',
      'The file server token is empty; leave it unset to serve without one.',
    );
  }
  const expected = o.token ? digest(o.token) : null;
  // Every file must resolve inside this real root; resolving it once also fails fast if it is missing.
  let root: string;
  try {
    root = await realpath(path.resolve(o.dir));
    if (!(await stat(root)).isDirectory()) throw new Error('not a directory');
  } catch (err) {
    throw new SitewatchError('USAGE', `${o.dir} is not a readable directory.`, { cause: err });
  }

  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    return503OnClosing: true,
    // A malformed URL or header gets a bare 400 that echoes nothing back.
    frameworkErrors: (_err, _req, reply) => {
      plain(reply, 400, 'Bad Request');
    },
  });

  await app.register(fastifyStatic, {
    root,
    serve: false, // no wildcard route, no listing: only the route below calls sendFile
    index: false,
    list: false,
    redirect: false,
    dotfiles: 'ignore',
    preCompressed: false,
    acceptRanges: true,
    etag: true,
    lastModified: true,
    // The files may be GBK, so no charset is claimed.
    contentType: false,
    setHeaders: (reply) => {
      if (reply.statusCode !== 304) reply.header('content-type', 'text/plain');
      reply.header('x-content-type-options', 'nosniff');
    },
  });

  const started = new WeakMap<FastifyRequest, bigint>();
  app.addHook('onRequest', async (req, reply) => {
    started.set(req, process.hrtime.bigint());
    if (expected && !authorized(req.headers.authorization, expected)) {
      reply.header('www-authenticate', 'Bearer');
      return plain(reply, 401, 'Unauthorized');
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const t0 = started.get(req);
    const ms = t0 === undefined ? undefined : Number(process.hrtime.bigint() - t0) / 1e6;
    const raw = req.raw.url ?? '';
    log.debug(
      {
        method: req.method,
        path: raw.length > 200 ? raw.slice(0, 200) + '…' : raw,
        status: reply.statusCode,
        range: req.headers.range,
        ms: ms === undefined ? undefined : Math.round(ms * 10) / 10,
      },
      'serve request',
    );
  });

  app.setNotFoundHandler((req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply.header('allow', 'GET, HEAD');
      return plain(reply, 405, 'Method Not Allowed');
    }
    return plain(reply, 404, 'Not Found');
  });

  app.setErrorHandler((err: FastifyError & { headers?: Record<string, string> }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      log.warn({ err, method: req.method }, 'serve: request failed');
      return plain(reply, 500, 'Internal Server Error');
    }
    // e.g. 416 from @fastify/send, which carries `Content-Range: bytes */<size>`.
    for (const [k, v] of Object.entries(err.headers ?? {})) reply.header(k, v);
    const text: Record<number, string> = {
      400: 'Bad Request',
      403: 'Not Found',
      412: 'Precondition Failed',
      416: 'Range Not Satisfiable',
    };
    // A 403 (path refused) is answered as 404 so that nothing tells what exists.
    return plain(reply, status === 403 ? 404 : status, text[status] ?? 'Bad Request');
  });

  app.route({
    method: ['GET', 'HEAD'],
    url: '/*',
    handler: async (req, reply) => {
      const raw = req.raw.url ?? '';
      const q = raw.indexOf('?');
      const rel = siteFilePath(q === -1 ? raw : raw.slice(0, q));
      if (rel === null) return plain(reply, 404, 'Not Found');
      // Follow symlinks here, once: the real file must be a regular file inside the real root.
      let real: string;
      try {
        real = await realpath(path.join(root, rel));
        if (!isInside(root, real) || !(await stat(real)).isFile()) {
          return plain(reply, 404, 'Not Found');
        }
      } catch {
        return plain(reply, 404, 'Not Found');
      }
      // Send the resolved path (no symlink left to follow); @fastify/send does Range, ETag, 304, 416.
      return reply.sendFile(path.relative(root, real).split(path.sep).join('/'), root);
    },
  });

  await app.listen({ host: o.host, port: o.port });
  const addr = app.server.address() as AddressInfo;
  const host = o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host;
  const url = `http://${host}:${addr.port}`;
  log.info({ root, host: o.host, port: addr.port, auth: expected !== null }, 'serve: listening');
  let closing: Promise<void> | null = null;
  return {
    url,
    close: () => (closing ??= app.close()),
  };
}
