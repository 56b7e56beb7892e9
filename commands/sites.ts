// Command "局点" (sites): the sites the caller may ask about here, with servers reporting, alarms and last ingest.
import { siteZone, when } from '../src/present/format';
import { siteHealth } from '../src/queries';
import { requestSites } from './access';
import { text } from './reply';
import type { Command } from './types';

export const sitesCommand: Command = {
  name: '局点',
  aliases: ['sites'],
  usage: '局点',
  summary: '列出可查询的局点及其概况。',
  examples: ['局点'],
  async run(ctx) {
    const { deps } = ctx;
    const sites = await requestSites(ctx);
    if (sites.length === 0) {
      return [text(ctx.room ? '本群还没有订阅局点。' : '您还没有可查询的局点。')];
    }
    const health = await siteHealth(deps.ds, sites, deps.now());
    const lines = health.map((h) => {
      const tz = siteZone(h.site, deps.config);
      let line = `${h.site.code} ${h.site.name}：服务器 ${h.reporting}/${h.servers} 在报，活动告警 ${h.activeAlarms}，最近采集 ${when(h.lastSuccessAt, tz)}`;
      if (h.lastError && (h.lastSuccessAt === null || (h.lastErrorAt ?? 0) > h.lastSuccessAt)) {
        line += `，最近错误 ${when(h.lastErrorAt, tz)}：${oneLine(h.lastError)}`;
      }
      return line;
    });
    return [text(`局点（${sites.length}）：\n${lines.join('\n')}`)];
  },
};

/** First line of an error message, at most 60 characters. */
export function oneLine(s: string): string {
  const first = s.split(/\r?\n/)[0];
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}
