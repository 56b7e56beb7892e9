// system_service_YYYYmmdd.txt: a site's business figures for the day before the record's date.
import { addDays, isoDay } from '../../time';
import type { BusinessFigures } from '../../types/business-figures';
import { LineError, checkName, clip, parseCount } from '../values';
import type { FileFormat, ParseContext, StoreContext, StoreCounts } from './types';

export interface ServiceRecord extends BusinessFigures {
  statDate: string;
  recordedAt: number;
}

/** File fields after site_id, which are also the table's column names. */
const COLS = [
  'sub_users',
  'unsub_users',
  'total_users',
  'call_times',
  'show_times',
  'mo_times',
  'mt_times',
] as const;

export function parseSystemService(f: string[], ctx: ParseContext): ServiceRecord {
  if (f.length !== 9) throw new LineError(`expected 9 fields, found ${f.length}`);
  if (f[0] !== ctx.siteCode) {
    checkName(f[0], 'site_id');
    throw new LineError(`site_id "${clip(f[0])}" does not belong to site "${ctx.siteCode}"`);
  }
  const v = COLS.map((name, i) => parseCount(f[i + 1], name));
  const recordedAt = ctx.time(f[8], 'record_time');
  // The figures describe the day before the record was written ("yesterday's opens and closes").
  const statDate = addDays(isoDay(recordedAt, ctx.tz), -1);
  return {
    statDate,
    sub: v[0],
    unsub: v[1],
    total: v[2],
    calls: v[3],
    shows: v[4],
    mo: v[5],
    mt: v[6],
    recordedAt,
  };
}

const valuesOf = (r: ServiceRecord) => [r.sub, r.unsub, r.total, r.calls, r.shows, r.mo, r.mt];

export async function storeSystemService(
  records: ServiceRecord[],
  ctx: StoreContext,
): Promise<StoreCounts> {
  const { em, site, now } = ctx;
  // The newest record of a statistics day wins (a site may re-issue corrected figures).
  const latest = new Map<string, ServiceRecord>();
  for (const r of records) {
    const p = latest.get(r.statDate);
    if (!p || r.recordedAt >= p.recordedAt) latest.set(r.statDate, r);
  }
  let inserted = 0;
  let updated = 0;
  for (const r of latest.values()) {
    const rows = (await em.query(
      `SELECT id, recorded_at, ${COLS.join(', ')} FROM business_daily WHERE site_id = ? AND stat_date = ?`,
      [site.id, r.statDate],
    )) as Record<string, number | string>[];
    if (rows.length === 0) {
      await em.query(
        `INSERT INTO business_daily (site_id, stat_date, ${COLS.join(', ')}, recorded_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [site.id, r.statDate, ...valuesOf(r), r.recordedAt, now],
      );
      inserted++;
      continue;
    }
    const cur = rows[0];
    const same = COLS.every((c, i) => Number(cur[c]) === valuesOf(r)[i]);
    if (!same && r.recordedAt >= Number(cur.recorded_at)) {
      await em.query(
        `UPDATE business_daily SET ${COLS.map((c) => `${c} = ?`).join(', ')}, recorded_at = ?, updated_at = ? WHERE id = ?`,
        [...valuesOf(r), r.recordedAt, now, cur.id],
      );
      updated++;
    }
  }
  return { inserted, duplicate: records.length - inserted - updated, updated };
}

export const systemService: FileFormat<ServiceRecord> = {
  name: 'system_service',
  dir: 'sys_service',
  headerField: 'site_id',
  parse: parseSystemService,
  store: storeSystemService,
};
