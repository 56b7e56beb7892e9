// Self check SW_FETCH_FAILING: a site's last fetch failed and none has succeeded for selfAlarms.fetchFailingMinutes.
import { formatInstant } from '../../time';
import { MIN, clip, minutes } from './shared';
import type { SelfCheck, SelfCondition } from './types';

const ERROR_MAX = 300;

/** A site that never succeeded counts from its registration: there is no first-failure column. */
export const fetchFailingCheck: SelfCheck<'SW_FETCH_FAILING'> = {
  name: 'SW_FETCH_FAILING',
  async evaluate(input, cfg, now) {
    const out: SelfCondition<'SW_FETCH_FAILING'>[] = [];
    for (const site of input.sites) {
      if (site.lastErrorAt === null) continue;
      if (site.lastSuccessAt !== null && site.lastErrorAt <= site.lastSuccessAt) continue;
      const since = site.lastSuccessAt ?? site.createdAt;
      const lasted = now - since;
      if (lasted < cfg.fetchFailingMinutes * MIN) continue;
      const err = clip((site.lastError ?? '未知错误').replace(/\s+/g, ' ').trim(), ERROR_MAX);
      const tz = input.tzOf(site);
      out.push({
        siteId: site.id,
        name: 'SW_FETCH_FAILING',
        node: site.code,
        description:
          site.lastSuccessAt !== null
            ? `局点文件拉取已连续失败 ${minutes(lasted)} 分钟（最后成功 ${formatInstant(site.lastSuccessAt, tz)}）：${err}`
            : `局点文件拉取自添加以来一直失败（已 ${minutes(lasted)} 分钟）：${err}`,
      });
    }
    return out;
  },
};
