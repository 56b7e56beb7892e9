// wechaty-puppet-wechat4u made safe to stop and to retry: the bot's backoff replaces wechat4u's instant restart after a failed login.
import type { EventEmitter } from 'node:events';
import { describeError } from '../../errors';
import type { Logger } from '../../log';

/** wechat4u's client (the puppet's `wechat4u`), as far as it is used here. */
type Wechat4uClient = EventEmitter;

/** The puppet's parts this guard reaches; they are private in its typings, plain properties at run time. */
interface Wechat4uPuppet {
  name(): string;
  readonly isLoggedIn: boolean;
  logout(): Promise<void>;
  memory: { delete(key: string): Promise<void>; save(): Promise<void> };
  initHookEvents(client: Wechat4uClient): void;
  onStop(): Promise<void>;
  wechat4u?: Wechat4uClient;
  getContactInterval?: NodeJS.Timeout;
}

/** The puppet's memory slot of the WeChat session (MEMORY_SLOT_NAME in puppet-wechat4u.js). */
const SESSION_SLOT = 'PUPPET-WECHAT4U';

export function isWechat4uPuppet(puppet: { name(): string }): boolean {
  return puppet.name().startsWith('wechaty-puppet-wechat4u');
}

export interface Wechat4uHooks {
  /** wechat4u stopped on its own (a failed login, a lost session): the bot decides when to try again. */
  onEnded(): void;
  /** A wechat4u error as it was raised (it still has the request's URL), before the puppet's own listener. */
  onError(err: unknown): void;
  log: Logger;
}

/**
 * On wechat4u's `logout` (it emits one whenever it stops: after a failed login, a lost session, and
 * in the puppet's own stop) the puppet logs out, then calls `this.wechat4u.start()` after a few
 * awaits: at once again while WeChat is unreachable, a loop of many attempts a second, and a
 * TypeError when the puppet was stopped meanwhile (its stop clears `this.wechat4u`). Here that
 * listener is replaced by one that never touches `this.wechat4u` and leaves the next attempt to
 * the bot, and a stop first detaches every listener, so that nothing reacts to its own `logout`.
 */
export function guardWechat4u(puppet: object, hooks: Wechat4uHooks): void {
  const p = puppet as Wechat4uPuppet;
  const initHookEvents = p.initHookEvents.bind(p);
  const onStop = p.onStop.bind(p);

  // Called by the puppet's start between making the client and starting it: nothing has run yet.
  p.initHookEvents = (client) => {
    initHookEvents(client);
    client.removeAllListeners('logout');
    client.on('logout', () => void ended(client));
    client.prependListener('error', (err: unknown) => hooks.onError(err));
  };

  p.onStop = async () => {
    const client = p.wechat4u;
    if (client) {
      client.removeAllListeners();
      // Its requests still in flight may fail later; an `error` without a listener would throw.
      client.on('error', () => {});
    }
    if (p.getContactInterval) clearInterval(p.getContactInterval);
    p.getContactInterval = undefined;
    await onStop();
  };

  async function ended(client: Wechat4uClient): Promise<void> {
    const current = () => p.wechat4u === client;
    try {
      // A session that ended: Wechaty hears the logout (and the bot restarts).
      if (current() && p.isLoggedIn) await p.logout();
      // Its saved session is dead: the next start shows a new QR code instead of resuming it.
      if (current()) {
        await p.memory.delete(SESSION_SLOT);
        await p.memory.save();
      }
    } catch (err) {
      hooks.log.warn({ err: describeError(err) }, 'wechat4u logout handling failed');
    }
    if (current()) hooks.onEnded();
  }
}

/** A server that could not be reached, and why (a system error code such as ENOTFOUND). */
export interface Unreachable {
  host: string;
  code: string;
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);
const NETWORK_IN_TEXT = new RegExp(`\\b(${[...NETWORK_CODES].join('|')})\\b(?: (\\S+))?`);

/**
 * The server a request failed to reach, from the error as raised (its code and URL, axios and Node
 * alike) or, after a puppet turned it into text, from its message; null for any other failure.
 */
export function unreachableServer(err: unknown): Unreachable | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { code?: unknown; hostname?: unknown; config?: { url?: unknown } };
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
    return { host: hostOf(e.config?.url) ?? stringOr(e.hostname) ?? 'unknown host', code: e.code };
  }
  const m = NETWORK_IN_TEXT.exec(describeError(err));
  return m ? { host: m[2] ?? 'unknown host', code: m[1] } : null;
}

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}

const stringOr = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
