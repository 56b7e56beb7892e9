// "--every" intervals become cron schedules on wall-clock boundaries, or a clear usage error.
import { cronForEvery, msForEvery } from '../../src/cli/every';

describe('cronForEvery', () => {
  it.each([
    ['30s', '*/30 * * * * *'],
    ['60s', '* * * * *'],
    ['5m', '*/5 * * * *'],
    ['60m', '0 * * * *'],
    ['1h', '0 */1 * * *'],
    ['24h', '0 0 * * *'],
  ])('%s -> %s', (every, cron) => expect(cronForEvery(every)).toBe(cron));

  it.each(['7m', '0s', '90s', '5d', 'soon', ''])('refuses %p', (every) => {
    expect(() => cronForEvery(every)).toThrow(
      `--every "${every}" must be seconds, minutes or hours that divide a minute, hour or day evenly (30s, 5m, 1h).`,
    );
  });

  it('gives milliseconds for loops', () => {
    expect([msForEvery('30s'), msForEvery('5m'), msForEvery('2h')]).toEqual([
      30_000, 300_000, 7_200_000,
    ]);
  });
});
