// Nightly retention: old samples, delivered notifications, quarantined lines, used bind codes, ended silences, expired portal sessions, old login counts and expired chart links are deleted in batches.
import type { DataSource } from 'typeorm';
import type { Config } from '../../config/schema';
import { execute } from '../db/bulk';
import { engineOf } from '../db/data-source';
import { affectedRows } from '../db/dialect';
import type { Logger } from '../log';
import { deleteExpiredChartLinks } from '../outbox/chart-links';
import { SAMPLE_TABLES } from '../db/tables';
import type { Job } from '../types/job';

/** Rows per DELETE: short statements keep locks short while ingest goes on. */
export const DELETE_BATCH = 5000;
const DAY_MS = 24 * 3600_000;

/** Delete rows matching `where` in batches; identifiers come from code only. Returns how many were deleted. */
export async function deleteInBatches(
  ds: DataSource,
  table: string,
  where: string,
  params: unknown[],
): Promise<number> {
  const sql =
    engineOf(ds) === 'mysql'
      ? `DELETE FROM ${table} WHERE ${where} LIMIT ${DELETE_BATCH}`
      : `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ${DELETE_BATCH})`;
  let total = 0;
  for (;;) {
    const n = affectedRows(await execute(ds.manager, sql, params));
    total += n;
    if (n < DELETE_BATCH) return total;
  }
}

export async function applyRetention(
  ds: DataSource,
  r: Config['retention'],
  now: number,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table } of Object.values(SAMPLE_TABLES))
    out[table] = await deleteInBatches(ds, table, 'sampled_at < ?', [now - r.sampleDays * DAY_MS]);
  // Failed notifications are kept like sent ones: long enough to be seen in the outbox and the report.
  out.outbox = await deleteInBatches(
    ds,
    'outbox',
    "status IN ('sent', 'failed') AND updated_at < ?",
    [now - r.outboxDays * DAY_MS],
  );
  out.ingest_error = await deleteInBatches(ds, 'ingest_error', 'created_at < ?', [
    now - r.quarantineDays * DAY_MS,
  ]);
  out.bind_code = await deleteInBatches(ds, 'bind_code', 'expires_at < ?', [now - DAY_MS]);
  out.silence = await deleteInBatches(ds, 'silence', 'ends_at < ?', [now - r.outboxDays * DAY_MS]);
  // The store ignores an expired session on read; this keeps the table from growing with every login.
  out.web_session = await deleteInBatches(ds, 'web_session', 'expires_at < ?', [now]);
  // Login windows last minutes; a day-old one counts nothing any more.
  out.login_attempt = await deleteInBatches(ds, 'login_attempt', 'window_start < ?', [
    now - DAY_MS,
  ]);
  // No link to a chart outlives its row, so a row past its time serves no one.
  out.chart_link = await deleteExpiredChartLinks(ds, now);
  return out;
}

export function createRetentionJob(deps: {
  ds: DataSource;
  config: Config;
  log: Logger;
  now?: () => number;
}): Job {
  return {
    name: 'retention',
    schedule: deps.config.schedule.retention,
    timezone: deps.config.timezone,
    async run() {
      const deleted = await applyRetention(
        deps.ds,
        deps.config.retention,
        (deps.now ?? Date.now)(),
      );
      deps.log.info({ deleted }, 'retention applied');
    },
  };
}
