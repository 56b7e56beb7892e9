// The one DataSource factory: a single URL picks MySQL/MariaDB (mysql2) or embedded SQLite (better-sqlite3).
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { entities } from '../../entities';
import { SitewatchError, describeError } from '../errors';
import { migrations } from './migrations';

export type Engine = 'mysql' | 'sqlite';

export interface ParsedDbUrl {
  engine: Engine;
  /** SQLite file path or ':memory:'. */
  file?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  database?: string;
}

export function parseDbUrl(url: string): ParsedDbUrl {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (!file) throw new SitewatchError('DB_URL', `Database URL "${url}" names no SQLite file.`);
    return { engine: 'sqlite', file };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SitewatchError(
      'DB_URL',
      `Database URL "${redactUrl(url)}" is not a valid URL; use mysql://user:pass@host:3306/db or sqlite:./file.sqlite.`,
    );
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new SitewatchError(
      'DB_URL',
      `Database URL scheme "${u.protocol}" is not supported; use mysql:// or sqlite:.`,
    );
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) {
    throw new SitewatchError('DB_URL', `Database URL "${redactUrl(url)}" names no database.`);
  }
  return {
    engine: 'mysql',
    host: u.hostname || '127.0.0.1',
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database,
  };
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

export interface DataSourceOverrides {
  /** Extra mysql2 connection flags, e.g. for LOAD DATA LOCAL INFILE in benchmarks. */
  mysqlExtra?: Record<string, unknown>;
  poolSize?: number;
}

export function dataSourceOptions(url: string, o: DataSourceOverrides = {}): DataSourceOptions {
  const p = parseDbUrl(url);
  const common = { entities, migrations, synchronize: false, migrationsRun: false, logging: false };
  if (p.engine === 'sqlite') {
    const file = p.file!;
    return {
      ...common,
      type: 'better-sqlite3',
      database: file,
      statementCacheSize: 200,
      prepareDatabase: (db: { pragma: (s: string) => unknown }) => {
        if (file !== ':memory:') {
          db.pragma('journal_mode = WAL');
          // WAL + NORMAL is durable against process kills; only an OS crash may lose the last commit.
          db.pragma('synchronous = NORMAL');
          // Checkpoint less often: each checkpoint fsyncs every page the last commits touched, and
          // sample keys start with the server, so one chunk touches a page per server per index.
          db.pragma('wal_autocheckpoint = 20000');
        }
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: 'mysql',
    host: p.host,
    port: p.port,
    username: p.user,
    password: p.password,
    database: p.database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: false,
    poolSize: o.poolSize ?? 10,
    extra: { ...(o.mysqlExtra ?? {}) },
  };
}

export function createDataSource(url: string, o: DataSourceOverrides = {}): DataSource {
  const p = parseDbUrl(url);
  if (p.engine === 'sqlite' && p.file !== ':memory:')
    mkdirSync(dirname(p.file!), { recursive: true });
  return new DataSource(dataSourceOptions(url, o));
}

/** Create and connect; a failure becomes one sentence naming the (redacted) URL. */
export async function openDataSource(
  url: string,
  o: DataSourceOverrides = {},
): Promise<DataSource> {
  const ds = createDataSource(url, o);
  try {
    await ds.initialize();
  } catch (err) {
    throw new SitewatchError(
      'DB_CONNECT',
      `Cannot open the database at ${redactUrl(url)}: ${describeError(err)}`,
      { cause: err },
    );
  }
  return ds;
}

export function engineOf(ds: DataSource): Engine {
  return ds.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
}

/** Apply pending migrations; returns the names applied. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const done = await ds.runMigrations({ transaction: 'each' });
  return done.map((m) => m.name);
}
