// The daily report's "容量风险" section in every format: exact lines, escaping of hostile data, and nothing without risks.
import type { ReportNotice } from '../../../src/outbox/notices';
import { formatEmail } from '../../../src/notify/format/html';
import { formatMarkdown } from '../../../src/notify/format/markdown';
import { formatRobotMarkdown } from '../../../src/notify/format/robot-markdown';
import { formatText } from '../../../src/notify/format/text';
import { reportNotice } from '../fixtures';

const risky = (): ReportNotice => ({
  ...reportNotice(),
  capacityRisks: [
    {
      name: 'SW_DISK_FILLING',
      server: 'db01',
      description: '/data 82%，约每天 +3.1%，预计 12-08 14:00 写满',
    },
    {
      name: 'SW_MEM_GROWTH',
      server: 'app<1>',
      description: '内存 70%，持续增长未回落，约每天 +6.0%，预计 12-11 02:00 用满',
    },
  ],
});
const robot = { maxBytes: 20_000, groupLimit: 20, br: '\n', heading: false };

describe('the report’s capacity risks', () => {
  it('are listed after the facts in plain text', () => {
    expect(formatText(risky(), { maxChars: 2048, groupLimit: 20 }).split('\n').slice(-3)).toEqual([
      '容量风险（2 项）：',
      '- db01 /data 82%，约每天 +3.1%，预计 12-08 14:00 写满',
      '- app<1> 内存 70%，持续增长未回落，约每天 +6.0%，预计 12-11 02:00 用满',
    ]);
  });

  it('are listed in WeCom and robot markdown, escaped', () => {
    expect(
      formatMarkdown(risky(), { maxBytes: 4096, groupLimit: 20 }).split('\n').slice(-3),
    ).toEqual([
      '<font color="warning">容量风险（2 项）：</font>',
      '>db01 /data 82%，约每天 +3.1%，预计 12-08 14:00 写满',
      '>app＜1＞ 内存 70%，持续增长未回落，约每天 +6.0%，预计 12-11 02:00 用满',
    ]);
    expect(formatRobotMarkdown(risky(), robot).split('\n').slice(-3)).toEqual([
      '**容量风险（2 项）：**',
      'db01 /data 82%，约每天 +3.1%，预计 12-08 14:00 写满',
      'app＜1＞ 内存 70%，持续增长未回落，约每天 +6.0%，预计 12-11 02:00 用满',
    ]);
  });

  it('are a list in the email', () => {
    expect(formatEmail(risky(), { groupLimit: 20, chartCid: null }).html).toContain(
      '<p style="color:#c62828">容量风险（2 项）：</p><ul><li>db01 /data 82%，约每天 +3.1%，预计 12-08 14:00 写满</li>' +
        '<li>app&lt;1&gt; 内存 70%，持续增长未回落，约每天 +6.0%，预计 12-11 02:00 用满</li></ul>',
    );
  });

  it('leave no section without risks, or in older notices without the field', () => {
    for (const n of [{ ...reportNotice(), capacityRisks: [] }, reportNotice()]) {
      expect(formatText(n, { maxChars: 2048, groupLimit: 20 })).not.toContain('容量风险');
      expect(formatMarkdown(n, { maxBytes: 4096, groupLimit: 20 })).not.toContain('容量风险');
      expect(formatRobotMarkdown(n, robot)).not.toContain('容量风险');
      expect(formatEmail(n, { groupLimit: 20, chartCid: null }).html).not.toContain('容量风险');
    }
  });
});
