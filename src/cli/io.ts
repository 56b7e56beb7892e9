// The streams and environment a CLI run uses, injectable so tests drive the CLI in-process.
import type { Readable } from 'node:stream';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  untilSignal: () => Promise<void>;
}

export async function readAll(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

/** Columns a string takes in a terminal: East Asian wide and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** Left-aligned text table, padded by display width so Chinese names line up; cells printed as is. */
export function table(rows: (string | number)[][]): string {
  if (rows.length === 0) return '';
  const cell = (v: string | number | undefined) => String(v ?? '');
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => displayWidth(cell(r[i])))));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => cell(c) + ' '.repeat(widths[i] - displayWidth(cell(c))))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
