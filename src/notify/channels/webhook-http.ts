// The HTTP side the webhook robot channels share (WeCom, DingTalk, Feishu): no redirects, a bounded answer, every status handed back, a POST bounded as a whole, and a failure said without the webhook's secrets.
import axios, { type AxiosResponse } from 'axios';
import { oneLine } from '../format/common';

export interface WebhookHttp {
  /**
   * POST `payload` as JSON. Resolves with any answer (the channel reads its status and code);
   * rejects with an Error whose message says why nothing was answered, with `hide` applied to it
   * (the axios error is not kept as the cause: its config holds the URL with its key or signature).
   */
  post(url: string, payload: unknown, hide: (s: string) => string): Promise<AxiosResponse<unknown>>;
}

export function createWebhookHttp(o: { timeoutMs: number; contentType: string }): WebhookHttp {
  const http = axios.create({
    timeout: o.timeoutMs,
    headers: { 'Content-Type': o.contentType },
    maxRedirects: 0,
    maxContentLength: 64 * 1024,
    validateStatus: () => true,
  });
  return {
    async post(url, payload, hide) {
      try {
        // axios' timeout restarts with every socket event; this one bounds the whole request.
        return await http.post<unknown>(url, payload, { signal: AbortSignal.timeout(o.timeoutMs) });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        const timedOut =
          e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || e.code === 'ERR_CANCELED';
        throw new Error(
          timedOut
            ? `no answer within ${o.timeoutMs} ms`
            : hide(
                oneLine(e.message ?? String(err), 200)
                  .split(url)
                  .join('***'),
              ),
        );
      }
    },
  };
}
