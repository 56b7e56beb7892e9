// openDataSource: which databases it may create, and the typed error for each one it cannot open.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testMysqlUrl } from '../../config/schema';
import { openDataSource, redactUrl } from '../../src/db/data-source';
import { SitewatchError } from '../../src/errors';
import { mysqlAvailable, requireMysqlUnderCi } from '../helpers/db';

/** The code and message openDataSource fails with. */
async function failure(url: string, o?: { create?: boolean }) {
  try {
    const ds = await openDataSource(url, o);
    await ds.destroy();
  } catch (err) {
    if (err instanceof SitewatchError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error(`opened ${url}`);
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sw-ds-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDataSource on SQLite', () => {
  it('creates a missing file when its folder exists, but never creates folders', async () => {
    const ds = await openDataSource(`sqlite:${join(dir, 'new.sqlite')}`);
    await ds.destroy();
    expect(existsSync(join(dir, 'new.sqlite'))).toBe(true);
    const file = join(dir, 'a', 'b', 'x.sqlite');
    expect(await failure(`sqlite:${file}`)).toEqual({
      code: 'DB_MISSING',
      message: `Cannot create database file ${file}: folder ${join(dir, 'a', 'b')} does not exist.`,
    });
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('refuses to create a file under something that is not a folder', async () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const file = join(dir, 'plain', 'x.sqlite');
    expect(await failure(`sqlite:${file}`)).toEqual({
      code: 'DB_MISSING',
      message: `Cannot create database file ${file}: ${join(dir, 'plain')} is not a folder.`,
    });
  });

  it('with create: false, opens an existing file but refuses a missing one and creates nothing', async () => {
    const made = await openDataSource(`sqlite:${join(dir, 'there.sqlite')}`);
    await made.destroy();
    const ds = await openDataSource(`sqlite:${join(dir, 'there.sqlite')}`, { create: false });
    await ds.destroy();
    const file = join(dir, 'typo.sqlite');
    expect(await failure(`sqlite:${file}`, { create: false })).toEqual({
      code: 'DB_MISSING',
      message: `Database file ${file} does not exist; check the database URL, or run \`sitewatch db migrate\` to create it.`,
    });
    expect(existsSync(file)).toBe(false);
  });

  it('names a directory as such', async () => {
    mkdirSync(join(dir, 'folder.sqlite'));
    const url = `sqlite:${join(dir, 'folder.sqlite')}`;
    expect(await failure(url)).toEqual({
      code: 'DB_CONNECT',
      message: `Cannot open the database at ${url}: ${join(dir, 'folder.sqlite')} is a directory, not a SQLite database file.`,
    });
  });

  it('names a file that is not a SQLite database as such', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'these are my notes, not a database\n');
    const url = `sqlite:${join(dir, 'notes.txt')}`;
    expect(await failure(url, { create: false })).toEqual({
      code: 'DB_CONNECT',
      message: `Cannot open the database at ${url}: ${join(dir, 'notes.txt')} is not a SQLite database.`,
    });
  });

  it('names a device as not a regular file', async () => {
    expect(await failure('sqlite:/dev/null')).toEqual({
      code: 'DB_CONNECT',
      message: 'Cannot open the database at sqlite:/dev/null: /dev/null is not a regular file.',
    });
  });
});

describe('openDataSource on MySQL', () => {
  it('says a server that refuses the connection cannot be reached, without the password', async () => {
    expect(await failure('mysql://root:hunter2@127.0.0.1:1/x')).toEqual({
      code: 'DB_UNREACHABLE',
      message:
        'Cannot reach the database server at mysql://root:***@127.0.0.1:1/x: connect ECONNREFUSED 127.0.0.1:1',
    });
  });
});

if (mysqlAvailable()) {
  describe('openDataSource on MariaDB', () => {
    it('says an unknown database name does not exist', async () => {
      const u = new URL(testMysqlUrl());
      u.pathname = `/sw_missing_${process.pid}`;
      expect(await failure(u.toString())).toEqual({
        code: 'DB_MISSING',
        message: `Database "sw_missing_${process.pid}" does not exist on the server at ${redactUrl(u.toString())}; create it, then run \`sitewatch db migrate\`.`,
      });
    });
  });
} else requireMysqlUnderCi('openDataSource on MariaDB');
