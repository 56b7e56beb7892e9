// Answer to a comparison: several sites over one time, or one site over several times — each figure's values and differences against the first, and the comparison chart.
import type { Site } from '../../entities';
import type { TimeSpec } from '../../src/nlu/types';
import { FIGURE_LABELS } from '../../src/present/figure-labels';
import { change, count, siteLabel, siteZone } from '../../src/present/format';
import { dailyFiguresBetween, type FigureKey, type Figures } from '../../src/queries';
import { chartReply } from '../chart';
import { text } from '../reply';
import {
  daysOf,
  figureKeys,
  missingDays,
  pickSites,
  refuseQuestion,
  timeText,
  yesterday,
  zoneOf,
} from './common';
import type { IntentAnswer } from './types';

/** At most this many things compared at once (sites × times). */
export const COMPARE_MAX_COLUMNS = 10;

interface Column {
  site: Site;
  label: string;
  from: string;
  to: string;
  days: Figures[];
}

/** A column's value of a figure: the day's, or over a range the sum (total users: the last day's); null without data. */
function valueOf(c: Column, k: FigureKey): number | null {
  if (c.days.length === 0) return null;
  if (c.from === c.to || k === 'total') return c.days[c.days.length - 1][k];
  return c.days.reduce((a, d) => a + d[k], 0);
}

export const compareAnswer: IntentAnswer<'compare'> = {
  kind: 'compare',
  charts: () => true,
  async answer(intent, ctx) {
    const { deps } = ctx;
    const picked = await pickSites(ctx, 'compare', intent.sites, {
      none: intent.times.length > 1 ? 'one' : 'all',
      cap: COMPARE_MAX_COLUMNS,
    });
    if (!picked.ok) return picked.replies;
    const sites = picked.sites;
    const zone = zoneOf(sites, ctx);
    const times: TimeSpec[] =
      intent.times.length > 0 ? intent.times : [{ kind: 'day', day: yesterday(deps.now(), zone) }];
    if (sites.length * times.length > COMPARE_MAX_COLUMNS) {
      return refuseQuestion(
        ctx,
        'compare',
        'too many',
        `一次最多对比 ${COMPARE_MAX_COLUMNS} 项，请少选几个局点或时间。`,
      );
    }
    const columns: Column[] = [];
    for (const site of sites) {
      for (const t of times) {
        const tz = siteZone(site, deps.config);
        const { from, to } = daysOf(t, tz);
        const label =
          sites.length === 1
            ? timeText(t, tz)
            : times.length === 1
              ? site.name
              : `${site.name} ${timeText(t, tz)}`;
        const days = await dailyFiguresBetween(deps.ds, site.id, from, to);
        columns.push({ site, label, from, to, days });
      }
    }
    const keys = figureKeys(intent.figures);
    // One site: the times are the columns; one time: the sites are; else both name each column.
    const head =
      sites.length === 1
        ? `${siteLabel(sites[0])}业务对比：${columns.map((c) => c.label).join('、')}`
        : `业务对比${times.length === 1 ? `（${timeText(times[0], zone)}）` : ''}：${sites.map(siteLabel).join('、')}`;
    const [first] = columns;
    const lines = [head];
    for (const k of keys) {
      const base = valueOf(first, k);
      const cells = columns.map((c, i) => {
        const v = valueOf(c, k);
        const cell = `${c.label} ${v === null ? '—' : count(v)}`;
        return i > 0 && v !== null && base !== null
          ? `${cell}（较${first.label} ${change(v, base)}）`
          : cell;
      });
      lines.push(`${FIGURE_LABELS[k]}：${cells.join('，')}`);
    }
    const ranges = columns.filter((c) => c.from !== c.to);
    if (ranges.length > 0) {
      lines.push(
        keys.includes('total')
          ? '区间为每日合计，总用户为区间最后一天的数值。'
          : '区间为每日合计。',
      );
      for (const c of ranges) {
        const n = missingDays(c.days, c.from, c.to, deps.now(), siteZone(c.site, deps.config));
        if (n > 0) lines.push(`${c.label} 缺 ${n} 天数据。`);
      }
    }
    const chart = await chartReply(
      deps,
      'comparison',
      {
        subject:
          sites.length === 1 ? sites[0].name : times.length === 1 ? timeText(times[0], zone) : '',
        columns: columns.map((c) => c.label),
        groups: keys.map((k) => ({
          label: FIGURE_LABELS[k],
          values: columns.map((c) => valueOf(c, k)),
        })),
      },
      zone,
      `compare-${sites.map((s) => s.code).join('-')}-${columns.length}`,
      `业务对比：${columns.map((c) => c.label).join('、')}`,
    );
    return [text(lines.join('\n')), ...chart];
  },
};
