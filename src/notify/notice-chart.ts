// The chart a notice carries: a site's alarms over the last week, or the business trend for a daily report.
import type { DataSource } from 'typeorm';
import { buildChart } from '../../charts/registry';
import type { Lang } from '../../charts/types';
import type { Notice } from '../outbox/notices';
import { alarmCounts, dailyFiguresBetween } from '../queries';
import { addDays, dayKey, startOfDay } from '../time';
import type { ChartOption } from '../types/chart-option';

export const ALARM_CHART_DAYS = 7;
export const REPORT_CHART_DAYS = 30;

export function createNoticeCharts(deps: { ds: DataSource; lang: Lang }) {
  return {
    async chartFor(notice: Notice): Promise<ChartOption | null> {
      const ctx = { lang: deps.lang, tz: notice.kind === 'bot' ? 'UTC' : notice.site.tz };
      if (notice.kind === 'alarms') {
        const { site } = notice;
        const today = dayKey(notice.at, site.tz);
        const from = startOfDay(addDays(today, -(ALARM_CHART_DAYS - 1)), site.tz);
        const data = await alarmCounts(deps.ds, site.id, from, notice.at + 1, site.tz);
        return buildChart('alarm-counts', { site: site.name, ...data }, ctx);
      }
      if (notice.kind === 'report') {
        const from = addDays(notice.date, -(REPORT_CHART_DAYS - 1));
        const days = await dailyFiguresBetween(deps.ds, notice.site.id, from, notice.date);
        return buildChart('business-trend', { site: notice.site.name, days }, ctx);
      }
      return null;
    },
  };
}
