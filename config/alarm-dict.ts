// The alarm name dictionary (the seed's alarm_dict): readable title, severity and suggested action per alarm name.
import { z } from 'zod';
import { ConfigError, readJsonFile } from './schema';

export type Severity = 'critical' | 'major' | 'minor' | 'info';

export interface AlarmDictEntry {
  title: string;
  severity: Severity;
  action: string;
}

export type AlarmDict = ReadonlyMap<string, AlarmDictEntry>;

/** Built-in entries: the alarms site agents raise, and Sitewatch's own (SW_*). */
export const builtInAlarmDict: Record<string, AlarmDictEntry> = {
  CPU_HIGH: {
    title: 'CPU 使用率过高',
    severity: 'major',
    action: '查看占用 CPU 最多的进程，必要时扩容或限流',
  },
  MEM_HIGH: {
    title: '内存使用率过高',
    severity: 'major',
    action: '检查内存泄漏的进程，必要时重启服务',
  },
  DISK_FULL: {
    title: '磁盘空间不足',
    severity: 'critical',
    action: '清理日志与临时文件，或扩容磁盘',
  },
  LINK_DOWN: { title: '链路中断', severity: 'critical', action: '检查网络连接与对端设备' },
  PROCESS_DOWN: {
    title: '进程停止',
    severity: 'critical',
    action: '登录服务器查看进程日志并重启进程',
  },
  SW_FILE_MISSING: {
    title: '局点文件缺失',
    severity: 'major',
    action: '检查局点的采集脚本与文件服务是否正常',
  },
  SW_FILE_STALE: {
    title: '局点文件停止增长',
    severity: 'major',
    action: '检查局点的采集脚本是否仍在运行',
  },
  SW_SERVER_SILENT: {
    title: '服务器停止上报',
    severity: 'major',
    action: '检查服务器是否宕机、采集进程是否运行',
  },
  SW_FETCH_FAILING: {
    title: '局点文件拉取失败',
    severity: 'major',
    action: '检查局点地址、网络与认证配置',
  },
  SW_CPU_HIGH: {
    title: 'CPU 持续高负载',
    severity: 'major',
    action: '查看占用 CPU 最多的进程，必要时扩容',
  },
  SW_MEM_HIGH: {
    title: '内存持续高占用',
    severity: 'major',
    action: '检查内存泄漏的进程，必要时重启服务',
  },
  SW_DISK_HIGH: { title: '磁盘使用率持续过高', severity: 'critical', action: '清理磁盘或扩容' },
  SW_DISK_FILLING: {
    title: '磁盘预计即将写满',
    severity: 'major',
    action:
      '按近 7 天增长趋势磁盘将在数天内写满：清理日志与临时文件、检查异常增长的目录，或提前扩容',
  },
  SW_MEM_GROWTH: {
    title: '内存持续增长未回落',
    severity: 'major',
    action: '疑似内存泄漏：找出内存持续增长的进程，安排重启或修复，必要时扩容内存',
  },
  SW_KPI_ANOMALY: {
    title: '业务数据异常',
    severity: 'major',
    action:
      '核对该日业务是否真的中断或突变（平台、通道、计费接口），检查局点统计文件是否完整；节假日或割接等预期变化可忽略',
  },
};

const entrySchema = z.strictObject({
  title: z.string().min(1).max(200),
  severity: z.enum(['critical', 'major', 'minor', 'info']),
  action: z.string().max(500),
});

/** Built-in entries, overridden and extended by the JSON file at `path` (if any); every problem reported at once. */
export function loadAlarmDict(path: string | null): AlarmDict {
  const dict = new Map(Object.entries(builtInAlarmDict));
  if (!path) return dict;
  let raw: unknown;
  try {
    raw = readJsonFile(path);
  } catch (e) {
    throw new ConfigError([`alarms.dictPath file ${path} ${(e as Error).message}`]);
  }
  const parsed = z.record(z.string().min(1).max(128), entrySchema).safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `alarms.dictPath ${path}: ${i.path.join('.') || '(top)'} ${i.message}`,
      ),
    );
  }
  for (const [name, entry] of Object.entries(parsed.data)) dict.set(name, entry);
  return dict;
}

/** The entry for a name; unknown names pass through as their own title. */
export function describeAlarm(dict: AlarmDict, name: string): AlarmDictEntry & { known: boolean } {
  const e = dict.get(name);
  return e ? { ...e, known: true } : { title: name, severity: 'info', action: '', known: false };
}
