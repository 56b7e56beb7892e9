// Turns complete-line byte runs into text: UTF-8 (BOM or not) or GB18030/GBK, detected per line when 'auto'.
import iconv from 'iconv-lite';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Encodings a site may be configured with, besides 'auto'. */
export function isSupportedEncoding(enc: string): boolean {
  return enc === 'auto' || iconv.encodingExists(enc);
}

export interface Decoded {
  lines: string[];
  /** What was actually used: 'utf8', or the legacy encoding if any line needed it. */
  used: string;
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

/**
 * Decode `buf`, which holds whole lines (each ending in \n, except perhaps a final one).
 * GB18030 is a superset of GBK and GB2312, so it is the fallback for anything that is not UTF-8;
 * splitting on 0x0A before decoding is safe because no GBK trail byte is below 0x40.
 */
export function decodeLines(buf: Buffer, encoding: string): Decoded {
  if (encoding === 'utf8' || encoding === 'utf-8')
    return { lines: splitLines(buf.toString('utf8')), used: 'utf8' };
  if (encoding !== 'auto')
    return { lines: splitLines(iconv.decode(buf, encoding)), used: encoding };
  try {
    return { lines: splitLines(strictUtf8.decode(buf)), used: 'utf8' };
  } catch {
    // Mixed files exist (a GBK producer appending to a UTF-8 file): decide line by line.
    const lines: string[] = [];
    let start = 0;
    while (start < buf.length) {
      let end = buf.indexOf(10, start);
      if (end === -1) end = buf.length;
      let line = buf.subarray(start, end);
      if (line[line.length - 1] === 13) line = line.subarray(0, line.length - 1);
      let text: string;
      try {
        text = strictUtf8.decode(line);
      } catch {
        text = iconv.decode(line, 'gb18030');
      }
      lines.push(text);
      start = end + 1;
    }
    return { lines, used: 'gb18030' };
  }
}
