// The WeChat bot: Wechaty on a puppet, answers contacts and mentioning rooms through the outgoing queue, pushes, restarts itself.
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
import type { Caller, Reply, RoomContext } from '../../commands/types';
import { SitewatchError, describeError } from '../errors';
import type { Logger } from '../log';
import { aliasForLogin } from './bindings';
import type { OutgoingQueue } from './outgoing-queue';

/** A puppet instance (as Wechaty takes it). */
export type PuppetInstance = NonNullable<Extract<WechatyOptions, { puppet?: object }>['puppet']>;

export interface MessageMeta {
  contactId: string;
  contactName: string;
  /** The alias (remark) the bot gave the contact, if any. */
  contactAlias: string | null;
  roomTopic: string | null;
  /** Give the talking contact an alias (remark), e.g. after binding; rejects if WeChat did not keep it. */
  setAlias: (alias: string) => Promise<void>;
}

export type MessageHandler = (
  text: string,
  caller: Caller | null,
  room: RoomContext | null,
  meta: MessageMeta,
) => Promise<Reply[]>;

export interface WechatBotOptions {
  /** Wechaty name: its session (memory card) is kept in `<name>.memory-card.json` (relative to cwd). */
  name: string;
  /** An installed puppet package's name (default wechaty-puppet-wechat4u), or a puppet instance. */
  puppet?: string | PuppetInstance;
  /** Options for a puppet given by name. */
  puppetOptions?: Record<string, unknown>;
  handle: MessageHandler;
  resolveCaller: (contact: {
    id: string;
    name: string;
    alias: string | null;
  }) => Promise<Caller | null>;
  resolveRoom: (room: { id: string; topic: string }) => Promise<RoomContext | null>;
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
  /** Where the login QR code is drawn (null: not drawn; the URL is logged either way). */
  qrOut?: NodeJS.WritableStream | null;
  /** Longest stop() waits for queued replies. */
  stopDrainMs?: number;
  /** Login state changes (scan with its QR URL, login, logout), e.g. for a "bot logged out" notice. */
  onState?: (e: BotStateEvent) => void;
}

export interface BotStateEvent {
  state: 'scanning' | 'online' | 'offline';
  /** The login QR code's URL while scanning; null otherwise. */
  qrUrl: string | null;
  at: number;
}

/** Identical puppet errors within this window are counted, not logged again. */
export const ERROR_LOG_WINDOW_MS = 60_000;

export type BotState = 'starting' | 'scanning' | 'online' | 'offline';

export interface BotHealth {
  state: BotState;
  qrUrl?: string;
  lastMessageAt: number | null;
  queueLength: number;
  restarts: number;
}

export interface WechatBot {
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): BotHealth;
  /**
   * Push to a room, found by its id in this session, else by its topic; through the outgoing queue,
   * resolving once every reply was delivered. Throws SitewatchError BOT_OFFLINE,
   * NOTIFY_BAD_RECIPIENT (no such room) or NOTIFY_SEND_FAILED.
   */
  sendToRoom(topic: string, roomId: string | null, replies: Reply[]): Promise<void>;
  /** Push to the contact bound to a user, found by its `sw-<login>` alias; errors as sendToRoom. */
  sendToUser(login: string, replies: Reply[]): Promise<void>;
  /** The Wechaty instance. */
  readonly wechaty: Wechaty;
}

export const DEFAULT_PUPPET = 'wechaty-puppet-wechat4u';
const DEFAULT_ERROR_TEXT = '抱歉，处理您的消息时出错了，请稍后再试。';

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
  const errorText = o.errorText ?? DEFAULT_ERROR_TEXT;
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
  let pendingRestart = false;
  let startInProgress = false; // errors while starting are the start's failure, handled there
  const inFlight = new Set<Promise<void>>();
  let lastEmitted: BotStateEvent['state'] | null = null;

  const deliverTo =
    (conversation: Room | Contact) =>
    async (part: Reply): Promise<void> => {
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
    log.warn({ reason, delayMs: delay }, 'wechat bot restarting');
    restartTimer = setTimeout(() => {
      restartTimer = null;
      restarting = true;
      restartPromise = restart().finally(() => {
        restarting = false;
        restartPromise = null;
        if (pendingRestart && !stopping) {
          pendingRestart = false;
          scheduleRestart('restart failed');
        }
      });
    }, delay);
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
      pendingRestart = true;
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
    state = 'scanning';
    qrUrl = qrcodeValueToImageUrl(qrcode);
    // Not `url`: the logger redacts that key.
    log.info({ qrUrl }, 'wechat login: scan the QR code');
    emitState('scanning', qrUrl);
    if (qrOut) qrcodeTerminal.generate(qrcode, { small: true }, (art) => qrOut.write(`${art}\n`));
  });

  wechaty.on('login', (user) => {
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
    logError(describeError(err));
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
      const alias = (await talker.alias()) ?? null;
      const meta: MessageMeta = {
        contactId: talker.id,
        contactName: talker.name(),
        contactAlias: alias,
        roomTopic: room ? await room.topic() : null,
        setAlias: (a) => setAlias(talker, a),
      };
      const caller = await o.resolveCaller({ id: talker.id, name: meta.contactName, alias });
      const roomContext =
        room && meta.roomTopic !== null
          ? await o.resolveRoom({ id: room.id, topic: meta.roomTopic })
          : null;
      replies = await o.handle(text, caller, roomContext, meta);
    } catch (err) {
      log.error({ err: describeError(err), chatId }, 'wechat handler failed');
      replies = [{ kind: 'text', text: errorText }];
    }
    // Queued in order, synchronously, so the queue keeps them in this order.
    const sends = replies.map((r) => o.queue.send(chatId, deliver, r));
    const results = await Promise.allSettled(sends);
    for (const r of results) {
      if (r.status === 'rejected')
        log.error({ err: describeError(r.reason), chatId }, 'wechat reply not delivered');
    }
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
    // Queued in order, synchronously, so the queue keeps them in this order.
    const sends = replies.map((r) => o.queue.send(conversation.id, deliverTo(conversation), r));
    const results = await Promise.allSettled(sends);
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
