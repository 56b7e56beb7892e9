// The WeCom transport: the intelligent robot's long connection (official @wecom/aibot-node-sdk WSClient), held by one hub under a lease; answers by stream with chart images, pushes through sendMessage.
import { createHash } from 'node:crypto';
import { WSAuthFailureError, WSClient, generateReqId, type WsFrame } from '@wecom/aibot-node-sdk';
import { sendable } from '../../../commands/reply';
import type { Reply } from '../../../commands/types';
import { HANDLER_FAILED_TEXT } from '../../chat/inbox';
import { type OutgoingQueue, sendInOrder } from '../../chat/outgoing-queue';
import type {
  ChatInbox,
  ChatTransport,
  TransportHealth,
  TransportState,
  TransportStateEvent,
} from '../../chat/transport';
import type { Lease, Leases } from '../../cluster/leases';
import { SitewatchError, describeError } from '../../errors';
import type { Logger } from '../../log';
import { splitText, utf8Length } from '../../present/split-text';

/** The transport's name, and the `transport` of its bindings, rooms and seen chats. */
export const WECOM = 'wecom';
/** The lease the hub holding the connection renews (WeCom keeps one connection per robot). */
export const WECOM_LEASE = 'transport:wecom';
/** WeCom's limit on a stream's (and a markdown push's) content, in UTF-8 bytes. */
export const WECOM_STREAM_MAX_BYTES = 20_480;
/** Most images one finished stream may carry (msg_item). */
export const WECOM_MAX_ITEMS = 10;
export const THINKING_TEXT = '查询中…';
export const BUSY_TEXT = '您的消息较多，前面的问题还在处理中，请稍后再发。';
export const UNSUPPORTED_TEXT = '目前只能回答文字消息。发送“帮助”查看可用命令。';
/** Said when the chart images were refused but the text can still go. */
export const IMAGES_REFUSED_TEXT = '（图表未能发送。）';

export interface WecomBotOptions {
  botId: string;
  /** Never logged: it goes only into the SDK's authentication frame. */
  secret: string;
  /** null: the SDK's wss://openws.work.weixin.qq.com. */
  wsUrl?: string | null;
  /** The shared message path (bindings keyed by 'wecom', room subscriptions, handler). */
  receive: ChatInbox;
  /** Pushes, and the parts of a long answer after the first. */
  queue: OutgoingQueue;
  log: Logger;
  /** Several hubs on one database take this lease before connecting; null: connect at once (one hub). */
  leases: Leases | null;
  leaseMs: number;
  /** A person's messages in progress at once; more get BUSY_TEXT. */
  maxInProgress: number;
  heartbeatMs?: number;
  /** First reconnect delay of the SDK (doubles up to 30 s). */
  reconnectDelayMs?: number;
  /** A chat talked to the robot (WeCom lets it push only to those). */
  noteChat?: (chatId: string, type: 'group' | 'single') => Promise<void>;
  /** Whether a chat talked to the robot, checked before a push. */
  chatSeen?: (chatId: string) => Promise<boolean>;
  /** The WeCom userid a Sitewatch user is bound by, for pushes to a user. */
  contactOf?: (login: string) => Promise<string | null>;
  onState?: (e: TransportStateEvent) => void;
  errorText?: string;
  /** Longest stop() waits for answers in progress and queued pushes. */
  stopDrainMs?: number;
}

export interface WecomBot extends ChatTransport {
  /** The SDK client (tests read its state). */
  readonly client: WSClient;
}

type MsgItem = { msgtype: 'image'; image: { base64: string; md5: string } };

interface Body {
  msgid?: string;
  chatid?: string;
  chattype?: 'single' | 'group';
  from?: { userid?: string };
  msgtype?: string;
  text?: { content?: string };
  voice?: { content?: string };
  mixed?: { msg_item?: { msgtype?: string; text?: { content?: string } }[] };
}

/** The text of a text, mixed or voice message (WeCom transcribes voice), without leading @-mentions; null for others. */
export function messageText(body: Body): string | null {
  let raw: string | undefined;
  if (body.msgtype === 'text') raw = body.text?.content;
  else if (body.msgtype === 'voice') raw = body.voice?.content;
  else if (body.msgtype === 'mixed') {
    const texts = (body.mixed?.msg_item ?? []).filter((i) => i.msgtype === 'text');
    // Images alone (no text item) are not a question the bot can read.
    if (texts.length > 0) raw = texts.map((i) => i.text?.content ?? '').join(' ');
  }
  if (typeof raw !== 'string') return null;
  // A group message names the robot first ("@Sitewatch 状态"); a reply may mention others too.
  return raw.replace(/^(?:\s*@\S+)+\s*/u, '').trim();
}

/** A PNG as a stream's msg_item: base64 and the md5 of the bytes, as WeCom checks them. */
export function msgItem(png: Buffer): MsgItem {
  return {
    msgtype: 'image',
    image: { base64: png.toString('base64'), md5: createHash('md5').update(png).digest('hex') },
  };
}

/** An SDK rejection (an Error, or the refusing ack frame itself) as words. */
function refusal(err: unknown): string {
  if (err && typeof err === 'object' && 'errcode' in err) {
    const f = err as { errcode: unknown; errmsg?: unknown };
    return `errcode ${String(f.errcode)} ${String(f.errmsg ?? '').slice(0, 200)}`.trim();
  }
  return describeError(err);
}

/** The SDK's log lines in ours: its errors are said again by this transport in words, so they are warnings here. */
function sdkLogger(log: Logger) {
  const line =
    (level: 'debug' | 'warn') =>
    (message: string, ...args: unknown[]) =>
      log[level](
        { sdk: args.map((a) => describeError(a)).join(' ') || undefined },
        `wecom sdk: ${message}`,
      );
  return { debug: line('debug'), info: line('debug'), warn: line('warn'), error: line('warn') };
}

export function createWecomBot(o: WecomBotOptions): WecomBot {
  const { log, queue } = o;
  const errorText = o.errorText ?? HANDLER_FAILED_TEXT;
  const client = new WSClient({
    botId: o.botId,
    secret: o.secret,
    wsUrl: o.wsUrl ?? undefined,
    heartbeatInterval: o.heartbeatMs ?? 30_000,
    reconnectInterval: o.reconnectDelayMs ?? 1000,
    // Reconnect for as long as this hub holds the lease; giving up is the lease's business.
    maxReconnectAttempts: -1,
    logger: sdkLogger(log),
  });

  let state: TransportState = 'offline';
  let since = Date.now();
  let holder: string | null = null;
  let lastMessageAt: number | null = null;
  let restarts = 0;
  let started = false;
  let stopping = false;
  let connected = false; // client.connect() called and not disconnected since
  let lease: Lease | null = null;
  let leaseTimer: NodeJS.Timeout | null = null;
  let lastEmitted: TransportStateEvent['state'] | null = null;
  // After being kicked off by another connection of the robot: not before this time again.
  let pausedUntil = 0;
  let authRefused = false;
  const inProgress = new Map<string, number>();
  const chains = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  // WeCom may deliver a callback again (a reconnect): each msgid is answered once.
  const seen = new Set<string>();
  const seenOrder: string[] = [];

  function setState(next: TransportState): void {
    if (next === state) return;
    state = next;
    since = Date.now();
    const event: TransportStateEvent['state'] | null =
      next === 'authenticated'
        ? 'online'
        : next === 'offline' || next === 'reconnecting'
          ? 'offline'
          : null;
    if (!event || stopping || !o.onState || event === lastEmitted) return;
    // A hub that never came online has nothing to report as lost.
    if (event === 'offline' && lastEmitted === null) return;
    lastEmitted = event;
    try {
      o.onState({ transport: WECOM, state: event, qrUrl: null, at: since });
    } catch (err) {
      log.error({ err: describeError(err), state: next }, 'wecom state listener failed');
    }
  }

  client.on('connected', () => setState('connecting'));
  client.on('authenticated', () => {
    holder = null;
    setState('authenticated');
    log.info({ botId: o.botId }, 'wecom robot connected');
  });
  client.on('reconnecting', (attempt: number) => {
    restarts++;
    setState('reconnecting');
    log.debug({ attempt }, 'wecom reconnecting');
  });
  client.on('disconnected', (reason: string) => {
    if (stopping || !connected) return;
    setState('reconnecting');
    log.warn({ reason }, 'wecom connection lost; reconnecting');
  });
  client.on('error', (err: Error) => {
    if (err instanceof WSAuthFailureError) {
      connected = false;
      authRefused = true;
      setState('offline');
      log.error(
        { botId: o.botId },
        "WeCom refused the robot's bot id or secret (wecomBot.botId / SITEWATCH_WECOM_BOT_SECRET); it stays offline until they are fixed and the hub restarts",
      );
      void giveUpLease();
      return;
    }
    log.debug({ err: describeError(err) }, 'wecom connection error');
  });
  client.on('event.disconnected_event', () => {
    // The SDK does not reconnect after this: a newer connection of the same robot took over.
    connected = false;
    pausedUntil = Date.now() + o.leaseMs;
    setState('offline');
    log.error(
      { botId: o.botId },
      'another connection of this WeCom robot took over (a second program, or a hub on another database); retrying after the lease time',
    );
  });
  client.on('message', (frame: WsFrame) => {
    const p = onMessage(frame)
      .catch((err: unknown) => log.error({ err: describeError(err) }, 'wecom message failed'))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  });

  function connect(): void {
    if (connected || stopping) return;
    connected = true;
    setState('connecting');
    client.connect();
  }

  function disconnect(): void {
    if (!connected) return;
    connected = false;
    try {
      client.disconnect();
    } catch (err) {
      log.debug({ err: describeError(err) }, 'wecom disconnect failed');
    }
  }

  function scheduleLease(delayMs: number): void {
    if (stopping) return;
    if (leaseTimer) clearTimeout(leaseTimer);
    leaseTimer = setTimeout(() => {
      leaseTimer = null;
      void leaseTick().catch((err: unknown) =>
        log.warn({ err: describeError(err) }, 'wecom lease check failed'),
      );
    }, delayMs);
  }

  /** Take the lease (or renew it), connect while held, stand by while another hub holds it. */
  async function leaseTick(): Promise<void> {
    if (stopping) return;
    const every = Math.max(250, Math.floor(o.leaseMs / 3));
    if (!o.leases) {
      connect();
      return;
    }
    try {
      if (lease) {
        if (!(await lease.renew())) {
          lease = null;
          disconnect();
          log.warn('the WeCom connection lease was lost (expired); another hub may take over');
        }
      }
      if (!lease) {
        lease = await o.leases.acquire(WECOM_LEASE, { ttlMs: o.leaseMs });
        if (!lease) {
          holder = await o.leases.holder(WECOM_LEASE);
          if (state !== 'standby') log.info({ holder }, 'wecom connection held by another hub');
          setState('standby');
        }
      }
      if (lease && !connected && !authRefused && Date.now() >= pausedUntil) connect();
    } finally {
      // Poll faster while standing by, so a dead holder is replaced soon after its lease expires.
      scheduleLease(lease ? every : Math.max(250, Math.floor(o.leaseMs / 4)));
    }
  }

  async function giveUpLease(): Promise<void> {
    const l = lease;
    lease = null;
    if (leaseTimer) clearTimeout(leaseTimer);
    leaseTimer = null;
    if (l) await l.release().catch(() => undefined);
  }

  function remember(msgid: string | undefined): boolean {
    if (!msgid) return true;
    if (seen.has(msgid)) return false;
    seen.add(msgid);
    seenOrder.push(msgid);
    if (seenOrder.length > 2000) seen.delete(seenOrder.shift()!);
    return true;
  }

  async function onMessage(frame: WsFrame): Promise<void> {
    const body = (frame.body ?? {}) as Body;
    const userid = body.from?.userid;
    if (!userid) {
      log.warn({ msgtype: body.msgtype }, 'wecom message without a sender ignored');
      return;
    }
    if (!remember(body.msgid)) return;
    lastMessageAt = Date.now();
    const group = body.chattype === 'group' && typeof body.chatid === 'string';
    const chatId = group ? body.chatid! : userid;
    o.noteChat?.(chatId, group ? 'group' : 'single').catch((err: unknown) =>
      log.warn({ err: describeError(err), chatId }, 'could not record the WeCom chat'),
    );
    const text = messageText(body);
    if (text === null) {
      await finish(
        frame,
        generateReqId('stream'),
        [{ kind: 'text', text: UNSUPPORTED_TEXT }],
        chatId,
      );
      return;
    }
    const busy = inProgress.get(userid) ?? 0;
    if (busy >= o.maxInProgress) {
      log.warn({ userid, inProgress: busy }, 'wecom: too many messages in progress; told to wait');
      await finish(frame, generateReqId('stream'), [{ kind: 'text', text: BUSY_TEXT }], chatId);
      return;
    }
    inProgress.set(userid, busy + 1);
    // One person's messages are answered one after another, in the order they came.
    const previous = chains.get(userid) ?? Promise.resolve();
    const mine = previous
      .then(() => answer(frame, text, userid, group ? { id: chatId } : null, chatId))
      .catch((err: unknown) =>
        log.error({ err: describeError(err), userid }, 'wecom answer failed'),
      )
      .finally(() => {
        const left = (inProgress.get(userid) ?? 1) - 1;
        if (left > 0) inProgress.set(userid, left);
        else inProgress.delete(userid);
        if (chains.get(userid) === mine) chains.delete(userid);
      });
    chains.set(userid, mine);
    await mine;
  }

  async function answer(
    frame: WsFrame,
    text: string,
    userid: string,
    room: { id: string } | null,
    chatId: string,
  ): Promise<void> {
    const streamId = generateReqId('stream');
    let replies: Reply[];
    try {
      replies = await o.receive({
        text,
        // WeCom shows the robot userids only; the userid is stable, so no alias is needed.
        from: { id: userid, name: userid, alias: null },
        room: room ? { id: room.id, topic: room.id } : null,
        setAlias: async () => undefined,
        // The SDK sends the frames of one req_id in order: this one goes before the final frame.
        working: () =>
          void client
            .replyStream(frame, streamId, THINKING_TEXT, false)
            .catch((err: unknown) =>
              log.warn({ err: refusal(err) }, 'wecom first stream frame refused'),
            ),
      });
    } catch (err) {
      log.error({ err: describeError(err), chatId }, 'wecom handler failed');
      replies = [{ kind: 'text', text: errorText }];
    }
    await finish(frame, streamId, replies, chatId);
  }

  /** The final stream frame: the text (as much as fits) and up to ten charts; the rest as pushes. */
  async function finish(
    frame: WsFrame,
    streamId: string,
    given: Reply[],
    chatId: string,
  ): Promise<void> {
    const replies = given.map(sendable);
    const texts = replies.filter((r) => r.kind === 'text').map((r) => r.text);
    const images = replies.filter(
      (r): r is Extract<Reply, { kind: 'image' }> => r.kind === 'image',
    );
    const parts = splitText(texts.join('\n\n'), WECOM_STREAM_MAX_BYTES, utf8Length);
    const first = parts[0] ?? images.map((i) => i.alt).join('\n');
    const items = images.slice(0, WECOM_MAX_ITEMS).map((i) => msgItem(i.png));
    try {
      await client.replyStream(frame, streamId, first, true, items);
    } catch (err) {
      if (items.length === 0) throw new Error(`stream reply refused: ${refusal(err)}`);
      // The images were refused (size, format): the text still goes.
      log.warn({ err: refusal(err), chatId }, 'wecom stream with images refused; sending the text');
      await client.replyStream(frame, streamId, `${first}\n${IMAGES_REFUSED_TEXT}`, true);
    }
    const rest: Reply[] = [
      ...parts.slice(1).map((t): Reply => ({ kind: 'text', text: t })),
      ...images.slice(WECOM_MAX_ITEMS),
    ];
    if (rest.length === 0) return;
    const results = await sendInOrder(queue, chatId, deliverTo(chatId), rest);
    for (const r of results)
      if (r.status === 'rejected')
        log.error({ err: describeError(r.reason), chatId }, 'wecom reply part not delivered');
  }

  function deliverTo(chatId: string) {
    return async (reply: Reply): Promise<void> => {
      const part = sendable(reply);
      if (!canPush())
        throw new SitewatchError('BOT_OFFLINE', `The WeCom robot is not connected (${state}).`);
      try {
        if (part.kind === 'text') {
          await client.sendMessage(chatId, {
            msgtype: 'markdown',
            markdown: { content: part.text },
          });
        } else {
          const media = await client.uploadMedia(part.png, { type: 'image', filename: part.name });
          await client.sendMediaMessage(chatId, 'image', media.media_id);
        }
      } catch (err) {
        throw new SitewatchError(
          'NOTIFY_SEND_FAILED',
          `WeCom refused the ${part.kind}: ${refusal(err)}`,
          {
            cause: err,
          },
        );
      }
    };
  }

  const canPush = () => state === 'authenticated' && client.isConnected;

  async function push(chatId: string, what: string, replies: Reply[]): Promise<void> {
    if (!canPush()) {
      throw new SitewatchError(
        'BOT_OFFLINE',
        `The WeCom robot is not connected (${state}); cannot send to ${what}.`,
      );
    }
    if (o.chatSeen && !(await o.chatSeen(chatId))) {
      throw new SitewatchError(
        'NOTIFY_BAD_RECIPIENT',
        `${what} has never talked to the WeCom robot, and WeCom lets a robot push only to chats that did: @-mention the robot there once.`,
      );
    }
    const results = await sendInOrder(queue, chatId, deliverTo(chatId), replies);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      throw new SitewatchError(
        'NOTIFY_SEND_FAILED',
        `WeCom message to ${what} not delivered: ${describeError(failed.reason)}`,
        { cause: failed.reason },
      );
    }
  }

  return {
    name: WECOM,
    client,
    async sendToRoom(topic, roomId, replies) {
      // A WeCom room's topic is its chatid.
      await push(roomId ?? topic, `WeCom chat ${topic}`, replies);
    },
    async sendToUser(login, replies) {
      if (!canPush()) {
        throw new SitewatchError(
          'BOT_OFFLINE',
          `The WeCom robot is not connected (${state}); cannot send to user ${login}.`,
        );
      }
      const userid = o.contactOf ? await o.contactOf(login) : null;
      if (!userid) {
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          `User ${login} has not bound WeCom (绑定 in a chat with the robot).`,
        );
      }
      await push(userid, `user ${login}'s WeCom chat`, replies);
    },
    async start() {
      if (started && !stopping) return;
      started = true;
      stopping = false;
      await leaseTick();
    },
    async stop() {
      if (!started) return;
      stopping = true;
      if (leaseTimer) clearTimeout(leaseTimer);
      leaseTimer = null;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]).then(() => queue.drain()),
        new Promise<void>((r) => (timer = setTimeout(r, o.stopDrainMs ?? 10_000))),
      ]);
      clearTimeout(timer);
      disconnect();
      await giveUpLease();
      started = false;
      state = 'offline';
    },
    health(): TransportHealth {
      let pending = 0;
      for (const n of inProgress.values()) pending += n;
      return {
        state,
        since,
        holder,
        lastMessageAt,
        queueLength: queue.length() + pending,
        restarts,
      };
    },
  };
}
