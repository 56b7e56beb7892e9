// Self check SW_FILE_STALE: today's file of a format that grows all day (system_info) has had no new data for selfAlarms.fileStaleMinutes.
import { formatInstant } from '../../time';
import { MIN, minutes } from './shared';
import { growsAllDay, newestRecords, todaysFiles } from './today-files';
import type { SelfCheck, SelfCondition } from './types';

export const fileStaleCheck: SelfCheck<'SW_FILE_STALE'> = {
  name: 'SW_FILE_STALE',
  async evaluate(input, cfg, now) {
    if (!input.formats.some(growsAllDay)) return [];
    const files = await todaysFiles(input, cfg, now);
    if (files.length === 0) return [];
    const newest = new Map<string, Map<number, number>>();
    for (const format of input.formats) {
      if (growsAllDay(format)) newest.set(format.name, await newestRecords(input, format));
    }
    const staleMs = cfg.fileStaleMinutes * MIN;
    const out: SelfCondition<'SW_FILE_STALE'>[] = [];
    for (const f of files) {
      const probe = newest.get(f.format.name);
      if (!probe) continue;
      const siteId = f.site.id;
      const node = f.format.name;
      const keep = () =>
        out.push({ siteId, name: 'SW_FILE_STALE', node, description: '', keepOnly: true });
      // A missing file is SW_FILE_MISSING's; until it is due, an open stale alarm is kept.
      if (!f.exists) {
        if (now < f.dueAt) keep();
        continue;
      }
      const last = probe.get(siteId) ?? null;
      // Today's file cannot have grown before midnight: its quiet time is counted from then at most.
      const since = last !== null && last > f.dayStart ? last : f.dayStart;
      const idle = now - since;
      if (idle < staleMs) {
        if (since === f.dayStart) keep();
        continue;
      }
      out.push({
        siteId,
        name: 'SW_FILE_STALE',
        node,
        description:
          since === f.dayStart
            ? `今日文件 ${f.file} 自 00:00 起已 ${minutes(idle)} 分钟没有新数据`
            : `今日文件 ${f.file} 已 ${minutes(idle)} 分钟没有新数据（最新记录 ${formatInstant(last!, f.tz)}）`,
      });
    }
    return out;
  },
};
