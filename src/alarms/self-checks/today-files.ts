// Today's file of every expected format at every site, as the ingest cursors see it: what SW_FILE_MISSING and SW_FILE_STALE read.
import type { Site } from '../../../entities';
import { type FileFormat, fileName } from '../../ingest/formats/types';
import { num, placeholders } from '../../queries/sql';
import { dayKey, fromWallClock, startOfDay } from '../../time';
import { type Row, bySiteBatches, sharedRead } from './shared';
import type { CheckInput, SelfAlarmsConfig } from './types';

export interface TodayFile {
  site: Site;
  tz: string;
  format: FileFormat;
  /** File name of today's file (system_info_YYYYmmdd.txt). */
  file: string;
  dayStart: number;
  /** When today's file must exist (selfAlarms.fileMissingAfter on the site's wall clock). */
  dueAt: number;
  /** Fetched at least once today and not 404. */
  present: boolean;
  /** Time of the last fetch, null when never fetched. */
  checkedAt: number | null;
  /** Present with bytes read or a successful status. */
  exists: boolean;
}

/**
 * Every (site, format) of the input, site by site in the input's order. The node of both file
 * alarms is the format (system_info…), not the dated file, so that an alarm carries over midnight.
 */
export function todaysFiles(
  input: CheckInput,
  cfg: SelfAlarmsConfig,
  now: number,
): Promise<TodayFile[]> {
  return sharedRead(input, `today-files@${now}`, async () => {
    if (input.sites.length === 0 || input.formats.length === 0) return [];
    const today = new Map(input.sites.map((s) => [s.id, dayKey(now, input.tzOf(s))]));
    const days = [...new Set(today.values())];
    const cursors = await bySiteBatches(input, (ids) =>
      input.ds.query(
        `SELECT site_id, kind, file_date, byte_offset, last_status, last_fetch_at FROM ingest_cursor
          WHERE site_id IN (${placeholders(ids.length)}) AND file_date IN (${placeholders(days.length)})`,
        [...ids, ...days],
      ),
    );
    const cursorOf = new Map<string, Row>();
    for (const c of cursors) cursorOf.set(`${c.site_id}\u0000${c.kind}\u0000${c.file_date}`, c);
    const [h, m] = cfg.fileMissingAfter.split(':').map(Number);
    const out: TodayFile[] = [];
    for (const site of input.sites) {
      const tz = input.tzOf(site);
      const day = today.get(site.id)!;
      const dayStart = startOfDay(day, tz);
      const [year, month, date] = [day.slice(0, 4), day.slice(4, 6), day.slice(6)].map(Number);
      const dueAt = fromWallClock({ year, month, day: date, hour: h, minute: m, second: 0 }, tz);
      for (const format of input.formats) {
        const c = cursorOf.get(`${site.id}\u0000${format.name}\u0000${day}`);
        const status = c ? (c.last_status as string | null) : null;
        const present = c !== undefined && status !== '404';
        out.push({
          site,
          tz,
          format,
          file: fileName(format, day),
          dayStart,
          dueAt,
          present,
          checkedAt: c ? num(c.last_fetch_at) : null,
          exists:
            present &&
            ((num(c.byte_offset) ?? 0) > 0 || ['200', '206', '304'].includes(status ?? '')),
        });
      }
    }
    return out;
  });
}

/**
 * Newest record time of a format's data at each site, for formats whose files grow all day.
 * No ingest_cursor column says when bytes were last added (last_fetch_at moves on every fetch),
 * so the data itself is the proxy. The alarm and service files grow only on events and once a
 * day, so a quiet stretch there is normal and they are not checked for staleness.
 */
const NEWEST_RECORD: Record<string, (input: CheckInput) => Promise<Map<number, number>>> = {
  system_info: async (input) => {
    const rows = await bySiteBatches(input, (ids) =>
      input.ds.query(
        `SELECT site_id, MAX(last_seen_at) AS newest FROM server WHERE site_id IN (${placeholders(ids.length)}) GROUP BY site_id`,
        ids,
      ),
    );
    const out = new Map<number, number>();
    for (const r of rows) {
      const t = num(r.newest);
      if (t !== null) out.set(Number(r.site_id), t);
    }
    return out;
  },
};

/** Whether a format's files are checked for staleness. */
export const growsAllDay = (format: FileFormat): boolean =>
  NEWEST_RECORD[format.name] !== undefined;

/** Newest record time at each site of `format`'s data (only for formats that grow all day). */
export function newestRecords(input: CheckInput, format: FileFormat): Promise<Map<number, number>> {
  return sharedRead(input, `newest:${format.name}`, () => NEWEST_RECORD[format.name](input));
}
