// Tests of the shared chart helpers: units, rounding, time shift and label template, sorting.
import {
  byteUnit,
  countUnit,
  label,
  monthDay,
  noDataOption,
  round2,
  sortedDays,
  sortedPoints,
  spanOf,
  timeLabelTemplate,
  timePairs,
  wallTime,
} from '../../charts/common';
import { expectPureJson, shanghai } from './helpers';

describe('chart helpers', () => {
  it('rounds to 2 decimals without producing -0', () => {
    expect(round2(1.234)).toBe(1.23);
    expect(round2(1.236)).toBe(1.24);
    expect(Object.is(round2(-0.001), 0)).toBe(true);
    expect(round2(-1.5)).toBe(-1.5);
  });

  it('picks binary units B..TiB', () => {
    expect(byteUnit(0)).toEqual({ name: 'B', divisor: 1 });
    expect(byteUnit(1023)).toEqual({ name: 'B', divisor: 1 });
    expect(byteUnit(1024)).toEqual({ name: 'KiB', divisor: 1024 });
    expect(byteUnit(1024 ** 5)).toEqual({ name: 'TiB', divisor: 1024 ** 4 });
    expect(byteUnit(NaN)).toEqual({ name: 'B', divisor: 1 });
  });

  it('picks count units 万/亿 and K/M', () => {
    expect(countUnit(9_999, 'zh')).toEqual({ name: '', divisor: 1 });
    expect(countUnit(10_000, 'zh')).toEqual({ name: '万', divisor: 1e4 });
    expect(countUnit(1e8, 'zh')).toEqual({ name: '亿', divisor: 1e8 });
    expect(countUnit(999, 'en')).toEqual({ name: '', divisor: 1 });
    expect(countUnit(1_000, 'en')).toEqual({ name: 'K', divisor: 1e3 });
    expect(countUnit(1e6, 'en')).toEqual({ name: 'M', divisor: 1e6 });
  });

  it('shifts instants to the wall clock of the zone', () => {
    expect(wallTime(shanghai(2026, 11, 25), 'Asia/Shanghai')).toBe(Date.UTC(2026, 10, 25));
    expect(wallTime(Date.UTC(2026, 0, 1), 'UTC')).toBe(Date.UTC(2026, 0, 1));
  });

  it('labels hours up to two days and month-days beyond', () => {
    expect(timeLabelTemplate(0)).toBe('{HH}:{mm}');
    expect(timeLabelTemplate(2 * 86_400_000)).toBe('{HH}:{mm}');
    expect(timeLabelTemplate(2 * 86_400_000 + 1)).toBe('{MM}-{dd}');
    expect(spanOf([[[5, 1]], [[1, 1]], []])).toBe(4);
    expect(spanOf([])).toBe(0);
  });

  it('sorts points by time, drops bad times and leaves the input alone', () => {
    const input = [{ at: 3 }, { at: NaN }, { at: 1 }];
    expect(sortedPoints(input)).toEqual([{ at: 1 }, { at: 3 }]);
    expect(input.map((p) => p.at)).toEqual([3, NaN, 1]);
    expect(sortedDays([{ date: '2026-02-01' }, { date: '2025-12-31' }])).toEqual([
      { date: '2025-12-31' },
      { date: '2026-02-01' },
    ]);
    expect(
      timePairs(
        [
          { at: 0, v: 1 },
          { at: 60_000, v: NaN },
        ],
        'UTC',
        (p) => p.v,
      ),
    ).toEqual([[0, 1]]);
  });

  it('shows YYYY-MM-DD as MM-DD and anything else as given', () => {
    expect(monthDay('2026-11-25')).toBe('11-25');
    expect(monthDay('20261125')).toBe('20261125');
  });

  it('builds a no-data option with title, graphic and no series', () => {
    const o = noDataOption('t', { lang: 'en', tz: 'UTC' });
    expect(o.series).toEqual([]);
    expect(o.title).toMatchObject({ text: 't' });
    expect(JSON.stringify(o.graphic)).toContain(label('noData', 'en'));
    expectPureJson(o);
  });
});
