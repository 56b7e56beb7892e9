// MySQL bulk path: LOAD DATA LOCAL INFILE fed from memory, for the high-volume sample tables.
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';

interface RawConnection {
  query(
    opts: { sql: string; infileStreamFactory: () => Readable },
    cb: (err: Error | null, result: { affectedRows: number }) => void,
  ): void;
}

const support = new WeakMap<object, Promise<boolean>>();

/** Whether the server accepts LOCAL INFILE (`local_infile`); asked once per DataSource. */
function supported(em: EntityManager): Promise<boolean> {
  let p = support.get(em.connection);
  if (!p) {
    p = em.connection
      .query('SELECT @@GLOBAL.local_infile AS v')
      .then((rows: { v: number | string }[]) => Number(rows[0]?.v) === 1)
      .catch(() => false);
    support.set(em.connection, p);
  }
  return p;
}

const SPECIAL = /[\\\t\n\r\0]/;

/** Escape one value for LOAD DATA's default format (tab-separated, backslash escapes, \N for NULL). */
function field(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === null || v === undefined) return '\\N';
  const s = String(v);
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r\0]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\0',
  );
}

export function toTsv(rows: unknown[][]): Buffer {
  let out = '';
  for (const row of rows) {
    let line = field(row[0]);
    for (let i = 1; i < row.length; i++) line += '\t' + field(row[i]);
    out += line + '\n';
  }
  return Buffer.from(out, 'utf8');
}

/**
 * LOAD DATA … IGNORE of `rows` into `table` inside the caller's transaction; returns the rows
 * inserted, or null when the server does not allow it (the caller then uses INSERT).
 * The rows travel as a data stream, never as SQL text; the server's request names a file, but
 * only this in-memory buffer is ever sent, so a hostile server cannot read the hub's files.
 */
export async function loadDataIgnore(
  em: EntityManager,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<number | null> {
  if (!em.queryRunner || !(await supported(em))) return null;
  const conn = (await em.queryRunner.connect()) as RawConnection;
  const data = toTsv(rows);
  const sql =
    `LOAD DATA LOCAL INFILE 'sitewatch-rows.tsv' IGNORE INTO TABLE \`${table}\` CHARACTER SET utf8mb4 ` +
    `FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.map((c) => `\`${c}\``).join(',')})`;
  return new Promise((resolve, reject) => {
    conn.query({ sql, infileStreamFactory: () => Readable.from([data]) }, (err, result) => {
      if (err) reject(err);
      else resolve(result.affectedRows);
    });
  });
}
