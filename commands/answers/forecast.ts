// Answer to "how long does the disk (or memory) last": until capacity forecasts exist, the current usage and the last 7 days' chart, saying that no forecast is available yet.
import { gib, pct, siteZone } from '../../src/present/format';
import { diskPoints, memPoints } from '../../src/queries';
import { chartReply } from '../chart';
import { text } from '../reply';
import { HOUR_MS, pickServer } from './common';
import type { IntentAnswer } from './types';

/** The history shown instead of a forecast. */
export const FORECAST_HOURS = 7 * 24;

export const FORECAST_MISSING = '容量预测暂不可用（该功能尚未上线），以下为当前用量和近 7 天走势。';

const share = (used: number, total: number) =>
  `${pct((used / total) * 100)}（${gib(used)}/${gib(total)}）`;

export const forecastAnswer: IntentAnswer<'forecast'> = {
  kind: 'forecast',
  charts: () => true,
  async answer(intent, ctx) {
    const { deps } = ctx;
    const r = await pickServer(ctx, 'forecast', intent.server);
    if (!r.ok) return r.replies;
    const { server, site } = r;
    const tz = siteZone(site, deps.config);
    const now = deps.now();
    const from = now - FORECAST_HOURS * HOUR_MS;
    const head = `${server.name}（${site.name}）${intent.metric === 'mem' ? '内存' : '磁盘'}：${FORECAST_MISSING}`;
    if (intent.metric === 'mem') {
      const points = (await memPoints(deps.ds, server.id, from, now)).filter(
        (p) => p.totalBytes > 0,
      );
      if (points.length === 0) return [text(`${head}\n近 7 天暂无内存数据。`)];
      const last = points[points.length - 1];
      const chart = await chartReply(
        deps,
        'server-mem',
        { server: server.name, points },
        tz,
        `mem-${server.name}-${FORECAST_HOURS}h`,
        `${server.name} 近 7 天内存使用`,
      );
      return [text(`${head}\n当前内存 ${share(last.usedBytes, last.totalBytes)}`), ...chart];
    }
    const mounts = (await diskPoints(deps.ds, server.id, from, now))
      .map((m) => ({ ...m, points: m.points.filter((p) => p.totalBytes > 0) }))
      .filter((m) => m.points.length > 0);
    if (mounts.length === 0) return [text(`${head}\n近 7 天暂无磁盘数据。`)];
    const current = mounts.map((m) => {
      const last = m.points[m.points.length - 1];
      return `${m.mount} ${share(last.usedBytes, last.totalBytes)}`;
    });
    const chart = await chartReply(
      deps,
      'server-disk',
      { server: server.name, mounts },
      tz,
      `disk-${server.name}-${FORECAST_HOURS}h`,
      `${server.name} 近 7 天磁盘使用率`,
    );
    return [text(`${head}\n当前磁盘：${current.join('，')}`), ...chart];
  },
};
