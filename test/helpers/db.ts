// One helper for test databases: each suite runs on SQLite in memory and on a fresh MariaDB database.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { isCi, loadConfig, testMysqlUrl, type Config } from '../../config/schema';
import { type Engine, migrate, openDataSource, parseDbUrl } from '../../src/db/data-source';
import { migrations } from '../../src/db/migrations';
import { TABLES_CHILD_FIRST } from '../../src/db/tables';

export interface TestDb {
  engine: Engine;
  url: string;
  ds: DataSource;
}

/** A config for tests: defaults, nothing from the environment, then the given overrides. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  // The portal is left out unless a test asks for it (then on a port of its own, e.g. web: { port: 0 }).
  return loadConfig({
    env: {},
    overrides: { log: { level: 'silent' }, web: { enabled: false }, ...overrides },
  });
}

export function mysqlAvailable(): boolean {
  return process.env.SITEWATCH_TEST_MYSQL_OK === '1';
}

/** Create an empty MariaDB database for one suite; returns its URL and a drop function. */
export async function createMysqlDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = testMysqlUrl();
  const p = parseDbUrl(base);
  const name = `sw_t_${process.pid}_${randomBytes(3).toString('hex')}`;
  const conn = () =>
    createConnection({ host: p.host, port: p.port, user: p.user, password: p.password });
  const c = await conn();
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = await conn();
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

export async function openTestDb(engine: Engine): Promise<TestDb & { close: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const url = 'sqlite::memory:';
    const ds = await openDataSource(url);
    await migrate(ds).catch(async (err) => {
      await ds.destroy();
      throw err;
    });
    return { engine, url, ds, close: () => ds.destroy() };
  }
  const db = await createMysqlDatabase();
  const ds = await openDataSource(db.url);
  try {
    await migrate(ds);
  } catch (err) {
    await ds.destroy();
    await db.drop();
    throw err;
  }
  return {
    engine,
    url: db.url,
    ds,
    close: async () => {
      await ds.destroy();
      await db.drop();
    },
  };
}

/** When MariaDB is down: a failing test under CI, a loud warning elsewhere. */
export function requireMysqlUnderCi(title: string): void {
  if (isCi()) {
    describe(`${title} [mysql]`, () => {
      it('needs MariaDB, which is required under CI', () => {
        throw new Error(
          `MariaDB at ${testMysqlUrl()} is not reachable; CI must test both engines.`,
        );
      });
    });
  } else {
    console.warn(`[sitewatch] MySQL variant of "${title}" SKIPPED: MariaDB not reachable.`);
  }
}

/** A database a suite opens by URL (a whole hub, the CLI), and how to remove it afterwards. */
export interface UrlDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * The engines of a suite that needs its database by URL, for `describe.each`: a SQLite file in a
 * temporary directory, and a fresh MariaDB database when MariaDB is reachable (required under CI).
 */
export function urlDatabases(title: string): { name: Engine; open: () => Promise<UrlDatabase> }[] {
  const engines: { name: Engine; open: () => Promise<UrlDatabase> }[] = [
    {
      name: 'sqlite',
      open: async () => {
        const dir = mkdtempSync(join(tmpdir(), 'sw-db-'));
        return {
          url: `sqlite:${join(dir, 'hub.sqlite')}`,
          drop: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
    },
  ];
  if (mysqlAvailable()) engines.push({ name: 'mysql', open: createMysqlDatabase });
  else requireMysqlUnderCi(title);
  return engines;
}

/**
 * Define `fn`'s tests once per engine. `db()` gives the suite's database (fresh per suite;
 * call `resetDb` in beforeEach for a clean slate per test).
 */
export function describeEachEngine(title: string, fn: (db: () => TestDb) => void): void {
  const engines: Engine[] = ['sqlite'];
  if (mysqlAvailable()) engines.push('mysql');
  else requireMysqlUnderCi(title);
  for (const engine of engines) {
    describe(`${title} [${engine}]`, () => {
      let current: (TestDb & { close: () => Promise<void> }) | undefined;
      beforeAll(async () => {
        current = await openTestDb(engine);
      });
      afterAll(async () => {
        await current?.close();
      });
      fn(() => {
        if (!current) throw new Error('test database not open');
        return current;
      });
    });
  }
}

/** Empty every table (children first), for per-test isolation within a suite. */
export async function resetDb(db: TestDb): Promise<void> {
  for (const t of TABLES_CHILD_FIRST) {
    await db.ds.query(db.engine === 'mysql' ? `DELETE FROM \`${t}\`` : `DELETE FROM "${t}"`);
  }
}

/**
 * Undo the migrations from the last one down to `name` (inclusive), the way a schema older than
 * `name` is recreated; returns the names undone, in the order `migrate` applies them again.
 */
export async function undoMigrationsThrough(ds: DataSource, name: string): Promise<string[]> {
  const names = migrations.map((m) => new m().name as string);
  const from = names.indexOf(name);
  if (from < 0) throw new Error(`no migration named ${name}`);
  for (let i = names.length - 1; i >= from; i--)
    await ds.undoLastMigration({ transaction: 'each' });
  return names.slice(from);
}
