// Pieces shared by the notice formatters: labels, site-zone times, alarm states, report rows and "and N more" fitting.
import type { Severity } from '../../../config/alarm-dict';
import type {
  AlarmEvent,
  AlarmItem,
  AlarmNotice,
  BotNotice,
  NoticeSite,
  ReportFigures,
  ReportNotice,
} from '../../outbox/notices';
import { FIGURE_LABELS } from '../../present/figure-labels';
import { change, count, duration, siteLabel } from '../../present/format';
import { wallClock } from '../../time';

/** Zone of bot notices (they belong to no site) when the caller names none. */
export const DEFAULT_BOT_TZ = 'Asia/Shanghai';

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: '严重',
  major: '重要',
  minor: '次要',
  info: '提示',
};

const EVENT_LABEL: Record<AlarmEvent, string> = {
  raised: '新告警',
  resolved: '恢复',
  reminder: '提醒',
  escalated: '升级',
};

/** Longest shown data fields, in code points: a runaway description must not crowd out every other alarm. */
export const FIELD_MAX = { title: 100, node: 100, description: 300, action: 200, person: 50 };

const pad = (n: number) => String(n).padStart(2, '0');

/** 'MM-DD HH:mm' in `tz`. */
export function shortTime(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return `${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/**
 * One line of site data for display: control characters and line breaks become spaces (they would
 * break the message layout), runs of spaces collapse, and it is cut to `max` code points with '…'.
 */
export function oneLine(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ');
  const t = flat.trim();
  const cps = Array.from(t);
  return cps.length > max ? `${cps.slice(0, max - 1).join('')}…` : t;
}

/** 'name（code）' of the notice's site, flattened. */
export function noticeSiteLabel(site: NoticeSite): string {
  return siteLabel({ name: oneLine(site.name, 100), code: oneLine(site.code, 100) });
}

/** The dictionary title, with the raw alarm name when they differ. */
export function itemTitle(item: AlarmItem): string {
  const title = oneLine(item.title, FIELD_MAX.title);
  const name = oneLine(item.name, FIELD_MAX.title);
  return title === name || title === '' ? name : `${title}（${name}）`;
}

/** What became of the alarm: '未恢复', '已恢复，持续 1小时5分', '第 2 次提醒，已持续 4小时'… */
export function itemStatus(item: AlarmItem, at: number): string {
  const lasting = duration(at - item.raisedAt);
  switch (item.event) {
    case 'raised':
      return item.resumedAt === null
        ? '未恢复'
        : `已恢复，持续 ${duration(item.resumedAt - item.raisedAt)}`;
    case 'resolved':
      return `已恢复，持续 ${duration((item.resumedAt ?? at) - item.raisedAt)}`;
    case 'reminder':
      return item.reminder
        ? `第 ${item.reminder} 次提醒，已持续 ${lasting}`
        : `未恢复，已持续 ${lasting}`;
    case 'escalated':
      return item.reminder
        ? `已提醒 ${item.reminder} 次仍未恢复（已持续 ${lasting}），升级至管理员`
        : `多次提醒仍未恢复（已持续 ${lasting}），升级至管理员`;
  }
}

/** Who acknowledged / silenced it: '已由 张三 确认', '已由 李四 静默'. */
export function itemPeople(item: AlarmItem): string[] {
  const out: string[] = [];
  if (item.ackedBy) out.push(`已由 ${oneLine(item.ackedBy, FIELD_MAX.person)} 确认`);
  if (item.silencedBy) out.push(`已由 ${oneLine(item.silencedBy, FIELD_MAX.person)} 静默`);
  return out;
}

export const SITEWATCH_MARK = '[Sitewatch]';

/** Count per event, in a fixed order: ['新告警 3 条', '恢复 1 条'], plus '共 N 条' when some are not listed. */
export function eventCounts(notice: AlarmNotice): string[] {
  const n = new Map<AlarmEvent, number>();
  for (const it of notice.items) n.set(it.event, (n.get(it.event) ?? 0) + 1);
  const parts = (Object.keys(EVENT_LABEL) as AlarmEvent[])
    .filter((e) => n.has(e))
    .map((e) => `${EVENT_LABEL[e]} ${n.get(e)} 条`);
  if (notice.more > 0) parts.push(`共 ${notice.items.length + notice.more} 条`);
  return parts;
}

/** The closing line when alarms are left out. */
export function moreLine(n: number): string {
  return `……及其他 ${n} 条`;
}

/** Size of a string in UTF-16 units (chat text limits). */
export const utf16Size = (s: string): number => s.length;

/** Size of a string in UTF-8 bytes (WeCom's limit). */
export const utf8Size = (s: string): number => Buffer.byteLength(s, 'utf8');

/** `s` cut at a code point so that it, with '…', fits `max` by `size`. */
export function clampTo(s: string, max: number, size: (s: string) => number): string {
  if (size(s) <= max) return s;
  const cps = Array.from(s);
  let lo = 0;
  let hi = cps.length;
  // Binary search for the longest prefix that still fits with the ellipsis.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(cps.slice(0, mid).join('') + '…') <= max) lo = mid;
    else hi = mid - 1;
  }
  const out = cps.slice(0, lo).join('') + '…';
  return size(out) <= max ? out : '';
}

export interface FitInput {
  head: string;
  entries: string[];
  /** Items not even in `entries` (the notice's `more`). */
  more: number;
  /** Most entries listed. */
  limit: number;
  max: number;
  size: (s: string) => number;
  /** Between head, entries and the closing line. */
  sep: string;
}

/**
 * head, then as many whole entries as fit (at most `limit`), then '……及其他 N 条' counting every
 * entry left out plus `more`; never larger than `max`. Only a head too large on its own is cut.
 */
export function fitEntries(f: FitInput): string {
  const sepSize = f.size(f.sep);
  const headSize = f.size(f.head);
  const sizes = f.entries.map((e) => f.size(e) + sepSize);
  let k = Math.min(Math.max(0, f.limit), f.entries.length);
  let used = headSize;
  for (let i = 0; i < k; i++) used += sizes[i];
  for (;;) {
    const dropped = f.entries.length - k + f.more;
    const tail = dropped > 0 ? sepSize + f.size(moreLine(dropped)) : 0;
    if (used + tail <= f.max || k === 0) break;
    k--;
    used -= sizes[k];
  }
  const dropped = f.entries.length - k + f.more;
  const tailText = dropped > 0 ? moreLine(dropped) : null;
  const tailSize = tailText === null ? 0 : sepSize + f.size(tailText);
  const head = k === 0 ? clampTo(f.head, f.max - tailSize, f.size) : f.head;
  const parts = [head, ...f.entries.slice(0, k)];
  if (tailText !== null) parts.push(tailText);
  return clampTo(parts.join(f.sep), f.max, f.size);
}

/** The listed alarms, at most `limit` for media without a size limit (email), with how many are left out. */
export function takeItems(
  notice: AlarmNotice,
  limit: number,
): { items: AlarmItem[]; left: number } {
  const items = notice.items.slice(0, Math.max(0, limit));
  return { items, left: notice.items.length - items.length + notice.more };
}

const FIGURES: { key: keyof ReportFigures; label: string }[] = [
  { key: 'opens', label: FIGURE_LABELS.sub },
  { key: 'closes', label: FIGURE_LABELS.unsub },
  { key: 'totalUsers', label: FIGURE_LABELS.total },
  { key: 'calls', label: FIGURE_LABELS.calls },
  { key: 'pushes', label: FIGURE_LABELS.shows },
  { key: 'mo', label: FIGURE_LABELS.mo },
  { key: 'mt', label: FIGURE_LABELS.mt },
];

export interface FigureRow {
  label: string;
  value: string;
  /** '+12 (+1.0%)', or null without the previous day. */
  change: string | null;
}

/** The seven business figures of a report, with the change against the day before; null without figures. */
export function figureRows(notice: ReportNotice): FigureRow[] | null {
  const cur = notice.figures;
  if (!cur) return null;
  const prev = notice.previous;
  return FIGURES.map(({ key, label }) => ({
    label,
    value: count(cur[key]),
    change: prev ? change(cur[key], prev[key]) : null,
  }));
}

export const NO_FIGURES = '当日无业务数据';

export function figuresHeading(notice: ReportNotice): string {
  return notice.previous ? '业务数据（括号内为较前一日）：' : '业务数据（无前一日数据）：';
}

/** The report's lines after the figures: servers, alarms, failed deliveries. */
export function reportFacts(notice: ReportNotice): string[] {
  const { total, stale } = notice.servers;
  const lines = [
    stale > 0 ? `服务器 ${total} 台，其中 ${stale} 台停止上报` : `服务器 ${total} 台，均正常上报`,
    `未恢复告警 ${notice.activeAlarms} 条，当日新增告警 ${notice.raisedAlarms} 条`,
  ];
  if (notice.failedDeliveries > 0) lines.push(failedLine(notice.failedDeliveries));
  return lines;
}

/** The report's "容量风险" section: its heading and one line per open capacity alarm; none without any. */
export function capacityLines(notice: ReportNotice): { heading: string; items: string[] } | null {
  const risks = notice.capacityRisks ?? [];
  if (risks.length === 0) return null;
  return {
    heading: `容量风险（${risks.length} 项）：`,
    items: risks.map((r) => `${oneLine(r.server, 128)} ${oneLine(r.description, 300)}`),
  };
}

export function failedLine(n: number): string {
  return `通知发送失败 ${n} 条，请查看 sitewatch outbox`;
}

export function reportTitle(notice: ReportNotice): string {
  return `【日报】${noticeSiteLabel(notice.site)} ${oneLine(notice.date, 20)}`;
}

/** The bot notice's title and the lines after it, in plain words (the QR link is added per medium). */
export function botTexts(
  notice: BotNotice,
  tz: string,
): { title: string; lines: string[]; qrPrompt: string | null } {
  const at = shortTime(notice.at, tz);
  if (notice.transport === 'wecom') {
    if (notice.state === 'logged-in')
      return {
        title: `【Sitewatch】企业微信机器人已重新连接（${at}）`,
        lines: ['企业微信的问答与群推送已恢复。'],
        qrPrompt: null,
      };
    return {
      title: `【Sitewatch】企业微信机器人连接中断（自 ${shortTime(notice.since ?? notice.at, tz)} 起）`,
      lines: [
        '企业微信的问答与群推送暂停，待推送的消息保留在发件箱中，连接恢复后补发。',
        '请检查 hub 到企业微信长连接地址的网络，以及 wecomBot 的 Bot ID 与 Secret；`sitewatch status` 可查看状态。',
      ],
      qrPrompt: null,
    };
  }
  if (notice.state === 'logged-in') {
    return {
      title: `【Sitewatch】微信机器人已重新登录（${at}）`,
      lines: ['群推送恢复经微信发送。'],
      qrPrompt: null,
    };
  }
  return {
    title: `【Sitewatch】微信机器人已掉线（${at}）`,
    lines: ['在重新登录之前，微信群推送暂时改由本渠道发送。'],
    qrPrompt: notice.qrUrl
      ? '请用机器人的微信扫描二维码重新登录：'
      : '请在 hub 日志中查看登录二维码，扫码重新登录。',
  };
}

/** A QR URL fit to be a link target: http(s) only, else null. */
export function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}
