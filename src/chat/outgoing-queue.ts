// A transport's outgoing messages: rate-limited per chat and overall, retried with backoff, long text split, order kept per chat.
import { sendable } from '../../commands/reply';
import type { Reply } from '../../commands/types';
import { describeError } from '../errors';
import type { Logger } from '../log';
import { splitText } from '../present/split-text';

export interface OutgoingQueueOptions {
  /** Least time between two messages to the same chat. */
  perChatIntervalMs?: number;
  /** Least time between any two messages. */
  globalIntervalMs?: number;
  /** Further attempts after a failed delivery. */
  retries?: number;
  /** First retry delay; doubles with every further attempt. */
  retryDelayMs?: number;
  /** Longest text message (UTF-16 code units); longer text is split on line boundaries. */
  maxTextLength?: number;
  /** The transport's name, which its log lines begin with (default 'chat'). */
  transport?: string;
  log: Logger;
}

export type Deliver = (part: Reply) => Promise<void>;

export interface OutgoingQueue {
  /** Queue one reply (split into parts when long); resolves when every part was delivered. */
  send(chatId: string, deliver: Deliver, reply: Reply): Promise<void>;
  /** Parts waiting or being delivered. */
  length(): number;
  /** Resolves once nothing is waiting or in flight. */
  drain(): Promise<void>;
}

interface Job {
  parts: Reply[];
  deliver: Deliver;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface Chat {
  jobs: Job[];
  running: boolean;
  nextAt: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function createOutgoingQueue(o: OutgoingQueueOptions): OutgoingQueue {
  const perChatIntervalMs = o.perChatIntervalMs ?? 1000;
  const globalIntervalMs = o.globalIntervalMs ?? 1000;
  const retries = o.retries ?? 3;
  const retryDelayMs = o.retryDelayMs ?? 1000;
  const maxTextLength = o.maxTextLength ?? 2000;
  const name = o.transport ?? 'chat';
  const chats = new Map<string, Chat>();
  let globalNextAt = 0;
  let pending = 0;
  let drainWaiters: (() => void)[] = [];

  /** Reserve the next send slot for a chat (synchronously, so concurrent chats never share one). */
  function reserve(chat: Chat, notBefore: number): number {
    const slot = Math.max(notBefore, chat.nextAt, globalNextAt);
    chat.nextAt = slot + perChatIntervalMs;
    globalNextAt = slot + globalIntervalMs;
    return slot;
  }

  function settleOne(): void {
    pending--;
    if (pending === 0) {
      const waiters = drainWaiters;
      drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  async function deliverPart(chatId: string, chat: Chat, job: Job, part: Reply): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const backoff = attempt === 0 ? 0 : retryDelayMs * 2 ** (attempt - 1);
      const slot = reserve(chat, Date.now() + backoff);
      while (Date.now() < slot) await sleep(slot - Date.now());
      // A late timer (a busy machine) must not shorten the gap to the next message: count from the real start.
      const started = Date.now();
      chat.nextAt = Math.max(chat.nextAt, started + perChatIntervalMs);
      globalNextAt = Math.max(globalNextAt, started + globalIntervalMs);
      try {
        await job.deliver(part);
        return;
      } catch (err) {
        if (attempt >= retries) throw err;
        o.log.warn(
          { chatId, attempt: attempt + 1, err: describeError(err) },
          `${name} send failed, retrying`,
        );
      }
    }
  }

  async function run(chatId: string, chat: Chat): Promise<void> {
    chat.running = true;
    try {
      for (let job = chat.jobs.shift(); job; job = chat.jobs.shift()) {
        let failed: unknown = null;
        let i = 0;
        for (; i < job.parts.length; i++) {
          try {
            await deliverPart(chatId, chat, job, job.parts[i]);
          } catch (err) {
            failed = err;
            break;
          } finally {
            settleOne();
          }
        }
        if (failed === null) {
          job.resolve();
        } else {
          // The rest of a split reply makes no sense without the lost part.
          for (let skipped = i + 1; skipped < job.parts.length; skipped++) settleOne();
          o.log.error(
            { chatId, err: describeError(failed), skippedParts: job.parts.length - i - 1 },
            `${name} send failed after retries`,
          );
          job.reject(failed);
        }
      }
    } finally {
      // The chat entry stays: it remembers when the chat may be written to next.
      chat.running = false;
    }
  }

  return {
    send(chatId, deliver, given) {
      const reply = sendable(given);
      const parts =
        reply.kind === 'text'
          ? splitText(reply.text, maxTextLength).map((text): Reply => ({ kind: 'text', text }))
          : [reply];
      if (parts.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        let chat = chats.get(chatId);
        if (!chat) {
          chat = { jobs: [], running: false, nextAt: 0 };
          chats.set(chatId, chat);
        }
        chat.jobs.push({ parts, deliver, resolve, reject });
        pending += parts.length;
        if (!chat.running) void run(chatId, chat);
      });
    },
    length: () => pending,
    drain() {
      if (pending === 0) return Promise.resolve();
      return new Promise<void>((r) => drainWaiters.push(r));
    },
  };
}

/**
 * Queue replies to one chat in order (synchronously, so the queue keeps this order), and wait for
 * all of them: the outcome of each, in order.
 */
export function sendInOrder(
  queue: OutgoingQueue,
  chatId: string,
  deliver: Deliver,
  replies: Reply[],
): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled(replies.map((r) => queue.send(chatId, deliver, r)));
}
