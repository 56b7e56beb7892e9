// Structured logging (pino) to stderr, so command output on stdout stays clean; secrets are redacted.
import pino, { type Logger } from 'pino';

export type { Logger };

const OPTIONS: pino.LoggerOptions = {
  base: undefined,
  redact: {
    paths: [
      'password',
      '*.password',
      'authToken',
      '*.authToken',
      'token',
      '*.token',
      'url',
      '*.url',
      'sessionSecret',
      '*.sessionSecret',
      'smtpUrl',
      '*.smtpUrl',
      'req.headers.cookie',
      'res.headers["set-cookie"]',
    ],
    censor: '***',
  },
};

export function createLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino({ ...OPTIONS, level }, destination as pino.DestinationStream);
}

/** A pino entry as people read it: 'note: …' for warnings, 'error: …' for worse, with the error's words. */
export function sayEntry(json: string): string | null {
  let e: { level?: number; msg?: string; err?: unknown };
  try {
    e = JSON.parse(json) as typeof e;
  } catch {
    return null;
  }
  if (typeof e.level !== 'number' || e.level < 40) return null;
  const err = typeof e.err === 'string' ? `: ${e.err}` : '';
  return `${e.level >= 50 ? 'error' : 'note'}: ${e.msg ?? ''}${err}`;
}

/**
 * For commands that talk to a person while a service runs (the demo): the log at `level` as JSON
 * into `file`, and its warnings and worse also said in words through `say`.
 */
export function createPeopleLogger(
  level: string,
  file: NodeJS.WritableStream,
  say: (line: string) => void,
): Logger {
  const words = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) {
        const s = line ? sayEntry(line) : null;
        if (s) say(s);
      }
    },
  };
  return pino(
    { ...OPTIONS, level },
    pino.multistream([
      { level: (level === 'silent' ? 'fatal' : level) as pino.Level, stream: file },
      { level: 'warn', stream: words },
    ]),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
