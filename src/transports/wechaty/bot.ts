// The WeChat transport: Wechaty on a puppet; answers contacts and mentioning rooms through the shared inbox and its outgoing queue, pushes, restarts itself.
import * as qrcodeTerminal from 'qrcode-terminal';
import { FileBox } from 'file-box';
import {
  ScanStatus,
  WechatyBuilder,
  qrcodeValueToImageUrl,
  types,
  type Contact,
  type Message,
  type Room,
  type Wechaty,
  type WechatyOptions,
} from 'wechaty';
import { sendable } from '../../../commands/reply';
import type { Reply } from '../../../commands/types';
import { aliasForLogin } from '../../admin/chat-bindings';
import { HANDLER_FAILED_TEXT } from '../../chat/inbox';
import { type OutgoingQueue, sendInOrder } from '../../chat/outgoing-queue';
import type {
  ChatInbox,
  ChatTransport,
  IncomingMessage,
  TransportHealth,
  TransportState,
  TransportStateEvent,
} from '../../chat/transport';
import { SitewatchError, describeError } from '../../errors';
import type { Logger } from '../../log';
import { wallClock } from '../../time';
import { type Unreachable, guardWechat4u, isWechat4uPuppet, unreachableServer } from './wechat4u';

/** A puppet instance (as Wechaty takes it). */
export type PuppetInstance = NonNullable<Extract<WechatyOptions, { puppet?: object }>['puppet']>;

/** The transport's name, and the `transport` of its bindings (rows from before transports are WeChat's). */
export const WECHAT = 'wechat';

export interface WechatBotOptions {
  /** Wechaty name: its session (memory card) is kept in `<name>.memory-card.json` (relative to cwd). */
  name: string;
  /** An installed puppet package's name (default wechaty-puppet-wechat4u), or a puppet instance. */
  puppet?: string | PuppetInstance;
  /** Options for a puppet given by name. */
  puppetOptions?: Record<string, unknown>;
  /** The shared message path (bindings keyed by 'wechat', room subscriptions, handler). */
  receive: ChatInbox;
  /** In rooms, text starting with this is answered without a mention (e.g. '/'). */
  prefix?: string;
  queue: OutgoingQueue;
  log: Logger;
  /** Called after an alias was set on a contact through `meta.setAlias`. */
  onBind?: (info: { contactId: string; contactName: string; alias: string }) => void;
  /** First restart delay after a logout or a puppet failure; doubles up to `restartMaxDelayMs`. */
  restartDelayMs?: number;
  restartMaxDelayMs?: number;
  /** What a person reads when handling their message failed. */
  errorText?: string;
  /** The zone of the times the log says in words (the next login attempt); default the process's. */
  timezone?: string;
  /** Where the login QR code is drawn (null: not drawn; the URL is logged either way). */
  qrOut?: NodeJS.WritableStream | null;
  /** Longest stop() waits for queued replies. */
  stopDrainMs?: number;
  /** Login state changes (scan with its QR URL, login, logout), e.g. for a "bot logged out" notice. */
  onState?: (e: BotStateEvent) => void;
}

export type BotStateEvent = TransportStateEvent;

/** Identical puppet errors within this window are counted, not logged again. */
export const ERROR_LOG_WINDOW_MS = 60_000;

export type BotState = TransportState;
export type BotHealth = TransportHealth;

/**
 * The chat transport on Wechaty. Rooms are found by their id in this session, else by topic;
 * users by the `sw-<login>` alias their contact was given at binding.
 */
export interface WechatBot extends ChatTransport {
  /** The Wechaty instance. */
  readonly wechaty: Wechaty;
}

export const DEFAULT_PUPPET = 'wechaty-puppet-wechat4u';

/** Construct a puppet from an installed package name (its default export, by Wechaty convention). */
export function loadPuppet(name: string, options: Record<string, unknown> = {}): PuppetInstance {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(name) as { default?: new (o: object) => PuppetInstance };
  if (typeof mod.default !== 'function') {
    throw new Error(`"${name}" is not a Wechaty puppet package (no default export).`);
  }
  return new mod.default(options);
}

export function createWechatBot(o: WechatBotOptions): WechatBot {
  const log = o.log;
  const puppet =
    typeof o.puppet === 'object'
      ? o.puppet
      : loadPuppet(o.puppet ?? DEFAULT_PUPPET, o.puppetOptions);
  const wechaty = WechatyBuilder.build({ name: o.name, puppet });
  const restartDelayMs = o.restartDelayMs ?? 1000;
  const restartMaxDelayMs = o.restartMaxDelayMs ?? 5 * 60_000;
  const errorText = o.errorText ?? HANDLER_FAILED_TEXT;
  const timezone = o.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const qrOut = o.qrOut === undefined ? process.stdout : o.qrOut;

  let state: BotState = 'starting';
  let qrUrl: string | undefined;
  let lastMessageAt: number | null = null;
  let restarts = 0;
  let failures = 0; // consecutive, for the backoff; reset at login
  let stopping = false;
  let started = false; // Wechaty warns when stopped without having started
  let restartTimer: NodeJS.Timeout | null = null;
  // Set for the whole restart, so events the restart itself causes (logout on stop) start no other.
  let restarting = false;
  let restartPromise: Promise<void> | null = null;
  let pendingRestart: string | null = null; // the reason of a restart asked for during a restart
  let startInProgress = false; // errors while starting are the start's failure, handled there
  const inFlight = new Set<Promise<void>>();
  let lastEmitted: BotStateEvent['state'] | null = null;
  // Why the last login attempt failed, when it could not reach the login server; and since when
  // it has not, so that an outage is said once, not at every attempt.
  let loginDown: Unreachable | null = null;
  let outage: (Unreachable & { since: number }) | null = null;
  // The raw error wechat4u raised just before the puppet passes it on (it still names the host).
  let rawDown: Unreachable | null = null;

  if (isWechat4uPuppet(puppet)) {
    guardWechat4u(puppet, {
      onError: (err) => (rawDown = unreachableServer(err)),
      onEnded: () => {
        if (stopping || wechaty.isLoggedIn) return;
        state = 'offline';
        if (restarting) pendingRestart ??= 'login failed';
        else scheduleRestart('login failed');
      },
      log,
    });
  }

  const deliverTo =
    (conversation: Room | Contact) =>
    async (reply: Reply): Promise<void> => {
      const part = sendable(reply);
      if (part.kind === 'text') await conversation.say(part.text);
      else await conversation.say(FileBox.fromBase64(part.png.toString('base64'), part.name));
    };

  function emitState(next: BotStateEvent['state'], url: string | null): void {
    // A hub shutting down is not a logout; and one logout often comes with a second (restart's stop).
    if (!o.onState || stopping || (next === 'offline' && lastEmitted === 'offline')) return;
    lastEmitted = next;
    try {
      o.onState({ state: next, qrUrl: url, at: Date.now() });
    } catch (err) {
      log.error({ err: describeError(err), state: next }, 'wechat state listener failed');
    }
  }

  function scheduleRestart(reason: string): void {
    if (stopping || restartTimer || restarting) return;
    const delay = Math.min(restartMaxDelayMs, restartDelayMs * 2 ** failures);
    failures++;
    if (loginDown) noteOutage(loginDown, delay);
    else log.warn({ reason, delayMs: delay }, 'wechat bot restarting');
    restartTimer = setTimeout(() => {
      restartTimer = null;
      restarting = true;
      restartPromise = restart().finally(() => {
        restarting = false;
        restartPromise = null;
        const again = pendingRestart;
        pendingRestart = null;
        if (again && !stopping) scheduleRestart(again);
      });
    }, delay);
  }

  /** Said once per outage, in words: each further attempt while it lasts is only debug. */
  function noteOutage(down: Unreachable, delayMs: number): void {
    const t = Date.now();
    const next = t + delayMs;
    const fields = { host: down.host, code: down.code, delayMs, nextAttemptAt: next };
    if (outage) {
      log.debug({ ...fields, since: outage.since }, 'wechat login server still unreachable');
      return;
    }
    outage = { ...down, since: t };
    log.warn(
      fields,
      `WeChat login server unreachable (${down.host}: ${down.code}); next attempt at ${clockTime(next, timezone)} (in ${inWords(delayMs)})`,
    );
  }

  /** The login server answered (a QR code, a login): the end of an outage, said once. */
  function loginServerReached(): void {
    loginDown = null;
    if (!outage) return;
    const downMs = Date.now() - outage.since;
    log.info(
      { host: outage.host, downMs },
      `WeChat login server reachable again (${outage.host}, after ${inWords(downMs)})`,
    );
    outage = null;
  }

  async function restart(): Promise<void> {
    restarts++;
    state = 'starting';
    try {
      await wechaty.stop();
    } catch (err) {
      log.warn({ err: describeError(err) }, 'wechat stop before restart failed');
    }
    if (stopping) return;
    try {
      await startWechaty();
    } catch (err) {
      state = 'offline';
      log.error({ err: describeError(err) }, 'wechat restart failed');
      pendingRestart = 'restart failed';
    }
  }

  /** Wechaty's start() resolves even when the puppet failed to start (it only emits `error`). */
  async function startWechaty(): Promise<void> {
    startInProgress = true;
    try {
      await wechaty.start();
    } finally {
      startInProgress = false;
    }
    if (!puppet.state.active()) throw new Error('the WeChat puppet did not start');
  }

  wechaty.on('scan', (qrcode, status) => {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) {
      log.info({ status: ScanStatus[status] }, 'wechat scan status');
      return;
    }
    loginServerReached();
    state = 'scanning';
    qrUrl = qrcodeValueToImageUrl(qrcode);
    // Not `url`: the logger redacts that key.
    log.info({ qrUrl }, 'wechat login: scan the QR code');
    emitState('scanning', qrUrl);
    if (qrOut) qrcodeTerminal.generate(qrcode, { small: true }, (art) => qrOut.write(`${art}\n`));
  });

  wechaty.on('login', (user) => {
    loginServerReached();
    state = 'online';
    qrUrl = undefined;
    failures = 0;
    log.info({ user: user.name() }, 'wechat logged in');
    emitState('online', null);
  });

  wechaty.on('logout', (user, reason) => {
    state = 'offline';
    log.warn({ user: user.name(), reason }, 'wechat logged out');
    emitState('offline', null);
    scheduleRestart('logout');
  });

  // A puppet that cannot reach WeChat repeats the same error many times a second: log it once a
  // minute with a count, so the hub's log stays readable.
  let lastError = { text: '', at: 0, suppressed: 0 };
  const logError = (text: string) => {
    const t = Date.now();
    if (text === lastError.text && t - lastError.at < ERROR_LOG_WINDOW_MS) {
      lastError.suppressed++;
      return;
    }
    if (lastError.suppressed > 0) {
      log.error({ err: lastError.text, repeated: lastError.suppressed }, 'wechat error repeated');
    }
    log.error({ err: text }, 'wechat error');
    lastError = { text, at: t, suppressed: 0 };
  };

  wechaty.on('error', (err) => {
    // Not logged in, a network failure is the login server's outage: said in words by
    // scheduleRestart, once, instead of this error at every attempt.
    const down = wechaty.isLoggedIn ? null : (rawDown ?? unreachableServer(err));
    rawDown = null;
    if (!wechaty.isLoggedIn) loginDown = down;
    if (!down) logError(describeError(err));
    // Wechaty also reports failures of single calls (an alias, a send); only a lost session restarts.
    if (!stopping && !startInProgress && !wechaty.isLoggedIn) {
      state = 'offline';
      emitState('offline', null);
      scheduleRestart('puppet error');
    }
  });

  wechaty.on('message', (message) => {
    const p = onMessage(message)
      .catch((err: unknown) => {
        log.error({ err: describeError(err) }, 'wechat message handling failed');
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  });

  async function onMessage(message: Message): Promise<void> {
    if (message.self()) return;
    if (message.type() !== types.Message.Text) return;
    const talker = message.talker();
    const room = message.room();
    lastMessageAt = Date.now();
    let text = message.text().trim();
    if (room) {
      if (await message.mentionSelf()) text = (await message.mentionText()).trim();
      else if (o.prefix && text.startsWith(o.prefix)) text = text.slice(o.prefix.length).trim();
      else return;
    } else if (o.prefix && text.startsWith(o.prefix)) {
      text = text.slice(o.prefix.length).trim();
    }
    const conversation = room ?? talker;
    const chatId = conversation.id;
    const deliver = deliverTo(conversation);

    let replies: Reply[];
    try {
      replies = await o.receive(await incoming(text, talker, room ?? null));
    } catch (err) {
      log.error({ err: describeError(err), chatId }, 'wechat handler failed');
      replies = [{ kind: 'text', text: errorText }];
    }
    const results = await sendInOrder(o.queue, chatId, deliver, replies);
    for (const r of results) {
      if (r.status === 'rejected')
        log.error({ err: describeError(r.reason), chatId }, 'wechat reply not delivered');
    }
  }

  async function incoming(
    text: string,
    talker: Contact,
    room: Room | null,
  ): Promise<IncomingMessage> {
    const alias = (await talker.alias()) ?? null;
    return {
      text,
      from: { id: talker.id, name: talker.name(), alias },
      room: room ? { id: room.id, topic: await room.topic() } : null,
      setAlias: (a) => setAlias(talker, a),
    };
  }

  async function setAlias(contact: Contact, alias: string): Promise<void> {
    // Wechaty swallows a failed alias call (it emits `error`), so check what WeChat kept.
    await contact.alias(alias);
    if ((await contact.alias()) !== alias) {
      throw new Error(`WeChat did not keep the alias "${alias}".`);
    }
    o.onBind?.({ contactId: contact.id, contactName: contact.name(), alias });
  }

  function assertOnline(what: string): void {
    if (state !== 'online' || !wechaty.isLoggedIn) {
      throw new SitewatchError(
        'BOT_OFFLINE',
        `The WeChat bot is not logged in (${state}); cannot send to ${what}.`,
      );
    }
  }

  async function push(conversation: Room | Contact, what: string, replies: Reply[]): Promise<void> {
    const results = await sendInOrder(o.queue, conversation.id, deliverTo(conversation), replies);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      throw new SitewatchError(
        'NOTIFY_SEND_FAILED',
        `WeChat message to ${what} not delivered: ${describeError(failed.reason)}`,
        { cause: failed.reason },
      );
    }
  }

  async function findRoom(topic: string, roomId: string | null): Promise<Room | undefined> {
    // Ids are per login session: a stored id may be stale. Searching by id first does not raise
    // Wechaty `error` events for an unknown id, as Room.find({ id }) would.
    if (roomId && (await wechaty.puppet.roomSearch({ id: roomId })).length > 0) {
      const room = await wechaty.Room.find({ id: roomId });
      if (room) return room;
    }
    return wechaty.Room.find({ topic });
  }

  async function lookup<T>(what: string, find: () => Promise<T | undefined>): Promise<T> {
    let found: T | undefined;
    try {
      found = await find();
    } catch (err) {
      throw new SitewatchError(
        'NOTIFY_SEND_FAILED',
        `Looking up ${what} in WeChat failed: ${describeError(err)}`,
        { cause: err },
      );
    }
    if (!found) {
      throw new SitewatchError(
        'NOTIFY_BAD_RECIPIENT',
        `${what[0].toUpperCase()}${what.slice(1)} is not in the bot's contact list.`,
      );
    }
    return found;
  }

  return {
    name: WECHAT,
    wechaty,
    async sendToRoom(topic, roomId, replies) {
      const what = `room "${topic}"`;
      assertOnline(what);
      const room = await lookup(what, () => findRoom(topic, roomId));
      await push(room, what, replies);
    },
    async sendToUser(login, replies) {
      const alias = aliasForLogin(login);
      const what = `user ${login}'s WeChat contact (alias "${alias}")`;
      assertOnline(`user ${login}`);
      const contact = await lookup(what, () => wechaty.Contact.find({ alias }));
      await push(contact, what, replies);
    },
    async start() {
      if (started && !stopping) return;
      stopping = false;
      started = true;
      state = 'starting';
      try {
        await startWechaty();
      } catch (err) {
        state = 'offline';
        log.error({ err: describeError(err) }, 'wechat start failed');
        scheduleRestart('start failed');
      }
    },
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = null;
      if (restartPromise) await restartPromise;
      await Promise.allSettled([...inFlight]);
      let drainTimer: NodeJS.Timeout | undefined;
      await Promise.race([
        o.queue.drain(),
        new Promise<void>((r) => (drainTimer = setTimeout(r, o.stopDrainMs ?? 10_000))),
      ]);
      clearTimeout(drainTimer);
      if (started) {
        await wechaty.stop().catch((err: unknown) => {
          log.warn({ err: describeError(err) }, 'wechat stop failed');
        });
      }
      started = false;
      state = 'offline';
    },
    health: () => ({
      state,
      ...(qrUrl ? { qrUrl } : {}),
      lastMessageAt,
      queueLength: o.queue.length(),
      restarts,
    }),
  };
}

/** "21:05:30" in `tz`. */
function clockTime(ms: number, tz: string): string {
  const w = wallClock(ms, tz);
  return [w.hour, w.minute, w.second].map((n) => String(n).padStart(2, '0')).join(':');
}

/** "850 ms", "8 s", "2 min 5 s". */
function inWords(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
