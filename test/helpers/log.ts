// A logger whose JSON lines the test reads back: what a unit logs is part of its behaviour.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/log';

export type LogLine = { level: number; msg: string; [k: string]: unknown };

export function captureLog(level: 'info' | 'warn' = 'info'): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as LogLine);
      cb();
    },
  });
  return { log: createLogger(level, stream), lines };
}
