// Notices: what the outbox holds, channel-neutral JSON, written by the alarm notifier and reports and sent by the channels.
import type { Severity } from '../../config/alarm-dict';

export interface NoticeSite {
  id: number;
  code: string;
  name: string;
  /** IANA zone the site's times are shown in. */
  tz: string;
}

/**
 * raised: a new open alarm; resolved: it recovered; reminder: still open after the reminder interval;
 * escalated: still open after the last reminder (sent to admins).
 */
export type AlarmEvent = 'raised' | 'resolved' | 'reminder' | 'escalated';

export interface AlarmItem {
  alarmId: number;
  event: AlarmEvent;
  name: string;
  node: string;
  description: string;
  raisedAt: number;
  resumedAt: number | null;
  /** From the alarm dictionary; the name itself when unknown. */
  title: string;
  severity: Severity;
  action: string;
  /** 'sitewatch' for Sitewatch's own alarms. */
  source: 'site' | 'sitewatch';
  /** Display name of who acknowledged it, if anyone. */
  ackedBy: string | null;
  /** Display name of who silenced it, if a silence covers it. */
  silencedBy: string | null;
  /** Reminder number (1…) for reminders. */
  reminder?: number;
}

export interface AlarmNotice {
  kind: 'alarms';
  site: NoticeSite;
  /** When the events were recorded. */
  at: number;
  /** Listed items (capped when stored); `more` counts those left out. */
  items: AlarmItem[];
  more: number;
}

export interface ReportFigures {
  opens: number;
  closes: number;
  totalUsers: number;
  calls: number;
  pushes: number;
  mo: number;
  mt: number;
}

export interface ReportNotice {
  kind: 'report';
  site: NoticeSite;
  /** The reported day, YYYY-MM-DD in the site's zone. */
  date: string;
  /** That day's figures (null: none arrived) and the day before, for the change. */
  figures: ReportFigures | null;
  previous: ReportFigures | null;
  activeAlarms: number;
  /** Alarms raised during the day. */
  raisedAlarms: number;
  servers: { total: number; stale: number };
  /** Notifications of this site that finally failed since the last report. */
  failedDeliveries: number;
  /** Open capacity alarms (SW_DISK_FILLING, SW_MEM_GROWTH) at report time; absent in older rows. */
  capacityRisks?: CapacityRisk[];
  at: number;
}

export interface CapacityRisk {
  name: string;
  server: string;
  /** The alarm's description, e.g. '/data 82%，约每天 +3.1%，预计 12-08 14:00 写满'. */
  description: string;
}

export interface BotNotice {
  kind: 'bot';
  /** The chat transport it is about; WeChat when absent (older rows). */
  transport?: string;
  state: 'logged-out' | 'logged-in';
  at: number;
  /** Since when it is down (WeCom: the connection was lost at, before the alert limit passed). */
  since?: number;
  /** Login QR code: the URL to scan, and the same as a PNG (base64). */
  qrUrl: string | null;
  qrPng: string | null;
}

export type Notice = AlarmNotice | ReportNotice | BotNotice;
