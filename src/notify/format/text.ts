// Plain-text notices (WeChat messages, email bodies): alarms, the daily report and the bot's login state.
import type { AlarmItem, AlarmNotice, BotNotice, Notice, ReportNotice } from '../../outbox/notices';
import {
  DEFAULT_BOT_TZ,
  FIELD_MAX,
  NO_FIGURES,
  SEVERITY_LABEL,
  SITEWATCH_MARK,
  botTexts,
  capacityLines,
  clampTo,
  eventCounts,
  figureRows,
  figuresHeading,
  fitEntries,
  itemPeople,
  itemStatus,
  itemTitle,
  noticeSiteLabel,
  oneLine,
  reportFacts,
  reportTitle,
  shortTime,
  utf16Size,
} from './common';

export interface TextOptions {
  /** Longest result in UTF-16 units (Infinity: no limit). */
  maxChars: number;
  /** Most alarms listed; the rest are counted in "……及其他 N 条". */
  groupLimit: number;
  /** Only Chinese is written for now. */
  lang?: 'zh-CN';
  /** Zone of bot notices' times (alarm and report notices use their site's zone). */
  tz?: string;
}

export function alarmHead(notice: AlarmNotice): string {
  return `【告警】${noticeSiteLabel(notice.site)}：${eventCounts(notice).join('，')}`;
}

function alarmEntry(item: AlarmItem, index: number, notice: AlarmNotice): string {
  const mark = item.source === 'sitewatch' ? SITEWATCH_MARK : '';
  const node = oneLine(item.node, FIELD_MAX.node) || '—';
  const lines = [
    `${index + 1}. [${SEVERITY_LABEL[item.severity]}]${mark} ${itemTitle(item)}`,
    `节点：${node}  发生：${shortTime(item.raisedAt, notice.site.tz)}`,
  ];
  const description = oneLine(item.description, FIELD_MAX.description);
  if (description) lines.push(`描述：${description}`);
  lines.push(`状态：${itemStatus(item, notice.at)}`);
  const action = oneLine(item.action, FIELD_MAX.action);
  if (action) lines.push(`建议：${action}`);
  lines.push(...itemPeople(item));
  return lines.join('\n');
}

function alarmText(notice: AlarmNotice, o: TextOptions): string {
  return fitEntries({
    head: alarmHead(notice),
    entries: notice.items.map((it, i) => alarmEntry(it, i, notice)),
    more: notice.more,
    limit: o.groupLimit,
    max: o.maxChars,
    size: utf16Size,
    sep: '\n\n',
  });
}

function reportText(notice: ReportNotice): string {
  const lines = [reportTitle(notice)];
  const rows = figureRows(notice);
  if (rows) {
    lines.push(figuresHeading(notice));
    for (const r of rows)
      lines.push(
        r.change === null ? `${r.label} ${r.value}` : `${r.label} ${r.value}（${r.change}）`,
      );
  } else {
    lines.push(NO_FIGURES);
  }
  lines.push(...reportFacts(notice));
  const cap = capacityLines(notice);
  if (cap) lines.push(cap.heading, ...cap.items.map((l) => `- ${l}`));
  return lines.join('\n');
}

function botText(notice: BotNotice, tz: string): string {
  const t = botTexts(notice, tz);
  const lines = [t.title, ...t.lines];
  if (t.qrPrompt)
    lines.push(notice.qrUrl ? `${t.qrPrompt}${oneLine(notice.qrUrl, 2000)}` : t.qrPrompt);
  return lines.join('\n');
}

/** The notice as plain text of at most `maxChars` UTF-16 units; alarms beyond what fits are counted, never cut. */
export function formatText(notice: Notice, o: TextOptions): string {
  switch (notice.kind) {
    case 'alarms':
      return alarmText(notice, o);
    case 'report':
      return clampTo(reportText(notice), o.maxChars, utf16Size);
    case 'bot':
      return clampTo(botText(notice, o.tz ?? DEFAULT_BOT_TZ), o.maxChars, utf16Size);
  }
}
