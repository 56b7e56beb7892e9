// Self check SW_FILE_MISSING: today's file of an expected format still does not exist after selfAlarms.fileMissingAfter.
import { formatInstant } from '../../time';
import { todaysFiles } from './today-files';
import type { SelfCheck, SelfCondition } from './types';

export const fileMissingCheck: SelfCheck<'SW_FILE_MISSING'> = {
  name: 'SW_FILE_MISSING',
  async evaluate(input, cfg, now) {
    const out: SelfCondition<'SW_FILE_MISSING'>[] = [];
    for (const f of await todaysFiles(input, cfg, now)) {
      if (f.present) continue;
      const siteId = f.site.id;
      const node = f.format.name;
      // Before today's file is due, an alarm still open from yesterday is kept, not resolved.
      if (now < f.dueAt) {
        out.push({ siteId, name: 'SW_FILE_MISSING', node, description: '', keepOnly: true });
        continue;
      }
      const why =
        f.checkedAt === null ? '尚无拉取记录' : `最后检查 ${formatInstant(f.checkedAt, f.tz)}`;
      out.push({
        siteId,
        name: 'SW_FILE_MISSING',
        node,
        description: `今日文件 ${f.file} 在 ${cfg.fileMissingAfter} 后仍不存在（${why}）`,
      });
    }
    return out;
  },
};
