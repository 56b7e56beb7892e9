// What a site's report export holds (days, alarms, servers), between the read model that gathers it and the workbook that lays it out.
import type { BusinessFigures } from './business-figures';

export interface WorkbookDay extends BusinessFigures {
  /** YYYY-MM-DD */
  date: string;
}

export interface WorkbookAlarm {
  id: number;
  name: string;
  /** The dictionary's title, or the name. */
  title: string;
  node: string;
  description: string;
  /** Local times, as shown elsewhere ("2026-11-25 16:00"). */
  raised: string;
  resumed: string | null;
  /** 未恢复, 已恢复, 已过期. */
  state: string;
}

export interface WorkbookServer {
  name: string;
  ip: string;
  /** Percent, or null without a reading. */
  cpuPct: number | null;
  memPct: number | null;
  diskPct: number | null;
  diskMount: string | null;
  lastSeen: string | null;
  stale: boolean;
}

export interface ReportWorkbookData {
  site: { code: string; name: string };
  from: string;
  to: string;
  days: readonly WorkbookDay[];
  alarms: readonly WorkbookAlarm[];
  servers: readonly WorkbookServer[];
}
