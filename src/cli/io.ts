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

/** Left-aligned text table; every cell is text from the database, printed as is. */
export function table(rows: (string | number)[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return (
    rows
      .map((r) =>
        r
          .map((c, i) => String(c ?? '').padEnd(widths[i]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
