// Plain-text notices: exact texts of alarms, report and bot notices, and the size limit with "……及其他 N 条".
import { formatText } from '../../../src/notify/format/text';
import type { AlarmNotice } from '../../../src/outbox/notices';
import { alarmNotice, botNotice, reportNotice } from '../fixtures';

const chat = { maxChars: 2000, groupLimit: 20 };

/** The numbered entries of a text: their first lines' numbers. */
const listed = (t: string) => [...t.matchAll(/^(\d+)\. \[/gm)].map((m) => Number(m[1]));
const moreOf = (t: string) => Number(/……及其他 (\d+) 条$/.exec(t)?.[1] ?? 0);

describe('formatText: alarm notices', () => {
  it('writes the header and one entry per alarm, in the site zone', () => {
    expect(formatText(alarmNotice(), chat)).toBe(
      [
        '【告警】北京移动（BJ-CMCC）：新告警 3 条，恢复 1 条，提醒 1 条，升级 1 条',
        '',
        '1. [严重] 磁盘空间不足（DISK_FULL）',
        '节点：db-01  发生：11-24 09:12',
        '描述：/data 使用率 95%',
        '状态：未恢复',
        '建议：清理日志与临时文件，或扩容磁盘',
        '',
        '2. [严重] 链路中断（LINK_DOWN）',
        '节点：gw-02  发生：11-24 08:00',
        '描述：到 HLR 的链路中断',
        '状态：已恢复，持续 1小时5分',
        '建议：检查网络连接与对端设备',
        '已由 张三 确认',
        '',
        '3. [重要] CPU 使用率过高（CPU_HIGH）',
        '节点：app-03  发生：11-24 05:30',
        '描述：CPU 使用率 97%',
        '状态：第 2 次提醒，已持续 4小时',
        '建议：查看占用 CPU 最多的进程，必要时扩容或限流',
        '已由 李四 静默',
        '',
        '4. [严重] 进程停止（PROCESS_DOWN）',
        '节点：app-01  发生：11-23 21:30',
        '描述：nginx 进程不存在',
        '状态：已提醒 3 次仍未恢复（已持续 12小时），升级至管理员',
        '建议：登录服务器查看进程日志并重启进程',
        '',
        '5. [重要][Sitewatch] 局点文件停止增长（SW_FILE_STALE）',
        '节点：sys_monitor  发生：11-24 09:25',
        '描述：system_info_20261124.txt 已 45 分钟未增长',
        '状态：未恢复',
        '建议：检查局点的采集脚本是否仍在运行',
        '',
        '6. [提示] VENDOR_X_ALARM',
        '节点：sbc-01  发生：11-24 09:20',
        '描述：vendor code 0x1f',
        '状态：未恢复',
      ].join('\n'),
    );
  });

  it('shows times in the zone of the site', () => {
    const n = alarmNotice();
    const t = formatText({ ...n, site: { ...n.site, tz: 'Europe/London' } }, chat);
    expect(t).toContain('节点：db-01  发生：11-24 01:12');
    expect(t).toContain('节点：app-01  发生：11-23 13:30');
  });

  it('lists at most groupLimit alarms and counts the rest with `more`', () => {
    const t = formatText({ ...alarmNotice(5), more: 7 }, { maxChars: 100_000, groupLimit: 2 });
    expect(t.split('\n')[0]).toBe('【告警】北京移动（BJ-CMCC）：新告警 5 条，共 12 条');
    expect(listed(t)).toEqual([1, 2]);
    expect(t.endsWith('\n\n……及其他 10 条')).toBe(true);
  });

  it('has no closing line when everything is listed', () => {
    expect(formatText(alarmNotice(3), chat)).not.toContain('及其他');
  });

  it('drops whole alarms until the text fits 2000 characters', () => {
    const t = formatText(alarmNotice(300), { maxChars: 2000, groupLimit: 300 });
    expect(t.length).toBeLessThanOrEqual(2000);
    const nums = listed(t);
    expect(nums.length).toBeGreaterThan(5);
    expect(nums).toEqual(nums.map((_, i) => i + 1));
    expect(moreOf(t)).toBe(300 - nums.length);
    // The last listed entry is complete: its status and action lines are there.
    const last = t.slice(t.lastIndexOf(`\n${nums.length}. [`));
    expect(last).toContain(`节点：node-${nums.length}  发生：`);
    expect(last).toContain('建议：清理日志与临时文件，或扩容磁盘\n\n……及其他');
  });

  it.each([30, 60, 120, 200, 333, 500, 1000, 2000, 4000])(
    'never exceeds maxChars %i, and the count is right',
    (maxChars) => {
      for (const n of [1, 7, 60]) {
        const notice: AlarmNotice = { ...alarmNotice(n), more: 4 };
        const t = formatText(notice, { maxChars, groupLimit: 50 });
        expect(t.length).toBeLessThanOrEqual(maxChars);
        const nums = listed(t);
        expect(nums.length + moreOf(t)).toBe(n + 4);
      }
    },
  );

  it('cuts only a header that cannot fit on its own', () => {
    const t = formatText(alarmNotice(3), { maxChars: 30, groupLimit: 20 });
    expect(t.length).toBeLessThanOrEqual(30);
    expect(t).toMatch(/^【告警】北京移动.*…\n\n……及其他 3 条$/);
  });

  it('keeps hostile data on its own line and clips runaway fields', () => {
    const n = alarmNotice(1);
    n.items[0].description = 'disk\n\n2. [严重] 伪造的告警\r\n' + 'x'.repeat(1000);
    const t = formatText(n, chat);
    expect(listed(t)).toEqual([1]);
    const line = t.split('\n').find((l) => l.startsWith('描述：'))!;
    expect(line.startsWith('描述：disk 2. [严重] 伪造的告警 xxx')).toBe(true);
    expect(Array.from(line.slice('描述：'.length))).toHaveLength(300);
    expect(line.endsWith('x…')).toBe(true);
  });
});

describe('formatText: report and bot notices', () => {
  it('writes the daily report with changes against the day before', () => {
    expect(formatText(reportNotice(), chat)).toBe(
      [
        '【日报】北京移动（BJ-CMCC） 2026-11-24',
        '业务数据（括号内为较前一日）：',
        '开通 1,234（+12 (+1.0%)）',
        '退订 56（-4 (-6.7%)）',
        '总用户 1,204,567（+1,178 (+0.1%)）',
        '调用 98,765（-1,235 (-1.2%)）',
        '推送 43,210（0 (0.0%)）',
        '上行 5,000（+1,000 (+25.0%)）',
        '下行 0（0）',
        '服务器 12 台，其中 2 台停止上报',
        '未恢复告警 5 条，当日新增告警 8 条',
        '通知发送失败 3 条，请查看 sitewatch outbox',
      ].join('\n'),
    );
  });

  it('says when no figures arrived, and leaves out the failure line when nothing failed', () => {
    const r = {
      ...reportNotice(),
      figures: null,
      failedDeliveries: 0,
      servers: { total: 3, stale: 0 },
    };
    expect(formatText(r, chat)).toBe(
      [
        '【日报】北京移动（BJ-CMCC） 2026-11-24',
        '当日无业务数据',
        '服务器 3 台，均正常上报',
        '未恢复告警 5 条，当日新增告警 8 条',
      ].join('\n'),
    );
  });

  it('shows figures without changes when the day before is missing', () => {
    const t = formatText({ ...reportNotice(), previous: null }, chat);
    expect(t).toContain('业务数据（无前一日数据）：\n开通 1,234\n退订 56\n');
  });

  it('tells that the bot is logged out, where pushes go and how to log in', () => {
    expect(formatText(botNotice(), chat)).toBe(
      [
        '【Sitewatch】微信机器人已掉线（11-24 10:15）',
        '在重新登录之前，微信群推送暂时改由本渠道发送。',
        '请用机器人的微信扫描二维码重新登录：https://login.weixin.qq.com/l/Abc123==',
      ].join('\n'),
    );
    expect(formatText({ ...botNotice(), qrUrl: null }, chat)).toContain(
      '请在 hub 日志中查看登录二维码，扫码重新登录。',
    );
  });

  it('tells that the bot is back, in the zone given', () => {
    expect(formatText(botNotice('logged-in'), { ...chat, tz: 'UTC' })).toBe(
      '【Sitewatch】微信机器人已重新登录（11-24 02:15）\n群推送恢复经微信发送。',
    );
  });

  it('keeps report and bot texts within maxChars too', () => {
    expect(formatText(reportNotice(), { maxChars: 40, groupLimit: 20 }).length).toBeLessThanOrEqual(
      40,
    );
    expect(formatText(botNotice(), { maxChars: 25, groupLimit: 20 }).length).toBeLessThanOrEqual(
      25,
    );
  });
});
