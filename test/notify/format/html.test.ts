// Email notices: subjects, the plain-text body, the HTML alarm table, inline image references and HTML escaping.
import { esc, formatEmail } from '../../../src/notify/format/html';
import { formatText } from '../../../src/notify/format/text';
import { alarmNotice, bj, botNotice, reportNotice } from '../fixtures';

const opts = { groupLimit: 20, chartCid: null };
const rows = (html: string) => html.match(/<tr><td /g)?.length ?? 0;
/** The contents of the body rows' cells, row by row. */
const cells = (html: string) =>
  [...html.matchAll(/<tr>(<td .*?)<\/tr>/g)].map((r) =>
    [...r[1].matchAll(/<td [^>]*>(.*?)<\/td>/g)].map((m) => m[1]),
  );

describe('formatEmail', () => {
  it('writes Chinese subjects for every kind of notice', () => {
    expect(formatEmail(alarmNotice(), opts).subject).toBe(
      '[Sitewatch] 北京移动（BJ-CMCC） 新告警 3 条 恢复 1 条 提醒 1 条 升级 1 条',
    );
    expect(formatEmail({ ...alarmNotice(2), more: 3 }, opts).subject).toBe(
      '[Sitewatch] 北京移动（BJ-CMCC） 新告警 2 条 共 5 条',
    );
    expect(formatEmail(reportNotice(), opts).subject).toBe(
      '[Sitewatch] 北京移动（BJ-CMCC） 日报 2026-11-24',
    );
    expect(formatEmail(botNotice(), opts).subject).toBe('[Sitewatch] 微信机器人已掉线');
    expect(formatEmail(botNotice('logged-in'), opts).subject).toBe(
      '[Sitewatch] 微信机器人已重新登录',
    );
    const wecom = {
      ...botNotice(),
      transport: 'wecom',
      qrUrl: null,
      qrPng: null,
      since: bj(10, 10),
    };
    expect(formatEmail(wecom, opts).subject).toBe('[Sitewatch] 企业微信机器人连接中断');
    expect(formatEmail({ ...wecom, state: 'logged-in' }, opts).subject).toBe(
      '[Sitewatch] 企业微信机器人已重新连接',
    );
    expect(formatEmail(wecom, opts).text).toBe(
      [
        '【Sitewatch】企业微信机器人连接中断（自 11-24 10:10 起）',
        '企业微信的问答与群推送暂停，待推送的消息保留在发件箱中，连接恢复后补发。',
        '请检查 hub 到企业微信长连接地址的网络，以及 wecomBot 的 Bot ID 与 Secret；`sitewatch status` 可查看状态。',
      ].join('\n'),
    );
  });

  it('has the plain text of the notice as its text body', () => {
    const n = alarmNotice();
    expect(formatEmail(n, opts).text).toBe(formatText(n, { maxChars: Infinity, groupLimit: 100 }));
  });

  it('tabulates the alarms with level, alarm, node, description, time and state', () => {
    const { html } = formatEmail(alarmNotice(), { groupLimit: 20, chartCid: 'chart-1@sitewatch' });
    expect(html).toMatch(/^<!DOCTYPE html>/);
    const heads = [...html.matchAll(/<th [^>]*>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(heads).toEqual(['级别', '告警', '节点', '描述', '发生时间', '状态']);
    expect(rows(html)).toBe(6);
    expect(cells(html)[1]).toEqual([
      '严重',
      '链路中断（LINK_DOWN）<br><small>建议：检查网络连接与对端设备</small>',
      'gw-02',
      '到 HLR 的链路中断',
      '11-24 08:00',
      '已恢复，持续 1小时5分<br>已由 张三 确认',
    ]);
    expect(cells(html)[4][1]).toContain(
      '局点文件停止增长（SW_FILE_STALE） <small>[Sitewatch]</small>',
    );
    expect(html).toContain('<h2 style="font-size:18px">【告警】北京移动（BJ-CMCC）：新告警 3 条');
    expect(html).toContain('<img src="cid:chart-1@sitewatch" alt="告警图表"');
    expect(formatEmail(alarmNotice(), opts).html).not.toContain('<img');
  });

  it('escapes site data in the HTML', () => {
    const n = alarmNotice(1);
    n.items[0].description = '<script>alert(1)</script>';
    n.items[0].node = '"><img src=x onerror=alert(2)>';
    n.site = { ...n.site, name: 'A&B<i>' };
    const { html, subject } = formatEmail(n, opts);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('A&amp;B&lt;i&gt;（BJ-CMCC）');
    expect(html).not.toMatch(/<script|<img src=x|<i>/);
    expect(subject).toBe('[Sitewatch] A&B<i>（BJ-CMCC） 新告警 1 条');
    expect(esc(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('lists five times the chat limit and counts the rest', () => {
    const mail = formatEmail({ ...alarmNotice(150), more: 4 }, { groupLimit: 20, chartCid: null });
    expect(rows(mail.html)).toBe(100);
    expect(mail.html).toContain('<p>……及其他 54 条</p>');
    expect(mail.text.endsWith('……及其他 54 条')).toBe(true);
    expect(mail.text).toContain('\n100. [严重] 磁盘空间不足（DISK_FULL）\n');
    expect(mail.text).not.toContain('\n101. ');
  });

  it('writes the report with its figures table, facts and chart', () => {
    const { html } = formatEmail(reportNotice(), { groupLimit: 20, chartCid: 'c@s' });
    expect(html).toContain(
      '<h2 style="font-size:18px">【日报】北京移动（BJ-CMCC） 2026-11-24</h2>',
    );
    expect(cells(html).slice(0, 2)).toEqual([
      ['开通', '1,234', '+12 (+1.0%)'],
      ['退订', '56', '-4 (-6.7%)'],
    ]);
    expect(cells(html)).toHaveLength(7);
    expect(html).toContain('<p>服务器 12 台，其中 2 台停止上报</p>');
    expect(html).toContain(
      '<p style="color:#c62828">通知发送失败 3 条，请查看 sitewatch outbox</p>',
    );
    expect(html).toContain('<img src="cid:c@s" alt="业务图表"');
    const none = formatEmail({ ...reportNotice(), figures: null }, opts).html;
    expect(none).toContain('<p>当日无业务数据</p>');
    expect(none).not.toContain('<table');
  });

  it('shows the login QR code of a bot notice inline', () => {
    const { html, text } = formatEmail(botNotice(), { ...opts, qrCid: 'qr-1@sitewatch' });
    expect(html).toContain(
      '<h2 style="font-size:18px">【Sitewatch】微信机器人已掉线（11-24 10:15）</h2>',
    );
    expect(html).toContain(
      '<a href="https://login.weixin.qq.com/l/Abc123==">https://login.weixin.qq.com/l/Abc123==</a>',
    );
    expect(html).toContain('<img src="cid:qr-1@sitewatch" alt="登录二维码"');
    expect(text).toBe(formatText(botNotice(), { maxChars: Infinity, groupLimit: 20 }));
    expect(formatEmail(botNotice('logged-in'), { ...opts, qrCid: 'q@s' }).html).not.toContain(
      '<img',
    );
  });
});
