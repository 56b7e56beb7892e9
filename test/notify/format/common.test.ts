// Shared formatter pieces: site-zone times, alarm states, "and N more" fitting and cutting at code points.
import {
  clampTo,
  fitEntries,
  itemStatus,
  itemTitle,
  oneLine,
  shortTime,
  utf16Size,
  utf8Size,
} from '../../../src/notify/format/common';
import { alarmNotice, bj, noticeAt } from '../fixtures';

describe('notice formatting pieces', () => {
  it('shows MM-DD HH:mm in the zone given', () => {
    expect(shortTime(bj(0, 5), 'Asia/Shanghai')).toBe('11-24 00:05');
    expect(shortTime(bj(0, 5), 'UTC')).toBe('11-23 16:05');
    expect(shortTime(bj(0, 5), 'America/New_York')).toBe('11-23 11:05');
  });

  it('describes each state of an alarm', () => {
    const [raised] = alarmNotice().items;
    expect(itemStatus(raised, noticeAt)).toBe('未恢复');
    expect(itemStatus({ ...raised, resumedAt: bj(9, 20) }, noticeAt)).toBe('已恢复，持续 8分');
    expect(itemStatus({ ...raised, event: 'resolved', resumedAt: bj(35, 12) }, noticeAt)).toBe(
      '已恢复，持续 1天2小时',
    );
    expect(itemStatus({ ...raised, event: 'reminder', raisedAt: bj(7, 0) }, noticeAt)).toBe(
      '未恢复，已持续 2小时30分',
    );
    expect(
      itemStatus(
        { ...raised, event: 'escalated', raisedAt: bj(7, 0), reminder: undefined },
        noticeAt,
      ),
    ).toBe('多次提醒仍未恢复（已持续 2小时30分），升级至管理员');
    expect(itemTitle({ ...raised, title: '' })).toBe('DISK_FULL');
  });

  it('flattens and clips data to one line', () => {
    expect(oneLine('  a\r\n\tb  \u2028 c ', 100)).toBe('a b c');
    expect(oneLine('一二三四五', 4)).toBe('一二三…');
    expect(oneLine('ab😀cd', 4)).toBe('ab😀…');
  });

  it('cuts at code points, never inside a character', () => {
    expect(clampTo('😀😀😀', 5, utf16Size)).toBe('😀😀…');
    expect(clampTo('磁盘磁盘', 7, utf8Size)).toBe('磁…');
    expect(clampTo('abc', 3, utf16Size)).toBe('abc');
    expect(clampTo('abc', 0, utf16Size)).toBe('');
  });

  it('fits whole entries and counts the rest together with `more`', () => {
    const base = { head: 'H', more: 0, limit: 10, size: utf16Size, sep: '\n' };
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(10));
    const entries = [a, b, c];
    expect(fitEntries({ ...base, entries, max: 34 })).toBe(`H\n${a}\n${b}\n${c}`);
    // Head and two entries are 23 characters; '\n……及其他 1 条' adds 10.
    expect(fitEntries({ ...base, entries, max: 33 })).toBe(`H\n${a}\n${b}\n……及其他 1 条`);
    expect(fitEntries({ ...base, entries, max: 32 })).toBe(`H\n${a}\n……及其他 2 条`);
    expect(fitEntries({ ...base, entries, max: 21 })).toBe('H\n……及其他 3 条');
    expect(fitEntries({ ...base, entries, max: 100, more: 5, limit: 2 })).toBe(
      `H\n${a}\n${b}\n……及其他 6 条`,
    );
    expect(fitEntries({ ...base, entries: [], max: 100, more: 2 })).toBe('H\n……及其他 2 条');
  });
});
