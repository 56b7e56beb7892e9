// Self check SW_DISK_HIGH: a server mount's disk use stayed over selfAlarms.diskPercent for overMinutes.
import { overThreshold, overWindow } from './over-threshold';
import { clip, pct1 } from './shared';
import type { SelfCheck } from './types';

/** Width of the alarm's node column. */
const NODE_MAX = 128;

export const diskHighCheck: SelfCheck<'SW_DISK_HIGH'> = {
  name: 'SW_DISK_HIGH',
  async evaluate(input, cfg, now) {
    const rows = await overThreshold(input, cfg, now, 'disk_sample', cfg.diskPercent);
    return rows.map((r) => ({
      siteId: r.siteId,
      name: 'SW_DISK_HIGH' as const,
      node: clip(`${r.server}:${r.mount}`, NODE_MAX),
      description: `磁盘 ${r.mount} 使用率 ${overWindow(cfg)} ${cfg.diskPercent}%（最低 ${pct1(r.low)}）`,
    }));
  },
};
