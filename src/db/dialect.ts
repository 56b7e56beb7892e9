// The few statements whose SQL differs between MySQL/MariaDB and SQLite: insert-ignore and upsert.
import type { Engine } from './data-source';

function placeholders(columns: number, rows: number): string {
  const one = `(${new Array(columns).fill('?').join(',')})`;
  return new Array(rows).fill(one).join(',');
}

const q = (engine: Engine, id: string) => (engine === 'mysql' ? `\`${id}\`` : `"${id}"`);

/** Multi-row insert that skips rows whose unique key already exists. Identifiers come from code only. */
export function insertIgnoreSql(
  engine: Engine,
  table: string,
  columns: string[],
  rows: number,
): string {
  const cols = columns.map((c) => q(engine, c)).join(',');
  const verb = engine === 'mysql' ? 'INSERT IGNORE INTO' : 'INSERT OR IGNORE INTO';
  return `${verb} ${q(engine, table)} (${cols}) VALUES ${placeholders(columns.length, rows)}`;
}

/** Multi-row insert that overwrites `update` columns when the `key` already exists. */
export function upsertSql(
  engine: Engine,
  table: string,
  columns: string[],
  key: string[],
  update: string[],
  rows: number,
): string {
  const cols = columns.map((c) => q(engine, c)).join(',');
  const head = `INSERT INTO ${q(engine, table)} (${cols}) VALUES ${placeholders(columns.length, rows)}`;
  if (engine === 'mysql') {
    const set = update.map((c) => `${q(engine, c)}=VALUES(${q(engine, c)})`).join(',');
    return `${head} ON DUPLICATE KEY UPDATE ${set}`;
  }
  const set = update.map((c) => `${q(engine, c)}=excluded.${q(engine, c)}`).join(',');
  return `${head} ON CONFLICT (${key.map((c) => q(engine, c)).join(',')}) DO UPDATE SET ${set}`;
}

/** Rows changed by a write, from the driver's raw result on either engine. */
export function affectedRows(result: unknown): number {
  if (result && typeof result === 'object' && 'affected' in result) {
    return Number((result as { affected?: number }).affected ?? 0);
  }
  return 0;
}
