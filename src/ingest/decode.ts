// Turns complete-line byte runs into text: UTF-8 (BOM or not) or GB18030/GBK, detected per line when 'auto'.
import iconv from 'iconv-lite';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
// For an explicit utf8 site a U+FEFF inside the data is kept, as Buffer#toString always did.
const strictUtf8KeepBom = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Encodings a site may be configured with, besides 'auto'. */
export function isSupportedEncoding(enc: string): boolean {
  return enc === 'auto' || iconv.encodingExists(enc);
}

export interface Decoded {
  lines: string[];
  /** What was actually used: 'utf8', or the legacy encoding if any line needed it. */
  used: string;
  /**
   * Lines (by index in `lines`) holding bytes that are invalid in the encoding, with the reason;
   * such a line is given with U+FFFD in their place. Absent when every line is valid.
   */
  invalid?: Map<number, string>;
}

function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

const isUtf8 = (enc: string) => enc === 'utf8' || enc === 'utf-8';

/** How a person names the encoding in a reason. */
const displayName = (enc: string) => (isUtf8(enc) ? 'UTF-8' : enc.toUpperCase());

/** A line read with replacement: the text, and the 1-based column of its first invalid byte (0: none). */
interface Reading {
  text: string;
  column: number;
  /** How many U+FFFD the text holds, to choose the more readable of two readings. */
  replaced: number;
}

/** The bytes of U+FFFD in `enc`, or null when `enc` cannot encode it. */
const encodedFffd = new Map<string, Buffer | null>();
function fffdIn(enc: string): Buffer | null {
  let b = encodedFffd.get(enc);
  if (b === undefined) {
    const e = isUtf8(enc) ? Buffer.from('\ufffd', 'utf8') : iconv.encode('\ufffd', enc);
    b = (isUtf8(enc) ? e.toString('utf8') : iconv.decode(e, enc)) === '\ufffd' ? e : null;
    encodedFffd.set(enc, b);
  }
  return b;
}

/**
 * Decode one line with replacement and find where its first invalid byte is. A U+FFFD is a
 * replacement unless the line holds the encoded U+FFFD at that place; the text before the
 * first replacement is valid, so its encoded length says where that place is.
 */
function readLine(line: Buffer, enc: string): Reading {
  const utf8 = isUtf8(enc);
  const text = utf8 ? line.toString('utf8') : iconv.decode(line, enc);
  const fffd = fffdIn(enc);
  let column = 0;
  let replaced = 0;
  for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) {
    replaced++;
    if (column !== 0) continue;
    const before = text.slice(0, i);
    const at = utf8 ? Buffer.byteLength(before, 'utf8') : iconv.encode(before, enc).length;
    if (fffd && line.subarray(at, at + fffd.length).equals(fffd)) continue;
    column = [...before].length + 1;
  }
  return { text, column, replaced };
}

/** Line by line: `decode` gives the text, or null when the line is not valid in the first choice. */
function byLine(
  buf: Buffer,
  decode: (line: Buffer) => string | null,
  fallback: (line: Buffer) => { text: string; reason: string | null },
): { lines: string[]; invalid?: Map<number, string> } {
  const lines: string[] = [];
  let invalid: Map<number, string> | undefined;
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end === -1) end = buf.length;
    let line = buf.subarray(start, end);
    if (line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
    let text = decode(line);
    if (text === null) {
      const r = fallback(line);
      text = r.text;
      if (r.reason !== null) (invalid ??= new Map()).set(lines.length, r.reason);
    }
    lines.push(text);
    start = end + 1;
  }
  return invalid ? { lines, invalid } : { lines };
}

const tryUtf8 = (decoder: TextDecoder) => (line: Buffer) => {
  try {
    return decoder.decode(line);
  } catch {
    return null;
  }
};

/** A line that is valid in neither encoding of 'auto': shown in the reading with fewer replacements. */
function neither(u: Reading, g: Reading): { text: string; reason: string } {
  const where =
    u.column === g.column
      ? `UTF-8 or GB18030 at column ${u.column}`
      : `UTF-8 at column ${u.column}, nor GB18030 at column ${g.column}`;
  return { text: g.replaced < u.replaced ? g.text : u.text, reason: `bytes not valid ${where}` };
}

/**
 * Decode `buf`, which holds whole lines (each ending in \n, except perhaps a final one).
 * GB18030 is a superset of GBK and GB2312, so it is the fallback for anything that is not UTF-8;
 * splitting on 0x0A before decoding is safe because no GBK trail byte is below 0x40.
 * Bytes invalid in the encoding mark their line in `invalid` instead of passing as U+FFFD.
 */
export function decodeLines(buf: Buffer, encoding: string): Decoded {
  if (isUtf8(encoding) || encoding === 'auto') {
    const decoder = encoding === 'auto' ? strictUtf8 : strictUtf8KeepBom;
    try {
      return { lines: splitLines(decoder.decode(buf)), used: 'utf8' };
    } catch {
      // Some line is not UTF-8 (in 'auto' mixed files exist, a GBK producer appending to a
      // UTF-8 file): decide line by line.
    }
    if (encoding !== 'auto') {
      const out = byLine(buf, tryUtf8(decoder), (line) => {
        const r = readLine(line, 'utf8');
        return { text: r.text, reason: `bytes not valid UTF-8 at column ${r.column}` };
      });
      return { ...out, used: 'utf8' };
    }
    let legacy = false;
    const out = byLine(buf, tryUtf8(decoder), (line) => {
      const g = readLine(line, 'gb18030');
      if (g.column === 0) {
        legacy = true;
        return { text: g.text, reason: null };
      }
      return neither(readLine(line, 'utf8'), g);
    });
    return { ...out, used: legacy ? 'gb18030' : 'utf8' };
  }
  const text = iconv.decode(buf, encoding);
  if (!text.includes('\ufffd')) return { lines: splitLines(text), used: encoding };
  const name = displayName(encoding);
  const out = byLine(
    buf,
    () => null,
    (line) => {
      const r = readLine(line, encoding);
      return {
        text: r.text,
        reason: r.column === 0 ? null : `bytes not valid ${name} at column ${r.column}`,
      };
    },
  );
  return { ...out, used: encoding };
}
