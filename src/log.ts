// Structured logging (pino) to stderr, so command output on stdout stays clean; secrets are redacted.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino(
    {
      level,
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
    },
    destination as pino.DestinationStream,
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
