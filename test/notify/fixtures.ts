// Notice fixtures for the notification tests: a representative alarm notice, a daily report and a bot notice.
import type { SendContext } from '../../src/notify/types';
import type {
  AlarmItem,
  AlarmNotice,
  BotNotice,
  NoticeSite,
  ReportNotice,
} from '../../src/outbox/notices';

export const site: NoticeSite = { id: 1, code: 'BJ-CMCC', name: '北京移动', tz: 'Asia/Shanghai' };

/** 2026-11-24 hh:mm in Beijing (UTC+8) as epoch ms; negative hours reach into the day before. */
export const bj = (hh: number, mm = 0) => Date.UTC(2026, 10, 24, hh - 8, mm);

/** When the representative notice's events were recorded: 11-24 09:30 Beijing. */
export const noticeAt = bj(9, 30);

const base: Omit<AlarmItem, 'alarmId' | 'event' | 'name' | 'node' | 'description' | 'raisedAt'> = {
  resumedAt: null,
  title: '',
  severity: 'info',
  action: '',
  source: 'site',
  ackedBy: null,
  silencedBy: null,
};

/** Six items covering every event, ack, silence, Sitewatch's own alarm and an unknown name. */
function representative(): AlarmItem[] {
  return [
    {
      ...base,
      alarmId: 101,
      event: 'raised',
      name: 'DISK_FULL',
      node: 'db-01',
      description: '/data 使用率 95%',
      raisedAt: bj(9, 12),
      title: '磁盘空间不足',
      severity: 'critical',
      action: '清理日志与临时文件，或扩容磁盘',
    },
    {
      ...base,
      alarmId: 102,
      event: 'resolved',
      name: 'LINK_DOWN',
      node: 'gw-02',
      description: '到 HLR 的链路中断',
      raisedAt: bj(8, 0),
      resumedAt: bj(9, 5),
      title: '链路中断',
      severity: 'critical',
      action: '检查网络连接与对端设备',
      ackedBy: '张三',
    },
    {
      ...base,
      alarmId: 103,
      event: 'reminder',
      name: 'CPU_HIGH',
      node: 'app-03',
      description: 'CPU 使用率 97%',
      raisedAt: bj(5, 30),
      title: 'CPU 使用率过高',
      severity: 'major',
      action: '查看占用 CPU 最多的进程，必要时扩容或限流',
      silencedBy: '李四',
      reminder: 2,
    },
    {
      ...base,
      alarmId: 104,
      event: 'escalated',
      name: 'PROCESS_DOWN',
      node: 'app-01',
      description: 'nginx 进程不存在',
      raisedAt: bj(-3, 30),
      title: '进程停止',
      severity: 'critical',
      action: '登录服务器查看进程日志并重启进程',
      reminder: 3,
    },
    {
      ...base,
      alarmId: 105,
      event: 'raised',
      name: 'SW_FILE_STALE',
      node: 'sys_monitor',
      description: 'system_info_20261124.txt 已 45 分钟未增长',
      raisedAt: bj(9, 25),
      title: '局点文件停止增长',
      severity: 'major',
      action: '检查局点的采集脚本是否仍在运行',
      source: 'sitewatch',
    },
    {
      ...base,
      alarmId: 106,
      event: 'raised',
      name: 'VENDOR_X_ALARM',
      node: 'sbc-01',
      description: 'vendor code 0x1f',
      raisedAt: bj(9, 20),
      title: 'VENDOR_X_ALARM',
    },
  ];
}

/** The representative six-item notice, or `n` new disk alarms (multibyte descriptions) when n is given. */
export function alarmNotice(n?: number): AlarmNotice {
  const items =
    n === undefined
      ? representative()
      : Array.from({ length: n }, (_, i): AlarmItem => ({
          ...base,
          alarmId: 1000 + i,
          event: 'raised',
          name: 'DISK_FULL',
          node: `node-${i + 1}`,
          description: `分区 /data${i + 1} 使用率已超过百分之九十五`,
          raisedAt: bj(9, i % 30),
          title: '磁盘空间不足',
          severity: 'critical',
          action: '清理日志与临时文件，或扩容磁盘',
        }));
  return { kind: 'alarms', site, at: noticeAt, items, more: 0 };
}

export function reportNotice(): ReportNotice {
  return {
    kind: 'report',
    site,
    date: '2026-11-24',
    figures: {
      opens: 1234,
      closes: 56,
      totalUsers: 1_204_567,
      calls: 98_765,
      pushes: 43_210,
      mo: 5000,
      mt: 0,
    },
    previous: {
      opens: 1222,
      closes: 60,
      totalUsers: 1_203_389,
      calls: 100_000,
      pushes: 43_210,
      mo: 4000,
      mt: 0,
    },
    activeAlarms: 5,
    raisedAlarms: 8,
    servers: { total: 12, stale: 2 },
    failedDeliveries: 3,
    at: Date.UTC(2026, 10, 25, 1, 0),
  };
}

/** 1×1 transparent PNG, the QR image of bot notices. */
export const TINY_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export function botNotice(state: BotNotice['state'] = 'logged-out'): BotNotice {
  return {
    kind: 'bot',
    state,
    at: bj(10, 15),
    qrUrl: state === 'logged-out' ? 'https://login.weixin.qq.com/l/Abc123==' : null,
    qrPng: state === 'logged-out' ? TINY_PNG_BASE64 : null,
  };
}

/** Where a message's delivered parts are kept between attempts (the outbox row's parts_sent). */
export interface PartProgress {
  parts: number;
  /** Every count recorded by partSent, in order. */
  marks: number[];
}

/**
 * A send context for calling a channel directly: the chart PNG given, and part progress kept in
 * `progress`, so a retry made with the same progress resumes where the last attempt stopped.
 */
export function sendContext(
  png: Buffer | null,
  progress: PartProgress = { parts: 0, marks: [] },
  link: string | null = null,
): SendContext & { progress: PartProgress; charts: () => number } {
  let calls = 0;
  return {
    chartPng: async () => (calls++, png),
    chartOption: async () => null,
    chartLink: async () => link,
    partsSent: progress.parts,
    partSent: async (count) => {
      progress.parts = count;
      progress.marks.push(count);
    },
    progress,
    charts: () => calls,
  };
}
