// Markdown notices for group robots that take plain markdown and no image bytes (DingTalk, Feishu cards): no HTML, site data neutralised, sized as JSON.
import type { Severity } from '../../../config/alarm-dict';
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
} from './common';
import { mdText } from './markdown';

export interface RobotMarkdownOptions {
  /** Longest result, counted as its bytes inside a JSON string (see jsonSize). */
  maxBytes: number;
  /** Most alarms listed; the rest are counted in "……及其他 N 条". */
  groupLimit: number;
  /** Zone of bot notices' times. */
  tz?: string;
  /** Line break within a block: DingTalk shows a single "\n" only as a space on some clients, so it gets "  \n". */
  br: string;
  /** Start with the title as a heading (DingTalk); Feishu shows it in the card header instead. */
  heading: boolean;
  /** Markdown lines the channel adds at the end (chart link, portal hint, @-mentions); room is kept for them. */
  tail?: string[];
}

/** The line said when a notice has a chart that the message cannot carry. */
export const CHART_IN_PORTAL = '图表请在 Sitewatch 门户查看';

/** The line said when a bot notice's QR code is an image the message cannot carry. */
export const QR_IN_PORTAL = '登录二维码图片请在 Sitewatch 门户或通知邮件中查看并扫描';

/**
 * Size of `s` once written into a JSON body (UTF-8, with escapes): the robots limit the request
 * body, and a quote or line break takes two bytes there.
 */
export const jsonSize = (s: string): number => Buffer.byteLength(JSON.stringify(s), 'utf8') - 2;

/** The notice's title in plain words (a message title or card header, not markdown), at most 100 code points. */
export function robotTitle(notice: Notice, tz: string = DEFAULT_BOT_TZ): string {
  switch (notice.kind) {
    case 'alarms':
      return oneLine(`【告警】${noticeSiteLabel(notice.site)}`, 100);
    case 'report':
      return oneLine(reportTitle(notice), 100);
    case 'bot':
      return oneLine(botTexts(notice, tz).title, 100);
  }
}

/** The most severe of the alarms still open, or null when every one has recovered. */
export function openSeverity(notice: AlarmNotice): Severity | null {
  const order: Severity[] = ['critical', 'major', 'minor', 'info'];
  const open = notice.items.filter((it) => it.event !== 'resolved' && it.resumedAt === null);
  for (const s of order) if (open.some((it) => it.severity === s)) return s;
  return null;
}

/** A link target that cannot close the markdown link or image early. */
export function linkTarget(url: string): string {
  return url.replace(
    /[()[\]*`<> ]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

function alarmEntry(item: AlarmItem, index: number, notice: AlarmNotice, br: string): string {
  const mark = item.source === 'sitewatch' ? ` ${SITEWATCH_MARK}` : '';
  const node = mdText(item.node, FIELD_MAX.node) || '—';
  const lines = [
    `**${index + 1}.** [${SEVERITY_LABEL[item.severity]}] **${mdText(itemTitle(item))}**${mark}`,
    `节点：${node}\u3000发生：${shortTime(item.raisedAt, notice.site.tz)}`,
  ];
  const description = mdText(item.description, FIELD_MAX.description);
  if (description) lines.push(`描述：${description}`);
  lines.push(`状态：${itemStatus(item, notice.at)}`);
  const action = mdText(item.action, FIELD_MAX.action);
  if (action) lines.push(`建议：${action}`);
  for (const p of itemPeople(item)) lines.push(mdText(p));
  return lines.join(br);
}

function headOf(notice: Notice, o: RobotMarkdownOptions, first: string[]): string {
  const lines = o.heading ? [`### ${mdText(robotTitle(notice, o.tz))}`, ...first] : first;
  // A heading ends its own block; the lines after it are one block with hard breaks.
  return o.heading && lines.length > 1
    ? `${lines[0]}\n${lines.slice(1).join(o.br)}`
    : lines.join(o.br);
}

function reportLines(notice: ReportNotice): string[] {
  const lines: string[] = [];
  const rows = figureRows(notice);
  if (rows) {
    lines.push(figuresHeading(notice));
    for (const r of rows)
      lines.push(`${r.label} **${r.value}**${r.change === null ? '' : `（${r.change}）`}`);
  } else {
    lines.push(NO_FIGURES);
  }
  const failed = notice.failedDeliveries > 0 ? failedLine(notice.failedDeliveries) : null;
  for (const f of reportFacts(notice)) lines.push(f === failed ? `**${f}**` : f);
  const cap = capacityLines(notice);
  if (cap) lines.push(`**${cap.heading}**`, ...cap.items.map((l) => mdText(l)));
  return lines;
}

function botLines(notice: BotNotice, tz: string): string[] {
  const t = botTexts(notice, tz);
  const lines = t.lines.map((l) => mdText(l));
  if (t.qrPrompt) {
    const url = safeUrl(notice.qrUrl);
    if (url) lines.push(`${t.qrPrompt}[打开登录二维码](${linkTarget(url)})`);
    else if (notice.qrUrl) lines.push(`${t.qrPrompt}${mdText(notice.qrUrl)}`);
    else lines.push(t.qrPrompt);
  }
  // The QR code is an image, which these robots cannot post.
  if (notice.qrPng) lines.push(QR_IN_PORTAL);
  return lines;
}

/**
 * The notice as robot markdown of at most `maxBytes` JSON bytes, `tail` included; alarms beyond
 * what fits are counted, never cut. Blocks are separated by a blank line.
 */
export function formatRobotMarkdown(notice: Notice, o: RobotMarkdownOptions): string {
  const tail = (o.tail ?? []).join(o.br);
  const tailSize = tail ? jsonSize(`\n\n${tail}`) : 0;
  const max = Math.max(0, o.maxBytes - tailSize);
  let body: string;
  switch (notice.kind) {
    case 'alarms':
      body = fitEntries({
        head: headOf(notice, o, [eventCounts(notice).join('，')]),
        entries: notice.items.map((it, i) => alarmEntry(it, i, notice, o.br)),
        more: notice.more,
        limit: o.groupLimit,
        max,
        size: jsonSize,
        sep: '\n\n',
      });
      break;
    case 'report':
      body = clampTo(headOf(notice, o, reportLines(notice)), max, jsonSize);
      break;
    case 'bot':
      body = clampTo(headOf(notice, o, botLines(notice, o.tz ?? DEFAULT_BOT_TZ)), max, jsonSize);
      break;
  }
  return tail ? clampTo(`${body}\n\n${tail}`, o.maxBytes, jsonSize) : body;
}
