// What the log keeps of a user's message: a capped head and its length, so a huge message cannot make a huge log line.

export const LOGGED_TEXT_MAX = 500;

/** `s` itself up to 500 characters; else its first 500 and '…(102400 chars)' with its length. */
export function loggedText(s: string): string {
  if (s.length <= LOGGED_TEXT_MAX) return s;
  let head = s.slice(0, LOGGED_TEXT_MAX);
  // Half a surrogate pair would reach the log as a broken character.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head}…(${s.length} chars)`;
}
