// Self check SW_CPU_HIGH: a server's cpu busy (user + sys + io) stayed over selfAlarms.cpuPercent for overMinutes.
import { overThreshold, overWindow } from './over-threshold';
import { pct1 } from './shared';
import type { SelfCheck } from './types';

export const cpuHighCheck: SelfCheck<'SW_CPU_HIGH'> = {
  name: 'SW_CPU_HIGH',
  async evaluate(input, cfg, now) {
    const rows = await overThreshold(input, cfg, now, 'cpu_sample', cfg.cpuPercent);
    return rows.map((r) => ({
      siteId: r.siteId,
      name: 'SW_CPU_HIGH' as const,
      node: r.server,
      description: `CPU 使用率 ${overWindow(cfg)} ${cfg.cpuPercent}%（最低 ${pct1(r.low)}）`,
    }));
  },
};
