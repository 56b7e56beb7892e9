// Command "昨日" (yesterday): a site's business figures of yesterday with the change against the day before.
import { FIGURE_LABELS } from '../src/present/figure-labels';
import { change, count, siteLabel, siteZone } from '../src/present/format';
import { FIGURE_KEYS, yesterdayFigures } from '../src/queries';
import { resolveSite } from './access';
import { text } from './reply';
import type { Command } from './types';

export const yesterdayCommand: Command = {
  name: '昨日',
  aliases: ['yesterday'],
  usage: '昨日 <局点>',
  summary: '局点昨日的业务数据及与前一日的变化。',
  examples: ['昨日 BJ01'],
  async run(ctx) {
    const { deps } = ctx;
    const r = await resolveSite(ctx, '昨日', ctx.args);
    if (!r.ok) return r.replies;
    const site = r.site;
    const y = await yesterdayFigures(deps.ds, site.id, deps.now(), siteZone(site, deps.config));
    if (!y.current) return [text(`${siteLabel(site)}暂无 ${y.date} 的业务数据。`)];
    const cur = y.current;
    const prev = y.previous;
    const lines = FIGURE_KEYS.map((k) => {
      const base = `${FIGURE_LABELS[k]} ${count(cur[k])}`;
      return prev ? `${base}（${change(cur[k], prev[k])}）` : base;
    });
    const head = `${siteLabel(site)}${y.date} 业务数据${prev ? '（括号内为较前一日）' : '（无前一日数据）'}：`;
    return [text(`${head}\n${lines.join('\n')}`)];
  },
};
