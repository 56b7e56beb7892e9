// Turns a batch of raw line bytes into parsed records, quarantined lines (with reasons) and skipped lines.
import { UTF8_BOM, decodeLines } from './decode';
import type { FileFormat, ParseContext } from './formats/types';
import { LineError } from './values';

/** Whole lines as bytes, or a line too long to keep (only its first bytes and its length). */
export type Segment = { lines: Buffer } | { long: string; bytes: number };

export interface BadLine {
  lineNo: number;
  raw: string;
  reason: string;
}

export interface ParsedBatch {
  records: unknown[];
  bad: BadLine[];
  /** Blank and header lines. */
  skipped: number;
  /** Number of the batch's last line. */
  lastLine: number;
  /** Encoding actually used: 'gb18030' if any line needed it. */
  used: string | null;
}

export interface BatchOptions {
  format: FileFormat;
  parse: ParseContext;
  encoding: string;
  /** Lines consumed before this batch. */
  firstLine: number;
  /** The batch starts at byte 0 of the file (a UTF-8 BOM may be there). */
  atFileStart: boolean;
  maxLineBytes: number;
}

export function parseBatch(segments: Segment[], o: BatchOptions): ParsedBatch {
  const out: ParsedBatch = { records: [], bad: [], skipped: 0, lastLine: o.firstLine, used: null };
  const header = o.format.headerField;
  for (const seg of segments) {
    if ('long' in seg) {
      out.bad.push({
        lineNo: ++out.lastLine,
        raw: seg.long,
        reason: `line longer than ${o.maxLineBytes} bytes (${seg.bytes} bytes)`,
      });
      continue;
    }
    let bytes = seg.lines;
    if (o.atFileStart && seg === segments[0] && bytes.subarray(0, 3).equals(UTF8_BOM)) {
      bytes = bytes.subarray(3);
    }
    const decoded = decodeLines(bytes, o.encoding);
    if (out.used !== 'gb18030') out.used = decoded.used;
    const lines = decoded.lines;
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i];
      const lineNo = ++out.lastLine;
      const invalid = decoded.invalid?.get(i);
      if (invalid !== undefined) {
        out.bad.push({ lineNo, raw: raw.slice(0, 4000), reason: invalid });
        continue;
      }
      // trim() copies; most lines have nothing to trim, so look at both ends first.
      const text =
        raw.length > 0 && raw.charCodeAt(0) > 32 && raw.charCodeAt(raw.length - 1) > 32
          ? raw
          : raw.trim();
      if (text === '') {
        out.skipped++;
        continue;
      }
      const fields = text.split('|');
      // Most lines have no blanks at all; only those pay for trimming every field.
      if (text.includes(' ') || text.includes('\t')) {
        for (let i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
      }
      if (fields[0].length === header.length && fields[0].toLowerCase() === header) {
        out.skipped++;
        continue;
      }
      try {
        out.records.push(o.format.parse(fields, o.parse));
      } catch (err) {
        if (!(err instanceof LineError)) throw err;
        out.bad.push({ lineNo, raw: raw.slice(0, 4000), reason: err.message.slice(0, 255) });
      }
    }
  }
  return out;
}
