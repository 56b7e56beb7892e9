// Retry with exponential backoff and jitter, for operations that are safe to repeat.
export interface RetryOptions {
  retries: number;
  baseDelayMs: number;
  maxDelayMs?: number;
  retryable: (err: unknown) => boolean;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  o: RetryOptions,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= o.retries || !o.retryable(err)) throw err;
      const exp = Math.min(o.maxDelayMs ?? 30_000, o.baseDelayMs * 2 ** attempt);
      // Full jitter spreads retries of many sites that failed together.
      const delay = Math.round(exp / 2 + Math.random() * (exp / 2));
      o.onRetry?.(err, attempt + 1, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
