// Number arguments of the bot commands (days, hours, ids, duration counts): one parser, so a bad number is answered as a bad number everywhere.

/** A number as people type it, after NFKC: sign, digits, decimals, exponent ('-5', '1.5', '1e309'). */
export const NUMBER_PATTERN = String.raw`[+\-\u2212]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+\-\u2212]?\d+)?`;
const NUMBER = new RegExp(`^${NUMBER_PATTERN}$`, 'i');

/** Whether `s` is written as a number (whatever its value). */
export function looksNumeric(s: string): boolean {
  return NUMBER.test(s);
}

/**
 * A whole number in [min, max]; 'bad' for any other number ('-5', '0', '1.5', '1e309', too
 * large); null when `s` is not written as a number at all.
 */
export function parseWhole(s: string, min: number, max: number): number | 'bad' | null {
  if (!looksNumeric(s)) return null;
  const n = Number(s.replace(/\u2212/g, '-'));
  return Number.isInteger(n) && n >= min && n <= max ? n : 'bad';
}

/**
 * Split '北京 30' into what comes before a trailing number and that number, parsed by
 * parseWhole; n is undefined when the last word is not a number.
 */
export function splitTrailingWhole(
  args: string,
  min: number,
  max: number,
): { rest: string; n: number | 'bad' | undefined } {
  const m = /^(.*?)\s*(\S+)$/.exec(args);
  const n = m ? parseWhole(m[2], min, max) : null;
  if (m && n !== null) return { rest: m[1].trim(), n };
  return { rest: args.trim(), n: undefined };
}
