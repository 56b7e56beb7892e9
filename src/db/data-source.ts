// The one DataSource factory: a single URL picks MySQL/MariaDB (mysql2) or embedded SQLite (better-sqlite3).
import 'reflect-metadata';
import { type Stats, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
  /**
   * Whether a missing SQLite file may be created (default true); its folder must exist either way.
   * The CLI creates one only in `db migrate`, `start` and `demo`: a typo must not get a fresh one.
   */
  create?: boolean;
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
      // Also when the file goes between the check and the open: better-sqlite3 would create it.
      fileMustExist: o.create === false,
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

/** Network failures: the server may answer later (a host name that does not resolve: likely a typo). */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
]);

function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Throw the typed error openDataSource gives for a SQLite file it cannot use: missing (or, with
 * `create`, in a folder that does not exist), a directory, not a regular file. No-op for MySQL
 * and `:memory:`, whose database is checked on connecting.
 */
export function assertDatabaseFile(url: string, o: { create?: boolean } = {}): void {
  const p = parseDbUrl(url);
  if (p.engine !== 'sqlite' || p.file === ':memory:') return;
  const path = resolve(p.file!);
  const cannotOpen = (why: string, cause?: unknown) =>
    new SitewatchError('DB_CONNECT', `Cannot open the database at ${redactUrl(url)}: ${why}`, {
      cause,
    });
  let st: Stats | null;
  try {
    st = statOrNull(path);
  } catch (err) {
    throw cannotOpen(describeError(err), err);
  }
  if (st?.isDirectory()) throw cannotOpen(`${path} is a directory, not a SQLite database file.`);
  if (st && !st.isFile()) throw cannotOpen(`${path} is not a regular file.`);
  if (st) return;
  if (o.create === false) {
    throw new SitewatchError(
      'DB_MISSING',
      `Database file ${path} does not exist; check the database URL, or run \`sitewatch db migrate\` to create it.`,
    );
  }
  const folder = dirname(path);
  let f: Stats | null;
  try {
    f = statOrNull(folder);
  } catch (err) {
    throw cannotOpen(describeError(err), err);
  }
  // TypeORM would make every missing folder (mkdir -p): a typo would get a database of its own.
  if (!f)
    throw new SitewatchError(
      'DB_MISSING',
      `Cannot create database file ${path}: folder ${folder} does not exist.`,
    );
  if (!f.isDirectory())
    throw new SitewatchError(
      'DB_MISSING',
      `Cannot create database file ${path}: ${folder} is not a folder.`,
    );
}

export function createDataSource(url: string, o: DataSourceOverrides = {}): DataSource {
  assertDatabaseFile(url, o);
  return new DataSource(dataSourceOptions(url, o));
}

/** The typed error for a database that failed to open: one sentence naming the (redacted) URL. */
function openError(url: string, o: DataSourceOverrides, err: unknown): SitewatchError {
  const p = parseDbUrl(url);
  const at = redactUrl(url);
  const code = errorCode(err);
  if (p.engine === 'sqlite' && p.file !== ':memory:') {
    if (code === 'SQLITE_NOTADB') {
      return new SitewatchError(
        'DB_CONNECT',
        `Cannot open the database at ${at}: ${resolve(p.file!)} is not a SQLite database.`,
        { cause: err },
      );
    }
    // The file may have gone, or been replaced, since it was checked.
    try {
      assertDatabaseFile(url, o);
    } catch (e) {
      return e as SitewatchError;
    }
  }
  if (code === 'ER_BAD_DB_ERROR') {
    return new SitewatchError(
      'DB_MISSING',
      `Database "${p.database}" does not exist on the server at ${at}; create it, then run \`sitewatch db migrate\`.`,
      { cause: err },
    );
  }
  if (typeof code === 'string' && UNREACHABLE.has(code)) {
    return new SitewatchError(
      'DB_UNREACHABLE',
      `Cannot reach the database server at ${at}: ${describeError(err)}`,
      { cause: err },
    );
  }
  return new SitewatchError(
    'DB_CONNECT',
    `Cannot open the database at ${at}: ${describeError(err)}`,
    {
      cause: err,
    },
  );
}

/**
 * Create and connect. A failure is typed: DB_MISSING (no such database), DB_CONNECT (the URL names
 * something that cannot be opened as one), DB_UNREACHABLE (the server does not answer).
 */
export async function openDataSource(
  url: string,
  o: DataSourceOverrides = {},
): Promise<DataSource> {
  const ds = createDataSource(url, o);
  try {
    await ds.initialize();
  } catch (err) {
    throw openError(url, o, err);
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
