// The site file server over real loopback HTTP: Range, ETag/304, 416, 404/405, traversal, symlinks, token, and the hub's own source.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Readable } from 'node:stream';
import { startFileServer, siteFilePath, type FileServer } from '../../src/agent/serve';
import { createLogger } from '../../src/log';
import { createHttpSource } from '../../src/ingest/sources/http-source';

interface Res {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request: the path goes on the wire exactly as given (no URL normalisation, unlike fetch). */
function request(
  base: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string> } = {},
): Promise<Res> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        host: u.hostname,
        port: u.port,
        path,
        method: opts.method ?? 'GET',
        headers: opts.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end();
  });
}

async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const DAY = '20250101';
const INFO = `/sys_monitor/system_info_${DAY}.txt`;
const ALARM = `/sys_alarm/system_alarm_${DAY}.txt`;
const SERVICE = `/sys_service/system_service_${DAY}.txt`;
const CONTENT = 'line1\nline2\n'; // 12 bytes

let root: string;
let outside: string;

function setupTree(): void {
  const base = mkdtempSync(join(tmpdir(), 'sitewatch-serve-'));
  root = join(base, 'site');
  outside = join(base, 'outside');
  for (const d of ['sys_monitor', 'sys_alarm', 'sys_service'])
    mkdirSync(join(root, d), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, INFO), CONTENT);
  writeFileSync(join(outside, 'secret.txt'), 'SECRET-OUTSIDE\n');
  // Pairing check: a file that exists, but under the wrong directory for its prefix.
  writeFileSync(join(root, `sys_alarm/system_info_${DAY}.txt`), CONTENT);
  // A dotfile and a stray file in the root: never reachable.
  writeFileSync(join(root, '.env'), 'TOKEN=x\n');
  writeFileSync(join(root, 'notes.txt'), 'notes\n');
  // A directory named like a file, holding an index.html: no index, no listing.
  mkdirSync(join(root, `sys_monitor/system_info_20250102.txt`));
  writeFileSync(join(root, `sys_monitor/system_info_20250102.txt/index.html`), '<h1>index</h1>');
}

describe('startFileServer', () => {
  let srv: FileServer;
  const logLines: string[] = [];

  beforeAll(async () => {
    setupTree();
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        cb();
      },
    });
    srv = await startFileServer({
      dir: root,
      host: '127.0.0.1',
      port: 0,
      log: createLogger('debug', sink),
    });
  });
  afterAll(async () => {
    await srv.close();
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('binds port 0 to a real port and names it in url', () => {
    expect(srv.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Number(new URL(srv.url).port)).toBeGreaterThan(0);
  });

  it('GET a whole file: 200 with content, ETag, Last-Modified, Accept-Ranges, no compression', async () => {
    const r = await request(srv.url, INFO, { headers: { 'accept-encoding': 'gzip, br, deflate' } });
    expect(r.status).toBe(200);
    expect(r.body).toBe(CONTENT);
    expect(r.headers.etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    expect(new Date(r.headers['last-modified']!).getTime()).not.toBeNaN();
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.headers['content-length']).toBe('12');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['content-type']).toBe('text/plain');
  });

  it('Range bytes=N- gives 206 with the tail and a matching Content-Range', async () => {
    const r = await request(srv.url, INFO, { headers: { range: 'bytes=6-' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('bytes 6-11/12');
    expect(r.headers['content-length']).toBe('6');
    expect(r.body).toBe('line2\n');
  });

  it('Range bytes=N-M gives exactly those bytes', async () => {
    const r = await request(srv.url, INFO, { headers: { range: 'bytes=1-3' } });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('bytes 1-3/12');
    expect(r.body).toBe('ine');
  });

  it('Range at or past the end gives 416 with bytes */size', async () => {
    for (const range of ['bytes=12-', 'bytes=500-']) {
      const r = await request(srv.url, INFO, { headers: { range } });
      expect(r.status).toBe(416);
      expect(r.headers['content-range']).toBe('bytes */12');
    }
  });

  it('a missing file is 404', async () => {
    const r = await request(srv.url, `/sys_monitor/system_info_20250105.txt`);
    expect(r.status).toBe(404);
  });

  it('If-None-Match with the current ETag is 304; after an append the ETag changes and a range GET returns only the new bytes', async () => {
    const first = await request(srv.url, INFO);
    const etag = first.headers.etag!;
    const same = await request(srv.url, INFO, { headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(same.body).toBe('');
    expect(same.headers.etag).toBe(etag);

    appendFileSync(join(root, INFO), 'line3\n');
    try {
      const grown = await request(srv.url, INFO, {
        headers: { 'if-none-match': etag, range: 'bytes=12-' },
      });
      expect(grown.status).toBe(206);
      expect(grown.headers.etag).toBeDefined();
      expect(grown.headers.etag).not.toBe(etag);
      expect(grown.headers['content-range']).toBe('bytes 12-17/18');
      expect(grown.body).toBe('line3\n');
    } finally {
      writeFileSync(join(root, INFO), CONTENT);
    }
  });

  it('HEAD gives the headers of a GET and no body', async () => {
    const r = await request(srv.url, INFO, { method: 'HEAD' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('12');
    expect(r.headers.etag).toBeDefined();
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.body).toBe('');
  });

  it('other methods are 405 with Allow: GET, HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await request(srv.url, INFO, { method });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
  });

  it('serves only the three name patterns, with their own directory and a real date', async () => {
    const refused = [
      `/sys_alarm/system_info_${DAY}.txt`, // exists on disk, wrong directory for the prefix
      `/sys_monitor/system_alarm_${DAY}.txt`,
      '/sys_monitor/system_info_20251301.txt', // month 13
      '/sys_monitor/system_info_20250230.txt', // 30 February
      '/sys_monitor/system_info_2025011.txt',
      `/sys_monitor/system_info_${DAY}.TXT`,
      `/sys_monitor/system_info_${DAY}.txt.bak`,
      `/sys_monitor/system_info_${DAY}.txt/`,
      '/notes.txt',
      '/.env',
      '/sys_monitor/.env',
    ];
    for (const p of refused) {
      const r = await request(srv.url, p);
      expect({ p, status: r.status }).toEqual({ p, status: 404 });
    }
    // A query string is ignored.
    expect((await request(srv.url, `${INFO}?x=1`)).status).toBe(200);
  });

  it('a directory path gives no listing and no index file', async () => {
    for (const p of [
      '/',
      '/sys_monitor',
      '/sys_monitor/',
      '/sys_monitor/system_info_20250102.txt',
    ]) {
      const r = await request(srv.url, p);
      expect({ p, status: r.status }).toEqual({ p, status: 404 });
      expect(r.body).not.toContain('system_info');
      expect(r.body).not.toContain('index');
    }
  });

  describe('path traversal is refused without leaking paths', () => {
    const variants: [string, string][] = [
      ['dot-dot', '/sys_monitor/../../outside/secret.txt'],
      ['dot-dot to /etc', '/../../../../../../etc/passwd'],
      ['dot-dot back into a served file', `/sys_alarm/..${INFO}`],
      ['dot segment', `/sys_monitor/./system_info_${DAY}.txt`],
      ['encoded slash', '/sys_monitor/..%2f..%2foutside%2fsecret.txt'],
      ['encoded slash to a served file', `/sys_monitor%2fsystem_info_${DAY}.txt`],
      ['encoded upper-case slash', `/sys_monitor%2Fsystem_info_${DAY}.txt`],
      ['encoded dot-dot', '/%2e%2e/%2e%2e/etc/passwd'],
      ['encoded dot-dot back into a served file', `/sys_alarm/%2e%2e${INFO}`],
      ['double-encoded', '/sys_monitor/%252e%252e%252fetc%252fpasswd'],
      ['encoded file name', `/sys_monitor/system_info_${DAY}%2etxt`],
      ['backslash', '/sys_monitor\\..\\..\\outside\\secret.txt'],
      ['backslash separator', `/sys_monitor\\system_info_${DAY}.txt`],
      ['encoded backslash', '/sys_monitor/..%5c..%5cetc%5cpasswd'],
      ['absolute path', '/etc/passwd'],
      ['double slash absolute', '//etc/passwd'],
      ['absolute after a directory', '/sys_monitor//etc/passwd'],
      ['double slash to a served file', `/sys_monitor//system_info_${DAY}.txt`],
      ['absolute-form request target', 'http://127.0.0.1/etc/passwd'],
      ['malformed percent escape', '/sys_monitor/%zz%'],
      ['NUL byte', `/sys_monitor/system_info_${DAY}.txt%00`],
    ];
    it.each(variants)('%s', async (_name, p) => {
      const r = await request(srv.url, p);
      expect([400, 404]).toContain(r.status);
      expect(r.body).not.toContain(root);
      expect(r.body).not.toContain('/etc');
      expect(r.body).not.toContain('root:');
      expect(r.body).not.toContain('SECRET');
      expect(r.body).not.toContain('line1');
    });
  });

  describe('symlinks (realpath must stay inside dir and be a regular file)', () => {
    let linked: FileServer;
    let linkRoot: string;
    beforeAll(async () => {
      linkRoot = join(root, '..', 'linked');
      for (const d of ['sys_monitor', 'sys_alarm'])
        mkdirSync(join(linkRoot, d), { recursive: true });
      writeFileSync(join(linkRoot, 'data.txt'), 'inside target\n');
      writeFileSync(join(linkRoot, INFO), CONTENT);
      // Outside dir: refused.
      symlinkSync('/etc/passwd', join(linkRoot, `sys_alarm/system_alarm_${DAY}.txt`));
      symlinkSync(
        join(outside, 'secret.txt'),
        join(linkRoot, 'sys_alarm/system_alarm_20250102.txt'),
      );
      // A whole directory symlinked outside dir: refused.
      writeFileSync(join(outside, `system_service_${DAY}.txt`), 'SECRET-DIR\n');
      symlinkSync(outside, join(linkRoot, 'sys_service'));
      // Inside dir, relative and absolute: served.
      symlinkSync('../data.txt', join(linkRoot, 'sys_monitor/system_info_20250103.txt'));
      symlinkSync(join(linkRoot, INFO), join(linkRoot, 'sys_alarm/system_alarm_20250104.txt'));
      // Inside dir but to a directory, and a dangling link: not found.
      symlinkSync('..', join(linkRoot, 'sys_monitor/system_info_20250105.txt'));
      symlinkSync('nowhere.txt', join(linkRoot, 'sys_monitor/system_info_20250106.txt'));
      linked = await startFileServer({ dir: linkRoot, host: '127.0.0.1', port: 0 });
    });
    afterAll(() => linked.close());

    it.each([
      ['to /etc/passwd', ALARM],
      ['to a file outside dir', '/sys_alarm/system_alarm_20250102.txt'],
      ['directory link outside dir', SERVICE],
      ['to a directory inside dir', '/sys_monitor/system_info_20250105.txt'],
      ['dangling', '/sys_monitor/system_info_20250106.txt'],
    ])('refused: %s', async (_name, p) => {
      const r = await request(linked.url, p);
      expect(r.status).toBe(404);
      expect(r.body).not.toContain('root:');
      expect(r.body).not.toContain('SECRET');
      expect(r.body).not.toContain(linkRoot);
    });

    it('served: a link to a file inside dir, with Range', async () => {
      const rel = await request(linked.url, '/sys_monitor/system_info_20250103.txt');
      expect(rel.status).toBe(200);
      expect(rel.body).toBe('inside target\n');
      const abs = await request(linked.url, '/sys_alarm/system_alarm_20250104.txt', {
        headers: { range: 'bytes=6-' },
      });
      expect(abs.status).toBe(206);
      expect(abs.body).toBe('line2\n');
    });
  });

  it('logs each request at debug with its status, under no redacted field', () => {
    const entries = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const served = entries.find((e) => e.msg === 'serve request' && e.path === INFO);
    expect(served).toMatchObject({ level: 20, method: 'GET', status: 200 });
    expect(entries.some((e) => e.msg === 'serve request' && e.status === 405)).toBe(true);
  });
});

describe('startFileServer with a bearer token', () => {
  const TOKEN = 'sekrit-token-0123456789';
  let srv: FileServer;
  const logs: string[] = [];
  beforeAll(async () => {
    setupTree();
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        cb();
      },
    });
    srv = await startFileServer({
      dir: root,
      host: '127.0.0.1',
      port: 0,
      token: TOKEN,
      log: createLogger('debug', sink),
    });
  });
  afterAll(async () => {
    await srv.close();
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('refuses a request without the token, or with a wrong one, with 401', async () => {
    const headerSets: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-0123456789' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
      { authorization: 'Bearer ' },
    ];
    for (const headers of headerSets) {
      const r = await request(srv.url, INFO, { headers });
      expect(r.status).toBe(401);
      expect(r.headers['www-authenticate']).toBe('Bearer');
      expect(r.body).not.toContain('line1');
    }
    // Even existence and methods are not revealed without the token.
    expect((await request(srv.url, '/sys_monitor/system_info_20250105.txt')).status).toBe(401);
    expect((await request(srv.url, INFO, { method: 'POST' })).status).toBe(401);
  });

  it('accepts the right token (scheme case-insensitive)', async () => {
    for (const scheme of ['Bearer', 'bearer']) {
      const r = await request(srv.url, INFO, { headers: { authorization: `${scheme} ${TOKEN}` } });
      expect(r.status).toBe(200);
      expect(r.body).toBe(CONTENT);
    }
  });

  it('never logs the token', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('')).not.toContain(TOKEN);
    expect(logs.join('')).toContain('"status":401');
  });

  it("the hub's HTTP source fetches ranges from it (206 with the asked start), then 304 and 404", async () => {
    const source = createHttpSource({ baseUrl: srv.url, timeoutMs: 5000, authToken: TOKEN });
    const r = await source.fetch({ path: INFO, rangeStart: 6 });
    expect(r.status).toBe(206);
    if (r.status !== 206) throw new Error('unreachable');
    expect(r.start).toBe(6);
    expect(r.total).toBe(12);
    expect(await readAll(r.body)).toBe('line2\n');

    const again = await source.fetch({ path: INFO, rangeStart: 6, etag: r.etag });
    expect(again.status).toBe(304);
    expect((await source.fetch({ path: '/sys_monitor/system_info_20250105.txt' })).status).toBe(
      404,
    );
    const noToken = createHttpSource({ baseUrl: srv.url, timeoutMs: 5000 });
    await expect(noToken.fetch({ path: INFO })).rejects.toThrow(/access refused \(HTTP 401\)/);
  });
});

describe('startFileServer lifecycle and options', () => {
  it('close() stops it', async () => {
    setupTree();
    const srv = await startFileServer({ dir: root, host: '127.0.0.1', port: 0 });
    expect((await request(srv.url, INFO)).status).toBe(200);
    await srv.close();
    await expect(request(srv.url, INFO)).rejects.toThrow(/ECONNREFUSED/);
    rmSync(join(root, '..'), { recursive: true, force: true });
  });

  it('refuses a missing directory and an empty token', async () => {
    await expect(
      startFileServer({
        dir: join(tmpdir(), 'sitewatch-no-such-dir-x'),
        host: '127.0.0.1',
        port: 0,
      }),
    ).rejects.toThrow(/not a readable directory/);
    await expect(
      startFileServer({ dir: tmpdir(), host: '127.0.0.1', port: 0, token: '' }),
    ).rejects.toThrow(/token is empty/);
  });

  it('siteFilePath matches only the site file names', () => {
    expect(siteFilePath(INFO)).toBe(INFO.slice(1));
    expect(siteFilePath(ALARM)).toBe(ALARM.slice(1));
    expect(siteFilePath(SERVICE)).toBe(SERVICE.slice(1));
    expect(siteFilePath('/sys_service/system_alarm_20250101.txt')).toBeNull();
    expect(siteFilePath('/sys_monitor/system_info_20240229.txt')).not.toBeNull();
    expect(siteFilePath('/sys_monitor/system_info_20250229.txt')).toBeNull();
  });
});
