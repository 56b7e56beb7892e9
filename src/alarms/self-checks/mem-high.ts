// Self check SW_MEM_HIGH: a server's memory use stayed over selfAlarms.memPercent for overMinutes.
import { overThreshold, overWindow } from './over-threshold';
import { pct1 } from './shared';
import type { SelfCheck } from './types';

export const memHighCheck: SelfCheck<'SW_MEM_HIGH'> = {
  name: 'SW_MEM_HIGH',
  async evaluate(input, cfg, now) {
    const rows = await overThreshold(input, cfg, now, 'mem_sample', cfg.memPercent);
    return rows.map((r) => ({
      siteId: r.siteId,
      name: 'SW_MEM_HIGH' as const,
      node: r.server,
      description: `内存使用率 ${overWindow(cfg)} ${cfg.memPercent}%（最低 ${pct1(r.low)}）`,
    }));
  },
};
