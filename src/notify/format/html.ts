// Email notices: a Chinese subject, the plain-text body and an HTML body (alarm table, inline chart / QR code by cid).
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
  eventCounts,
  failedLine,
  figureRows,
  figuresHeading,
  itemPeople,
  itemStatus,
  itemTitle,
  moreLine,
  noticeSiteLabel,
  oneLine,
  reportFacts,
  reportTitle,
  safeUrl,
  shortTime,
  takeItems,
} from './common';
import { alarmHead, formatText } from './text';

export interface EmailOptions {
  /** The chat group limit; an email lists up to five times as many alarms. */
  groupLimit: number;
  /** Content-ID of the attached chart, or null when there is none. */
  chartCid: string | null;
  /** Content-ID of the attached login QR code (bot notices). */
  qrCid?: string | null;
  /** Zone of bot notices' times. */
  tz?: string;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** How many more alarms an email lists than a chat message. */
export const EMAIL_GROUP_FACTOR = 5;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Site data for HTML: one line, clipped, escaped. */
const data = (s: string, max: number) => esc(oneLine(s, max));

const SEVERITY_STYLE: Record<Severity, string> = {
  critical: 'color:#c62828;font-weight:bold',
  major: 'color:#ef6c00;font-weight:bold',
  minor: 'color:#f9a825',
  info: 'color:#546e7a',
};

const CELL = 'border:1px solid #ccc;padding:4px 8px;vertical-align:top';
const TH = `${CELL};text-align:left;background:#f2f2f2`;

function page(body: string): string {
  return (
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head>' +
    '<body style="font-family:-apple-system,\'Microsoft YaHei\',sans-serif;font-size:14px;color:#222">' +
    `${body}</body></html>`
  );
}

const img = (cid: string, alt: string) =>
  `<p><img src="cid:${esc(cid)}" alt="${esc(alt)}" style="max-width:100%"></p>`;

function alarmRow(item: AlarmItem, notice: AlarmNotice): string {
  const mark = item.source === 'sitewatch' ? ` <small>${SITEWATCH_MARK}</small>` : '';
  const action = oneLine(item.action, FIELD_MAX.action);
  const title =
    esc(itemTitle(item)) + mark + (action ? `<br><small>建议：${esc(action)}</small>` : '');
  const status = [itemStatus(item, notice.at), ...itemPeople(item)].map(esc).join('<br>');
  const cells = [
    `<td style="${CELL};${SEVERITY_STYLE[item.severity]}">${SEVERITY_LABEL[item.severity]}</td>`,
    `<td style="${CELL}">${title}</td>`,
    `<td style="${CELL}">${data(item.node, FIELD_MAX.node) || '—'}</td>`,
    `<td style="${CELL}">${data(item.description, FIELD_MAX.description)}</td>`,
    `<td style="${CELL};white-space:nowrap">${shortTime(item.raisedAt, notice.site.tz)}</td>`,
    `<td style="${CELL}">${status}</td>`,
  ];
  return `<tr>${cells.join('')}</tr>`;
}

function alarmHtml(notice: AlarmNotice, o: EmailOptions): string {
  const { items, left } = takeItems(notice, o.groupLimit * EMAIL_GROUP_FACTOR);
  const head = ['级别', '告警', '节点', '描述', '发生时间', '状态']
    .map((h) => `<th style="${TH}">${h}</th>`)
    .join('');
  const parts = [
    `<h2 style="font-size:18px">${esc(alarmHead(notice))}</h2>`,
    '<table style="border-collapse:collapse">',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${items.map((it) => alarmRow(it, notice)).join('')}</tbody>`,
    '</table>',
  ];
  if (left > 0) parts.push(`<p>${esc(moreLine(left))}</p>`);
  if (o.chartCid) parts.push(img(o.chartCid, '告警图表'));
  return page(parts.join(''));
}

function reportHtml(notice: ReportNotice, o: EmailOptions): string {
  const parts = [`<h2 style="font-size:18px">${esc(reportTitle(notice))}</h2>`];
  const rows = figureRows(notice);
  if (rows) {
    const withChange = notice.previous !== null;
    const th = (h: string) => `<th style="${TH}">${h}</th>`;
    const head = th('指标') + th('当日') + (withChange ? th('较前一日') : '');
    const body = rows
      .map(
        (r) =>
          `<tr><td style="${CELL}">${esc(r.label)}</td>` +
          `<td style="${CELL};text-align:right">${esc(r.value)}</td>` +
          (withChange ? `<td style="${CELL};text-align:right">${esc(r.change ?? '')}</td>` : '') +
          '</tr>',
      )
      .join('');
    parts.push(
      `<p>${esc(figuresHeading(notice).replace(/：$/, ''))}</p>`,
      `<table style="border-collapse:collapse"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`,
    );
  } else {
    parts.push(`<p>${NO_FIGURES}</p>`);
  }
  const failed = notice.failedDeliveries > 0 ? failedLine(notice.failedDeliveries) : null;
  for (const f of reportFacts(notice))
    parts.push(f === failed ? `<p style="color:#c62828">${esc(f)}</p>` : `<p>${esc(f)}</p>`);
  const cap = capacityLines(notice);
  if (cap)
    parts.push(
      `<p style="color:#c62828">${esc(cap.heading)}</p>`,
      `<ul>${cap.items.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`,
    );
  if (o.chartCid) parts.push(img(o.chartCid, '业务图表'));
  return page(parts.join(''));
}

function botHtml(notice: BotNotice, o: EmailOptions, tz: string): string {
  const t = botTexts(notice, tz);
  const parts = [
    `<h2 style="font-size:18px">${esc(t.title)}</h2>`,
    ...t.lines.map((l) => `<p>${esc(l)}</p>`),
  ];
  if (t.qrPrompt) {
    const url = safeUrl(notice.qrUrl);
    const link = url ? ` <a href="${esc(url)}">${esc(url)}</a>` : '';
    parts.push(`<p>${esc(t.qrPrompt)}${link}</p>`);
    if (o.qrCid) parts.push(img(o.qrCid, '登录二维码'));
  }
  return page(parts.join(''));
}

function subject(notice: Notice): string {
  switch (notice.kind) {
    case 'alarms':
      return `[Sitewatch] ${noticeSiteLabel(notice.site)} ${eventCounts(notice).join(' ')}`;
    case 'report':
      return `[Sitewatch] ${noticeSiteLabel(notice.site)} 日报 ${oneLine(notice.date, 20)}`;
    case 'bot':
      if (notice.transport === 'wecom')
        return notice.state === 'logged-out'
          ? '[Sitewatch] 企业微信机器人连接中断'
          : '[Sitewatch] 企业微信机器人已重新连接';
      return notice.state === 'logged-out'
        ? '[Sitewatch] 微信机器人已掉线'
        : '[Sitewatch] 微信机器人已重新登录';
  }
}

/** Subject, plain text and HTML of the notice as an email. */
export function formatEmail(notice: Notice, o: EmailOptions): EmailContent {
  const tz = o.tz ?? DEFAULT_BOT_TZ;
  const text = formatText(notice, {
    maxChars: Infinity,
    groupLimit: o.groupLimit * EMAIL_GROUP_FACTOR,
    tz,
  });
  const html =
    notice.kind === 'alarms'
      ? alarmHtml(notice, o)
      : notice.kind === 'report'
        ? reportHtml(notice, o)
        : botHtml(notice, o, tz);
  return { subject: subject(notice), text, html };
}
