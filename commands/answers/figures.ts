// Answer to a figures question: one day's figures with their change against the day before and the same weekday a week earlier, or a range's sums and days with the trend chart.
import type { Site } from '../../entities';
import { FIGURE_LABELS } from '../../src/present/figure-labels';
import { change, count, siteLabel, siteZone } from '../../src/present/format';
import { dailyFiguresBetween, type FigureKey, type Figures } from '../../src/queries';
import { addDays } from '../../src/time';
import { chartReply } from '../chart';
import { REPORT_MAX_DAYS } from '../report';
import { text } from '../reply';
import type { CommandContext, Reply } from '../types';
import { dayCount, daysOf, daysText, figureKeys, missingDays, pickSites } from './common';
import type { IntentAnswer } from './types';

/** Sites answered at once when the question names none (one block each). */
export const FIGURES_MAX_SITES = 10;

export const figuresAnswer: IntentAnswer<'figures'> = {
  kind: 'figures',
  charts: (intent) => intent.time.kind !== 'day',
  async answer(intent, ctx) {
    const picked = await pickSites(ctx, 'figures', intent.sites, {
      none: 'all',
      cap: FIGURES_MAX_SITES,
    });
    if (!picked.ok) return picked.replies;
    const keys = figureKeys(intent.figures);
    const blocks: string[] = [];
    const charts: Reply[] = [];
    for (const site of picked.sites) {
      const { from, to } = daysOf(intent.time, siteZone(site, ctx.deps.config));
      if (from === to) {
        blocks.push(await dayBlock(ctx, site, from, keys));
      } else {
        const r = await rangeBlock(ctx, site, from, to, keys);
        blocks.push(r.text);
        charts.push(...r.charts);
      }
    }
    return [text(blocks.join('\n\n')), ...charts];
  },
};

/** One day of one site, each figure against the day before and the same weekday a week earlier (as 昨日 formats them). */
async function dayBlock(
  ctx: CommandContext,
  site: Site,
  day: string,
  keys: readonly FigureKey[],
): Promise<string> {
  const before = addDays(day, -1);
  const weekAgo = addDays(day, -7);
  const rows = await dailyFiguresBetween(ctx.deps.ds, site.id, weekAgo, day);
  const of = (d: string) => rows.find((r) => r.date === d) ?? null;
  const cur = of(day);
  if (!cur) return `${siteLabel(site)}暂无 ${day} 的业务数据。`;
  const prev = of(before);
  const week = of(weekAgo);
  const missing = [prev ? null : '前一日', week ? null : '上周同日'].filter(Boolean);
  const lines = keys.map((k) => {
    const against: string[] = [];
    if (prev) against.push(`较前一日 ${change(cur[k], prev[k])}`);
    if (week) against.push(`较上周同日 ${change(cur[k], week[k])}`);
    const base = `${FIGURE_LABELS[k]} ${count(cur[k])}`;
    return against.length ? `${base}（${against.join('，')}）` : base;
  });
  const note = missing.length ? `（无${missing.join('和')}数据）` : '';
  return `${siteLabel(site)}${day} 业务数据${note}：\n${lines.join('\n')}`;
}

/** A range of one site: sums (the total users from first to last day), each day, and the report's trend chart. */
async function rangeBlock(
  ctx: CommandContext,
  site: Site,
  askedFrom: string,
  to: string,
  keys: readonly FigureKey[],
): Promise<{ text: string; charts: Reply[] }> {
  const { deps } = ctx;
  const tz = siteZone(site, deps.config);
  const capped = dayCount(askedFrom, to) > REPORT_MAX_DAYS;
  const from = capped ? addDays(to, -(REPORT_MAX_DAYS - 1)) : askedFrom;
  const head = `${siteLabel(site)}${daysText(from, to)} 业务`;
  const capNote = capped ? `（最多 ${REPORT_MAX_DAYS} 天，已取最后 ${REPORT_MAX_DAYS} 天。）` : '';
  const days = await dailyFiguresBetween(deps.ds, site.id, from, to);
  if (days.length === 0) return { text: `${head}：暂无数据。${capNote}`, charts: [] };
  const lines = [`${head}：`];
  const summed = keys.filter((k) => k !== 'total');
  if (summed.length > 0) {
    const sum = (k: FigureKey) => count(days.reduce((a, d) => a + d[k], 0));
    lines.push(`合计：${summed.map((k) => `${FIGURE_LABELS[k]} ${sum(k)}`).join('，')}`);
  }
  if (keys.includes('total')) lines.push(totalLine(days));
  lines.push(`日期 ${keys.map((k) => FIGURE_LABELS[k]).join('/')}`);
  for (const d of days) lines.push(`${d.date.slice(5)} ${keys.map((k) => count(d[k])).join('/')}`);
  const missing = missingDays(days, from, to, deps.now(), tz);
  if (missing > 0) lines.push(`缺 ${missing} 天数据。`);
  if (capNote) lines.push(capNote);
  const charts = await chartReply(
    deps,
    'business-trend',
    { site: site.name, days },
    tz,
    `report-${site.code}-${from}-${to}`,
    `${site.name} ${daysText(from, to)} 业务趋势`,
  );
  return { text: lines.join('\n'), charts };
}

/** '总用户：10,000 → 10,400（+400 (+4.0%)）' over the days, or the one day's count. */
function totalLine(days: readonly Figures[]): string {
  const first = days[0];
  const last = days[days.length - 1];
  if (days.length === 1) return `${FIGURE_LABELS.total}：${count(last.total)}`;
  return `${FIGURE_LABELS.total}：${count(first.total)} → ${count(last.total)}（${change(last.total, first.total)}）`;
}
