// Small builders for site file lines, so tests state their data the way sites write it.
import type { IngestServiceHooks } from '../../src/ingest/ingest-service';
import type { AlarmChange } from '../../src/types/alarm-change';
export const day = '20261124';
export const infoPath = (d = day) => `/sys_monitor/system_info_${d}.txt`;
export const alarmPath = (d = day) => `/sys_alarm/system_alarm_${d}.txt`;
export const servicePath = (d = day) => `/sys_service/system_service_${d}.txt`;

export function cpuLine(
  server: string,
  ip: string,
  site: string,
  t: string,
  u: number,
  s: number,
  io: number,
  idle: number,
) {
  return `${server}|${ip}|${site}|cpu|${u}|${s}|${io}|${idle}|${t}\n`;
}

export function memLine(
  server: string,
  ip: string,
  site: string,
  t: string,
  used: string,
  free: string,
  buf: string,
  total: string,
) {
  return `${server}|${ip}|${site}|mem|${used}|${free}|${buf}|${total}|${t}\n`;
}

export function diskLine(
  server: string,
  ip: string,
  site: string,
  t: string,
  mount: string,
  used: string,
  total: string,
) {
  return `${server}|${ip}|${site}|disk|${mount}|${used}|${total}|${t}\n`;
}

/** n cpu lines for one server, one a minute from 00:00 of `day`. */
export function cpuLines(n: number, site = 'S1', server = 'app1', d = day): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    const t = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)} ${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    out += cpuLine(server, '10.0.0.1', site, t, 10 + (i % 7), 5, 1, 84 - (i % 7));
  }
  return out;
}

/** The ingest hook for suites about something other than alarms: it keeps the changes it was told of. */
export function alarmRecorder(): IngestServiceHooks & { changes: AlarmChange[] } {
  const changes: AlarmChange[] = [];
  return { changes, onAlarmChanges: async (_em, c) => void changes.push(...c) };
}
