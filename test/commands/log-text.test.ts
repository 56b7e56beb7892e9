// Tests of loggedText: what the log keeps of a user's message.
import { LOGGED_TEXT_MAX, loggedText } from '../../commands/log-text';

describe('loggedText', () => {
  it('keeps a message of up to 500 characters whole', () => {
    expect(LOGGED_TEXT_MAX).toBe(500);
    expect(loggedText('')).toBe('');
    expect(loggedText('状态 BJ01')).toBe('状态 BJ01');
    expect(loggedText('a'.repeat(500))).toBe('a'.repeat(500));
  });

  it('cuts a longer one at 500 characters and says how long it was', () => {
    expect(loggedText('a'.repeat(501))).toBe(`${'a'.repeat(500)}…(501 chars)`);
    expect(loggedText('静'.repeat(102_400))).toBe(`${'静'.repeat(500)}…(102400 chars)`);
  });

  it('never cuts a character written as two UTF-16 units in half', () => {
    const s = `${'a'.repeat(499)}😀${'b'.repeat(10)}`;
    expect(loggedText(s)).toBe(`${'a'.repeat(499)}…(511 chars)`);
  });
});
