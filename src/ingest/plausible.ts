// The plausibility window of a file's times: from days before the file's day to days after it, in the site's zone.
import { defaults } from '../../config/defaults';
import { addDays, formatInstant, startOfDay } from '../time';
import type { ParseContext } from './formats/types';
import { LineError, clip } from './values';

export interface TimeWindow {
  /** First instant inside. */
  start: number;
  /** First instant after. */
  end: number;
  /** For reasons, e.g. "2026-11-23 00:00 – 2026-11-26 00:00 (Asia/Shanghai), the file's day ±1 day". */
  text: string;
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** [start of the file's day − before days, end of the file's day + after days) in `tz`. */
export function fileDayWindow(
  day: string,
  tz: string,
  plausible: { before: number; after: number },
): TimeWindow {
  const { before, after } = plausible;
  const start = startOfDay(addDays(day, -before), tz);
  const end = startOfDay(addDays(day, after + 1), tz);
  const span =
    before === after ? ` ±${days(before)}` : `, ${days(before)} before to ${days(after)} after`;
  return {
    start,
    end,
    text: `${formatInstant(start, tz)} – ${formatInstant(end, tz)} (${tz}), the file's day${span}`,
  };
}

/** The earliest alarm_time taken: an open alarm stays listed day after day, so its start has no window, only a floor. */
export const ALARM_TIME_FLOOR = '20000101';

/**
 * The context for parsing the file of `day`: every time it parses (record and resume times) must
 * lie in the file's window, or the line is quarantined naming the window. An alarm_time may lie
 * long before the file's day (an alarm still open is listed again), so it must only not be later
 * than the window, nor before 2000-01-01.
 */
export function forFileDay(ctx: ParseContext, day: string): ParseContext {
  const w = fileDayWindow(day, ctx.tz, {
    before: ctx.plausibleDays?.before ?? defaults.ingest.plausibleDaysBefore,
    after: ctx.plausibleDays?.after ?? defaults.ingest.plausibleDaysAfter,
  });
  const parse = ctx.time;
  const floor = startOfDay(ALARM_TIME_FLOOR, ctx.tz);
  return {
    ...ctx,
    time: (raw, field) => {
      const t = parse(raw, field);
      if (field === 'alarm_time' && t < w.start) {
        if (t >= floor) return t;
        throw new LineError(
          `${field} ${clip(raw.trim())} is before ${formatInstant(floor, ctx.tz)} (${ctx.tz}): no alarm is that old`,
        );
      }
      if (t < w.start || t >= w.end)
        throw new LineError(`${field} ${clip(raw.trim())} is outside ${w.text}`);
      return t;
    },
  };
}
