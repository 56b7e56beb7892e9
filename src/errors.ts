// Typed errors: every failure that crosses a boundary carries a stable code, a plain message and its cause.
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'DB_CONNECT'
  | 'DB_MISSING'
  | 'DB_UNREACHABLE'
  | 'DB_URL'
  | 'USAGE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FETCH_FAILED'
  | 'FETCH_TIMEOUT'
  | 'INGEST_FAILED'
  | 'LINE_INVALID'
  | 'RENDER_TIMEOUT'
  | 'RENDER_FAILED'
  | 'NOTIFY_SEND_FAILED'
  | 'NOTIFY_BAD_RECIPIENT'
  | 'NOTIFY_CLAIM_LOST'
  | 'NOTIFY_RATE_LIMITED'
  | 'BOT_OFFLINE';

export class SitewatchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SitewatchError';
  }
}

function isErrorLike(err: unknown): err is Error {
  return typeof err === 'object' && err !== null && typeof (err as Error).message === 'string';
}

/** A message fit for a person: the error's own words, never a stack trace. */
export function describeError(err: unknown): string {
  // Not `instanceof Error`: errors made by Node or a native driver in another realm (a jest sandbox) fail it.
  if (isErrorLike(err)) {
    // System errors (ECONNREFUSED…) say more with their code; our own messages are complete.
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' && /^E[A-Z_]+$/.test(code) && !err.message.includes(code)
      ? `${err.message} (${code})`
      : err.message;
  }
  return String(err);
}

/**
 * A channel's peer (or the channel's own limit) says to wait: the dispatcher retries after
 * `retryAfterMs` without counting an attempt, since nothing was wrong with the message.
 */
export class RateLimitedError extends SitewatchError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super('NOTIFY_RATE_LIMITED', message, options);
    this.name = 'RateLimitedError';
  }
}

/** A failed fetch of a site file; `retryable` says whether another try may succeed (network, 5xx). */
export class FetchError extends SitewatchError {
  constructor(
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super('FETCH_FAILED', message, options);
    this.name = 'FetchError';
  }
}
