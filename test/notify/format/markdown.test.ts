// WeCom markdown notices: exact texts, the 4096-byte limit with multibyte text, and neutralised hostile data.
import { formatMarkdown, mdText } from '../../../src/notify/format/markdown';
import { alarmNotice, botNotice, reportNotice, site } from '../fixtures';

const wecom = { maxBytes: 4096, groupLimit: 20 };
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const listed = (t: string) => [...t.matchAll(/^\*\*(\d+)\.\*\* /gm)].map((m) => Number(m[1]));
const moreOf = (t: string) => Number(/……及其他 (\d+) 条$/.exec(t)?.[1] ?? 0);

describe('formatMarkdown', () => {
  it('writes an alarm notice as WeCom markdown', () => {
    expect(formatMarkdown(alarmNotice(), wecom)).toBe(
      [
        '## 【告警】北京移动（BJ-CMCC）',
        '新告警 3 条，恢复 1 条，提醒 1 条，升级 1 条',
        '**1.** <font color="warning">[严重]</font> **磁盘空间不足（DISK_FULL）**',
        '>节点：db-01\u3000发生：11-24 09:12',
        '>描述：/data 使用率 95%',
        '>状态：<font color="warning">未恢复</font>',
        '>建议：清理日志与临时文件，或扩容磁盘',
        '**2.** <font color="warning">[严重]</font> **链路中断（LINK_DOWN）**',
        '>节点：gw-02\u3000发生：11-24 08:00',
        '>描述：到 HLR 的链路中断',
        '>状态：<font color="info">已恢复，持续 1小时5分</font>',
        '>建议：检查网络连接与对端设备',
        '><font color="comment">已由 张三 确认</font>',
        '**3.** <font color="warning">[重要]</font> **CPU 使用率过高（CPU_HIGH）**',
        '>节点：app-03\u3000发生：11-24 05:30',
        '>描述：CPU 使用率 97%',
        '>状态：<font color="warning">第 2 次提醒，已持续 4小时</font>',
        '>建议：查看占用 CPU 最多的进程，必要时扩容或限流',
        '><font color="comment">已由 李四 静默</font>',
        '**4.** <font color="warning">[严重]</font> **进程停止（PROCESS_DOWN）**',
        '>节点：app-01\u3000发生：11-23 21:30',
        '>描述：nginx 进程不存在',
        '>状态：<font color="warning">已提醒 3 次仍未恢复（已持续 12小时），升级至管理员</font>',
        '>建议：登录服务器查看进程日志并重启进程',
        '**5.** <font color="warning">[重要]</font> **局点文件停止增长（SW_FILE_STALE）** <font color="comment">[Sitewatch]</font>',
        '>节点：sys_monitor\u3000发生：11-24 09:25',
        '>描述：system_info_20261124.txt 已 45 分钟未增长',
        '>状态：<font color="warning">未恢复</font>',
        '>建议：检查局点的采集脚本是否仍在运行',
        '**6.** <font color="comment">[提示]</font> **VENDOR_X_ALARM**',
        '>节点：sbc-01\u3000发生：11-24 09:20',
        '>描述：vendor code 0x1f',
        '>状态：<font color="warning">未恢复</font>',
      ].join('\n'),
    );
  });

  it('writes the daily report', () => {
    expect(formatMarkdown(reportNotice(), wecom)).toBe(
      [
        '## 【日报】北京移动（BJ-CMCC） 2026-11-24',
        '业务数据（括号内为较前一日）：',
        '>开通 **1,234**（+12 (+1.0%)）',
        '>退订 **56**（-4 (-6.7%)）',
        '>总用户 **1,204,567**（+1,178 (+0.1%)）',
        '>调用 **98,765**（-1,235 (-1.2%)）',
        '>推送 **43,210**（0 (0.0%)）',
        '>上行 **5,000**（+1,000 (+25.0%)）',
        '>下行 **0**（0）',
        '服务器 12 台，其中 2 台停止上报',
        '未恢复告警 5 条，当日新增告警 8 条',
        '<font color="warning">通知发送失败 3 条，请查看 sitewatch outbox</font>',
      ].join('\n'),
    );
    expect(formatMarkdown({ ...reportNotice(), figures: null }, wecom)).toContain(
      '\n<font color="comment">当日无业务数据</font>\n',
    );
  });

  it('writes the bot notices with a link to the QR code', () => {
    expect(formatMarkdown(botNotice(), wecom)).toBe(
      [
        '## <font color="warning">【Sitewatch】微信机器人已掉线（11-24 10:15）</font>',
        '在重新登录之前，微信群推送暂时改由本渠道发送。',
        '请用机器人的微信扫描二维码重新登录：[打开登录二维码](https://login.weixin.qq.com/l/Abc123==)',
      ].join('\n'),
    );
    expect(formatMarkdown(botNotice('logged-in'), wecom)).toBe(
      '## <font color="info">【Sitewatch】微信机器人已重新登录（11-24 10:15）</font>\n群推送恢复经微信发送。',
    );
  });

  it('keeps 300 alarms within 4096 bytes and counts the rest', () => {
    const md = formatMarkdown(
      { ...alarmNotice(300), more: 25 },
      { maxBytes: 4096, groupLimit: 300 },
    );
    expect(bytes(md)).toBeLessThanOrEqual(4096);
    const nums = listed(md);
    expect(nums.length).toBeGreaterThan(3);
    expect(nums).toEqual(nums.map((_, i) => i + 1));
    expect(moreOf(md)).toBe(325 - nums.length);
    // Whole entries only: the last listed one still has its last line.
    expect(md).toMatch(/>建议：清理日志与临时文件，或扩容磁盘\n……及其他 \d+ 条$/);
  });

  it.each([200, 700, 1500, 4096])(
    'stays within %i bytes with three-byte characters',
    (maxBytes) => {
      const n = alarmNotice(40);
      for (const it of n.items) it.description = '磁盘'.repeat(60);
      const md = formatMarkdown(n, { maxBytes, groupLimit: 40 });
      expect(bytes(md)).toBeLessThanOrEqual(maxBytes);
      expect(listed(md).length + moreOf(md)).toBe(40);
      // A byte cut would leave a broken character behind.
      expect(md).not.toContain('\uFFFD');
    },
  );

  it('neutralises markup in site data', () => {
    const n = alarmNotice(1);
    n.site = { ...site, name: '<font color="info">假</font>**局点**' };
    n.items[0].description =
      '<font color="warning">x</font> **粗体** [点我](http://evil.example) `code` & &lt;';
    n.items[0].node = 'db-01\n# 标题\n> 引用';
    n.items[0].ackedBy = '[张三](http://evil.example)';
    const md = formatMarkdown(n, wecom);
    expect(md).toContain(
      '>描述：＜font color="warning"＞x＜/font＞ ＊＊粗体＊＊ ［点我］(http://evil.example) ｀code｀ ＆ ＆lt;',
    );
    expect(md).toContain('>节点：db-01 ＃ 标题 ＞ 引用\u3000发生：');
    expect(md).toContain('## 【告警】＜font color="info"＞假＜/font＞＊＊局点＊＊（BJ-CMCC）');
    expect(md).toContain('><font color="comment">已由 ［张三］(http://evil.example) 确认</font>');
    expect(md).not.toContain('evil.example)**');
    // Every font tag left is one of ours.
    expect(md.match(/<font /g)).toHaveLength(3);
    expect(mdText('a*b_c')).toBe('a＊b_c');
  });

  it('links only http(s) QR URLs, encoded so they cannot end the link early', () => {
    const evil = formatMarkdown({ ...botNotice(), qrUrl: 'https://x.example/l/a) [b](c' }, wecom);
    expect(evil).toContain('[打开登录二维码](https://x.example/l/a%29%20%5Bb%5D%28c)');
    const js = formatMarkdown({ ...botNotice(), qrUrl: 'javascript:alert(1)' }, wecom);
    expect(js).not.toContain('](');
    expect(js).toContain('重新登录：javascript:alert(1)');
  });
});
