// Unit tests for the file:// source: links out of the site folder are refused, the checked file is the one streamed.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { FetchError } from '../../src/errors';
import { createFileSource } from '../../src/ingest/sources/file-source';
import { day, infoPath } from '../helpers/fixtures';

async function text(body: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

describe.each([['with /proc'], ['without /proc']])('file:// source %s', (mode) => {
  let dir: string;
  let outside: string;
  const source = () => createFileSource({ baseUrl: pathToFileURL(dir).href, timeoutMs: 1000 });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-src-'));
    outside = mkdtempSync(join(tmpdir(), 'sw-outside-'));
    mkdirSync(join(dir, 'sys_monitor'));
    writeFileSync(join(outside, 'secret.txt'), 'secret-line\n');
    if (mode === 'without /proc') {
      // As on systems without /proc: only the path can be resolved.
      const real = fsp.readlink;
      jest
        .spyOn(fsp, 'readlink')
        .mockImplementation(((p: string) =>
          String(p).startsWith('/proc/')
            ? Promise.reject(Object.assign(new Error('no /proc'), { code: 'ENOENT' }))
            : real(p)) as typeof fsp.readlink);
    }
  });
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('refuses a link out with a non-retryable FetchError naming the path', async () => {
    symlinkSync(join(outside, 'secret.txt'), join(dir, infoPath()));
    const err = await source()
      .fetch({ path: infoPath() })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).retryable).toBe(false);
    expect((err as FetchError).message).toBe(
      `${infoPath()} leads outside the site folder; it was not read`,
    );
  });

  it('refuses a file under a directory that is a link out', async () => {
    rmSync(join(dir, 'sys_monitor'), { recursive: true });
    writeFileSync(join(outside, `system_info_${day}.txt`), 'secret-line\n');
    symlinkSync(outside, join(dir, 'sys_monitor'));
    await expect(source().fetch({ path: infoPath() })).rejects.toThrow(
      `${infoPath()} leads outside the site folder; it was not read`,
    );
  });

  it('streams the file it checked, even when the link is swapped right after the fetch', async () => {
    writeFileSync(join(dir, 'inside.txt'), 'inside-line\n');
    symlinkSync(join(dir, 'inside.txt'), join(dir, infoPath()));
    const res = await source().fetch({ path: infoPath() });
    unlinkSync(join(dir, infoPath()));
    symlinkSync(join(outside, 'secret.txt'), join(dir, infoPath()));
    expect(res.status).toBe(200);
    expect(await text((res as { body: Readable }).body)).toBe('inside-line\n');
    if (mode === 'without /proc') {
      expect(fsp.readlink).toHaveBeenCalledWith(expect.stringMatching(/^\/proc\/self\/fd\/\d+$/));
    }
  });
});
