// Read model for the portal's ingest health page: each site's recent file cursors and its latest quarantined lines.
import type { DataSource } from 'typeorm';
import { num, placeholders } from './sql';

export interface CursorRow {
  siteId: number;
  kind: string;
  /** YYYYMMDD */
  fileDate: string;
  /** The file name as fetched, e.g. system_info_20261125.txt. */
  file: string;
  state: string;
  lastFetchAt: number | null;
  lastStatus: string | null;
  lastError: string | null;
  bytesRead: number;
  lineNo: number;
  rowsInserted: number;
  rowsDuplicate: number;
  rowsQuarantined: number;
}

/** Cursors of the given sites for their newest `days` file days, newest day first, then by kind. */
export async function recentCursors(
  ds: DataSource,
  siteIds: readonly number[],
  days: number,
): Promise<CursorRow[]> {
  if (siteIds.length === 0) return [];
  const ids = [...siteIds];
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT c.site_id, c.kind, c.file_date, c.state, c.last_fetch_at, c.last_status, c.last_error,
            c.bytes_read, c.line_no, c.rows_inserted, c.rows_duplicate, c.rows_quarantined
       FROM ingest_cursor c
      WHERE c.site_id IN (${placeholders(ids.length)})
        AND (SELECT COUNT(DISTINCT d.file_date) FROM ingest_cursor d
              WHERE d.site_id = c.site_id AND d.file_date > c.file_date) < ?
      ORDER BY c.site_id, c.file_date DESC, c.kind`,
    [...ids, Math.max(1, Math.floor(days))],
  );
  return rows.map((r) => ({
    siteId: Number(r.site_id),
    kind: String(r.kind),
    fileDate: String(r.file_date),
    file: `${String(r.kind)}_${String(r.file_date)}.txt`,
    state: String(r.state),
    lastFetchAt: num(r.last_fetch_at),
    lastStatus:
      r.last_status === null || r.last_status === undefined ? null : String(r.last_status),
    lastError: r.last_error === null || r.last_error === undefined ? null : String(r.last_error),
    bytesRead: num(r.bytes_read) ?? 0,
    lineNo: num(r.line_no) ?? 0,
    rowsInserted: num(r.rows_inserted) ?? 0,
    rowsDuplicate: num(r.rows_duplicate) ?? 0,
    rowsQuarantined: num(r.rows_quarantined) ?? 0,
  }));
}

export interface QuarantinedLine {
  id: number;
  siteId: number;
  file: string;
  lineNo: number;
  reason: string;
  raw: string;
  createdAt: number;
}

/** The newest quarantined lines of the given sites (at most `limit`), newest first. */
export async function latestQuarantined(
  ds: DataSource,
  siteIds: readonly number[],
  limit: number,
): Promise<QuarantinedLine[]> {
  if (siteIds.length === 0) return [];
  const rows: Record<string, unknown>[] = await ds.query(
    `SELECT id, site_id, file, line_no, reason, raw, created_at FROM ingest_error
      WHERE site_id IN (${placeholders(siteIds.length)})
      ORDER BY created_at DESC, id DESC LIMIT ?`,
    [...siteIds, Math.max(1, Math.floor(limit))],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    siteId: Number(r.site_id),
    file: String(r.file),
    lineNo: Number(r.line_no),
    reason: String(r.reason),
    raw: String(r.raw),
    createdAt: num(r.created_at) ?? 0,
  }));
}
