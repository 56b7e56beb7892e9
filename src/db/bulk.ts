// Batched multi-row writes with bound parameters; fixed batch sizes keep prepared statements cached.
import type { EntityManager, QueryResult } from 'typeorm';
import type { Engine } from './data-source';
import { affectedRows, insertIgnoreSql, upsertSql } from './dialect';
import { loadDataIgnore } from './load-data';

const BATCH_ROWS = 500;
/** Below this many rows a multi-row INSERT is as fast as LOAD DATA. */
const LOAD_DATA_MIN_ROWS = 200;

/** Run a statement and get the structured result (affected rows, insert id) on either engine. */
export async function execute(
  em: EntityManager,
  sql: string,
  params: unknown[],
): Promise<QueryResult> {
  if (em.queryRunner) return em.queryRunner.query(sql, params, true);
  const qr = em.connection.createQueryRunner();
  try {
    return await qr.query(sql, params, true);
  } finally {
    await qr.release();
  }
}

async function inBatches(
  em: EntityManager,
  rows: unknown[][],
  sqlFor: (n: number) => string,
): Promise<number> {
  let affected = 0;
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS);
    const params: unknown[] = [];
    for (const r of batch) for (const v of r) params.push(v);
    const res = await execute(em, sqlFor(batch.length), params);
    affected += affectedRows(res);
  }
  return affected;
}

/** Insert rows, skipping existing keys; returns how many were new. */
export async function insertIgnore(
  em: EntityManager,
  engine: Engine,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<number> {
  if (engine === 'mysql' && rows.length >= LOAD_DATA_MIN_ROWS) {
    const n = await loadDataIgnore(em, table, columns, rows);
    if (n !== null) return n;
  }
  return inBatches(em, rows, (n) => insertIgnoreSql(engine, table, columns, n));
}

/** Insert rows, overwriting `update` columns of existing keys. */
export function upsert(
  em: EntityManager,
  engine: Engine,
  table: string,
  columns: string[],
  key: string[],
  update: string[],
  rows: unknown[][],
): Promise<number> {
  return inBatches(em, rows, (n) => upsertSql(engine, table, columns, key, update, n));
}

/**
 * Set columns of many rows by id in one statement per batch (CASE id WHEN ? THEN ? …),
 * instead of one UPDATE per row. `rows` are [id, value for each column].
 */
export async function updateById(
  em: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<void> {
  const step = 200;
  for (let i = 0; i < rows.length; i += step) {
    const batch = rows.slice(i, i + step);
    const params: unknown[] = [];
    const sets = columns.map((c, ci) => {
      for (const r of batch) params.push(r[0], r[ci + 1]);
      return `${c} = CASE id ${batch.map(() => 'WHEN ? THEN ?').join(' ')} END`;
    });
    for (const r of batch) params.push(r[0]);
    await em.query(
      `UPDATE ${table} SET ${sets.join(', ')} WHERE id IN (${batch.map(() => '?').join(',')})`,
      params,
    );
  }
}

/** Set one column to one value for many ids: `UPDATE t SET c = ? WHERE id IN (…)`, in batches. */
export async function updateWhereIdIn(
  em: EntityManager,
  table: string,
  column: string,
  value: unknown,
  ids: number[],
): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const batch = ids.slice(i, i + 500);
    await em.query(
      `UPDATE ${table} SET ${column} = ? WHERE id IN (${batch.map(() => '?').join(',')})`,
      [value, ...batch],
    );
  }
}
