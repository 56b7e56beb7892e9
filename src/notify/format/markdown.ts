// WeCom group-robot markdown notices (at most 4096 UTF-8 bytes); site data is neutralised so it cannot inject markup.
import type { Severity } from '../../../config/alarm-dict';
import type {
  AlarmEvent,
  AlarmItem,
  AlarmNotice,
  BotNotice,
  Notice,
  ReportNotice,
} from '../../outbox/notices';
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
  failedLine,
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
  safeUrl,
  shortTime,
  utf8Size,
} from './common';

export interface MarkdownOptions {
  /** Longest result in UTF-8 bytes (WeCom: 4096). */
  maxBytes: number;
  /** Most alarms listed; the rest are counted in "……及其他 N 条". */
  groupLimit: number;
  /** Zone of bot notices' times. */
  tz?: string;
}

/** WeCom's documented markdown limit, in UTF-8 bytes. */
export const WECOM_MARKDOWN_MAX_BYTES = 4096;

// Characters that start markup in WeCom markdown (tags, bold, links, code, headers, quotes, entities)
// become their full-width look-alikes: the text reads the same and formats nothing.
const NEUTRAL: Record<string, string> = {
  '<': '＜',
  '>': '＞',
  '*': '＊',
  '[': '［',
  ']': '］',
  '`': '｀',
  '#': '＃',
  '&': '＆',
  '\\': '＼',
  '~': '～',
  '|': '｜',
};

/** Site data (one line, at most `max` code points) made inert in markdown. */
export function mdText(s: string, max = 2000): string {
  return oneLine(s, max).replace(/[<>*[\]`#&\\~|]/g, (c) => NEUTRAL[c]);
}

const font = (color: 'warning' | 'info' | 'comment', s: string) =>
  `<font color="${color}">${s}</font>`;

const SEVERITY_COLOR: Record<Severity, 'warning' | 'comment'> = {
  critical: 'warning',
  major: 'warning',
  minor: 'comment',
  info: 'comment',
};

const STATUS_COLOR: Record<AlarmEvent, 'warning' | 'info'> = {
  raised: 'warning',
  resolved: 'info',
  reminder: 'warning',
  escalated: 'warning',
};

function alarmEntry(item: AlarmItem, index: number, notice: AlarmNotice): string {
  const mark = item.source === 'sitewatch' ? ` ${font('comment', SITEWATCH_MARK)}` : '';
  const sev = font(SEVERITY_COLOR[item.severity], `[${SEVERITY_LABEL[item.severity]}]`);
  const node = mdText(item.node, FIELD_MAX.node) || '—';
  const resolved = item.event === 'resolved' || item.resumedAt !== null;
  const lines = [
    `**${index + 1}.** ${sev} **${mdText(itemTitle(item))}**${mark}`,
    `>节点：${node}\u3000发生：${shortTime(item.raisedAt, notice.site.tz)}`,
  ];
  const description = mdText(item.description, FIELD_MAX.description);
  if (description) lines.push(`>描述：${description}`);
  const status = itemStatus(item, notice.at);
  lines.push(`>状态：${font(resolved ? 'info' : STATUS_COLOR[item.event], status)}`);
  const action = mdText(item.action, FIELD_MAX.action);
  if (action) lines.push(`>建议：${action}`);
  for (const p of itemPeople(item)) lines.push(`>${font('comment', mdText(p))}`);
  return lines.join('\n');
}

function alarmMarkdown(notice: AlarmNotice, o: MarkdownOptions): string {
  return fitEntries({
    head: `## 【告警】${mdText(noticeSiteLabel(notice.site))}\n${eventCounts(notice).join('，')}`,
    entries: notice.items.map((it, i) => alarmEntry(it, i, notice)),
    more: notice.more,
    limit: o.groupLimit,
    max: o.maxBytes,
    size: utf8Size,
    sep: '\n',
  });
}

function reportMarkdown(notice: ReportNotice): string {
  const lines = [`## ${mdText(reportTitle(notice))}`];
  const rows = figureRows(notice);
  if (rows) {
    lines.push(figuresHeading(notice));
    for (const r of rows)
      lines.push(`>${r.label} **${r.value}**${r.change === null ? '' : `（${r.change}）`}`);
  } else {
    lines.push(font('comment', NO_FIGURES));
  }
  const failed = notice.failedDeliveries > 0 ? failedLine(notice.failedDeliveries) : null;
  for (const f of reportFacts(notice)) lines.push(f === failed ? font('warning', f) : f);
  const cap = capacityLines(notice);
  if (cap) lines.push(font('warning', cap.heading), ...cap.items.map((l) => `>${mdText(l)}`));
  return lines.join('\n');
}

/** A link target that cannot close the markdown link early. */
function linkTarget(url: string): string {
  return url.replace(
    /[()[\]*`<> ]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function botMarkdown(notice: BotNotice, tz: string): string {
  const t = botTexts(notice, tz);
  const lines = [
    `## ${font(notice.state === 'logged-out' ? 'warning' : 'info', t.title)}`,
    ...t.lines,
  ];
  if (t.qrPrompt) {
    const url = safeUrl(notice.qrUrl);
    if (url) lines.push(`${t.qrPrompt}[打开登录二维码](${linkTarget(url)})`);
    else if (notice.qrUrl) lines.push(`${t.qrPrompt}${mdText(notice.qrUrl)}`);
    else lines.push(t.qrPrompt);
  }
  return lines.join('\n');
}

/** The notice as WeCom markdown of at most `maxBytes` UTF-8 bytes; alarms beyond what fits are counted, never cut. */
export function formatMarkdown(notice: Notice, o: MarkdownOptions): string {
  switch (notice.kind) {
    case 'alarms':
      return alarmMarkdown(notice, o);
    case 'report':
      return clampTo(reportMarkdown(notice), o.maxBytes, utf8Size);
    case 'bot':
      return clampTo(botMarkdown(notice, o.tz ?? DEFAULT_BOT_TZ), o.maxBytes, utf8Size);
  }
}
