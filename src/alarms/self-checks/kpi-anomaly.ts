// Self check SW_KPI_ANOMALY: a site's latest day of business figures that breaks its pattern, or yesterday's figures missing.
import { dailyFiguresBetween } from '../../queries/business';
import { FIGURE_LABELS } from '../../present/figure-labels';
import { count } from '../../present/format';
import { addDays, isoDay, wallClock } from '../../time';
import { type DayJudgement, type KpiFlag, judgeDay, seriesOf } from '../kpi-baseline';
import { ignoredDays } from '../kpi-ignore';
import { clip } from './shared';
import type { SelfCheck, SelfCondition } from './types';

/** Days read before yesterday: 4 weeks of the same weekday for the day before yesterday, too. */
const HISTORY_DAYS = 36;
/** Yesterday's figures are missing when the site had figures on at least this many of the 7 days before. */
const MISSING_MIN_DAYS = 4;
export const MISSING_TEXT = '昨日业务数据缺失';

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
const TENTHS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

/** A figure for people: thousands separators, '14.8 万' from 10,000 on. */
export function figureNumber(n: number): string {
  return Math.abs(n) >= 10_000 ? `${TENTHS.format(n / 10_000)} 万` : count(n);
}

const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];

function flagText(date: string, f: KpiFlag): string {
  const label = FIGURE_LABELS[f.key];
  switch (f.kind) {
    case 'shift': {
      const dir = f.changePercent < 0 ? '下降' : '上升';
      return `${label} ${figureNumber(f.value)}，较近 ${f.weekday.n} 个${weekdayOf(date)}中位数 ${figureNumber(f.weekday.median)} ${dir} ${Math.round(Math.abs(f.changePercent))}%`;
    }
    case 'zero':
      return `${label} 0，平时约 ${figureNumber(f.weekday.median)}`;
    case 'total-vs-net': {
      const moved = f.totalChange < 0 ? '减少' : '增加';
      const sign = f.net > 0 ? '+' : '-';
      return `${label} ${moved} ${figureNumber(Math.abs(f.totalChange))}，而开通 − 退订为 ${sign}${figureNumber(Math.abs(f.net))}`;
    }
  }
}

/** '开通 1,203，较近 4 个周三中位数 4,051 下降 70%；上行 0，平时约 14.8 万' */
export function kpiText(j: DayJudgement): string {
  return j.flags.map((f) => flagText(j.date, f)).join('；');
}

export const kpiAnomalyCheck: SelfCheck<'SW_KPI_ANOMALY'> = {
  name: 'SW_KPI_ANOMALY',
  async evaluate(input, cfg, now) {
    const out: SelfCondition<'SW_KPI_ANOMALY'>[] = [];
    const [dueH, dueM] = cfg.fileMissingAfter.split(':').map(Number);
    const ignoredBySite = await ignoredDays(
      input.ds,
      input.sites.map((s) => s.id),
    );
    for (const site of input.sites) {
      const ignored = ignoredBySite.get(site.id) ?? new Set<string>();
      const tz = input.tzOf(site);
      const yesterday = addDays(isoDay(now, tz), -1);
      const rows = await dailyFiguresBetween(
        input.ds,
        site.id,
        addDays(yesterday, -HISTORY_DAYS),
        yesterday,
      );
      const all = seriesOf(rows);
      // Days marked as expected are out of both baselines, and no reference for the next day's
      // total users either (a cutover's count may be anything).
      const series = seriesOf(rows.filter((r) => !ignored.has(r.date)));
      const push = (node: string, description: string) =>
        out.push({
          siteId: site.id,
          name: 'SW_KPI_ANOMALY',
          node,
          description: clip(description, 1024),
        });
      let day = yesterday;
      if (!all.has(yesterday)) {
        const w = wallClock(now, tz);
        // Yesterday's figures come in today's files: missing only once those are due.
        const due = w.hour * 60 + w.minute >= dueH * 60 + dueM;
        let before = 0;
        for (let i = 1; i <= 7; i++) if (all.has(addDays(yesterday, -i))) before++;
        if (due && before >= MISSING_MIN_DAYS) {
          if (!ignored.has(yesterday)) push(yesterday, MISSING_TEXT);
          continue;
        }
        // Until then the day before is still the latest day with figures, and its alarm holds.
        day = addDays(yesterday, -1);
      }
      if (ignored.has(day)) continue;
      const j = judgeDay(series, day, cfg);
      if (j.flags.length > 0) push(day, kpiText(j));
    }
    return out;
  },
};
