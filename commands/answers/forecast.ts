// Answer to "how long does the disk (or memory) last": each mount's (or the memory's) 7-day trend and when it fills, with the last 7 days' chart.
import {
  DAY,
  DEFAULT_HORIZON_MS,
  type Forecast,
  forecastFull,
  shortInstant,
} from '../../src/alarms/forecast';
import { diskForecast, perDay } from '../../src/alarms/self-checks/disk-filling';
import { memForecast } from '../../src/alarms/self-checks/mem-growth';
import { siteZone, when } from '../../src/present/format';
import { diskPoints, memPoints } from '../../src/queries';
import { hourlyDiskUse, hourlyMemUse } from '../../src/queries/capacity';
import { chartReply } from '../chart';
import { text } from '../reply';
import { HOUR_MS, pickServer } from './common';
import type { IntentAnswer } from './types';

/** The history the trend is fitted on and the chart shows. */
export const FORECAST_HOURS = 7 * 24;

const share = (used: number, total: number) => `${Math.round((used / total) * 100)}%`;

const HORIZON_DAYS = DEFAULT_HORIZON_MS / DAY;

/** What a forecast says after the current use: '约每天 +3.1%，预计 12-08 14:00 写满（约 2.3 天）'. */
function outlook(
  f: Forecast | null,
  now: number,
  tz: string,
  full: string,
  none = '历史不足 1 天，暂无法预测',
): string {
  if (!f) return none;
  const at = f.levels[0].at;
  if (at === 'never')
    return f.slopePerDay > 0
      ? `${perDay(f.slopePerDay)}，${HORIZON_DAYS} 天内不会${full}`
      : `近 7 天没有增长，不会${full}`;
  if (at <= now) return `已${full}`;
  return `${perDay(f.slopePerDay)}，预计 ${shortInstant(when(at, tz))} ${full}（约 ${((at - now) / DAY).toFixed(1)} 天）`;
}

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
    const scope = { siteIds: [site.id], serverId: server.id };
    const head = `${server.name}（${site.name}）${intent.metric === 'mem' ? '内存' : '磁盘'}容量预测（按近 7 天趋势）：`;
    if (intent.metric === 'mem') {
      const [points, hourly] = await Promise.all([
        memPoints(deps.ds, server.id, from, now).then((ps) => ps.filter((p) => p.totalBytes > 0)),
        hourlyMemUse(deps.ds, scope, from, now),
      ]);
      if (points.length === 0) return [text(`${head}\n近 7 天暂无内存数据。`)];
      const last = points[points.length - 1];
      const series = hourly[0]?.points ?? [];
      // Memory that fell back is no leak: it has no fill time, whatever its trend.
      const words = !forecastFull(series, now, { levels: [100] })
        ? outlook(null, now, tz, '用满')
        : outlook(memForecast(series, now), now, tz, '用满', '近 7 天没有持续增长，不会用满');
      const chart = await chartReply(
        deps,
        'server-mem',
        { server: server.name, points },
        tz,
        `mem-${server.name}-${FORECAST_HOURS}h`,
        `${server.name} 近 7 天内存使用`,
      );
      return [
        text(`${head}\n${server.name} 内存 ${share(last.usedBytes, last.totalBytes)}，${words}`),
        ...chart,
      ];
    }
    const [mounts, hourly] = await Promise.all([
      diskPoints(deps.ds, server.id, from, now).then((ms) =>
        ms
          .map((m) => ({ ...m, points: m.points.filter((p) => p.totalBytes > 0) }))
          .filter((m) => m.points.length > 0),
      ),
      hourlyDiskUse(deps.ds, scope, from, now),
    ]);
    if (mounts.length === 0) return [text(`${head}\n近 7 天暂无磁盘数据。`)];
    const lines = mounts.map((m) => {
      const last = m.points[m.points.length - 1];
      const series = hourly.find((h) => h.mount === m.mount);
      const f = series ? diskForecast(series.points, now) : null;
      return `${server.name} ${m.mount} ${share(last.usedBytes, last.totalBytes)}，${outlook(f, now, tz, '写满')}`;
    });
    const chart = await chartReply(
      deps,
      'server-disk',
      { server: server.name, mounts },
      tz,
      `disk-${server.name}-${FORECAST_HOURS}h`,
      `${server.name} 近 7 天磁盘使用率`,
    );
    return [text([head, ...lines].join('\n')), ...chart];
  },
};
