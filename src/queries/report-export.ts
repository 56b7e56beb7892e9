// Read model of a site's report export: its daily figures, the alarms raised in the days and its servers' latest readings, as the workbook shows them.
import type { DataSource } from 'typeorm';
import { type AlarmDict, describeAlarm } from '../../config/alarm-dict';
import type { Site } from '../../entities';
import type { ReportWorkbookData } from '../types/report-export';
import { formatInstant, startOfDay, addDays } from '../time';
import { alarmsRaisedBetween } from './alarm-history';
import { dailyFiguresBetween } from './business';
import { serverStatuses } from './status';

/** Most alarms one export lists (the days of a busy site stay readable). */
export const EXPORT_MAX_ALARMS = 10_000;

const STATE_WORDS = { active: '未恢复', resolved: '已恢复', stale: '已过期' } as const;

/** The export of `site` from `from` to `to` (YYYY-MM-DD, inclusive, in `tz`). */
export async function reportExport(
  ds: DataSource,
  o: { site: Site; from: string; to: string; tz: string; now: number; dict: AlarmDict },
): Promise<ReportWorkbookData> {
  const { site, tz } = o;
  const at = (ms: number | null) => (ms === null ? null : formatInstant(ms, tz));
  const [days, raised, servers] = await Promise.all([
    dailyFiguresBetween(ds, site.id, o.from, o.to),
    alarmsRaisedBetween(
      ds,
      [site.id],
      startOfDay(o.from.replace(/-/g, ''), tz),
      startOfDay(addDays(o.to, 1).replace(/-/g, ''), tz),
      EXPORT_MAX_ALARMS,
    ),
    serverStatuses(ds, [site.id], o.now),
  ]);
  return {
    site: { code: site.code, name: site.name },
    from: o.from,
    to: o.to,
    days,
    alarms: raised.alarms.map((a) => ({
      id: a.id,
      name: a.name,
      title: describeAlarm(o.dict, a.name).title,
      node: a.node,
      description: a.description,
      raised: at(a.raisedAt) ?? '',
      resumed: at(a.resumedAt),
      state: STATE_WORDS[a.state as keyof typeof STATE_WORDS] ?? a.state,
    })),
    servers: servers.map((s) => ({
      name: s.name,
      ip: s.ip,
      cpuPct: s.cpuPct,
      memPct: s.memPct,
      diskPct: s.diskPct,
      diskMount: s.diskMount,
      lastSeen: at(s.lastSeenAt),
      stale: s.stale,
    })),
  };
}
