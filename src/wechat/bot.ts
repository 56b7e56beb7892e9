// The WeChat bot: Wechaty on a puppet, answers contacts and mentioning rooms through the outgoing queue, restarts itself.
import * as qrcodeTerminal from 'qrcode-terminal';
import { FileBox } from 'file-box';
import {
  ScanStatus,
  WechatyBuilder,
  qrcodeValueToImageUrl,
  types,
  type Contact,
  type Message,
  type Wechaty,
  type WechatyOptions,
} from 'wechaty';
import type { Caller, Reply, RoomContext } from '../../commands/types';
import { describeError } from '../errors';
import type { Logger } from '../log';
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
  /** The Wechaty instance (for pushes: find a room or contact and `say`). */
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
    if (qrOut) qrcodeTerminal.generate(qrcode, { small: true }, (art) => qrOut.write(`${art}\n`));
  });

  wechaty.on('login', (user) => {
    state = 'online';
    qrUrl = undefined;
    failures = 0;
    log.info({ user: user.name() }, 'wechat logged in');
  });

  wechaty.on('logout', (user, reason) => {
    state = 'offline';
    log.warn({ user: user.name(), reason }, 'wechat logged out');
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
    const deliver = async (part: Reply): Promise<void> => {
      if (part.kind === 'text') await conversation.say(part.text);
      else await conversation.say(FileBox.fromBase64(part.png.toString('base64'), part.name));
    };

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

  return {
    wechaty,
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
