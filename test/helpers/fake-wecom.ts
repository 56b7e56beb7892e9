// A fake of WeCom's intelligent-robot (智能机器人) long-connection server on loopback (ws), checking frames as @wecom/aibot-node-sdk sends them.
/*
 * Protocol reference: @wecom/aibot-node-sdk 1.0.7, dist/index.cjs.js (WsCmd, WsConnectionManager,
 * WSClient) and dist/types/*.d.ts. Every frame is JSON `{ cmd, headers: { req_id }, body }`.
 *
 * Client → server (WsCmd):
 *   aibot_subscribe            SUBSCRIBE          body { bot_id, secret } — the first frame of a connection
 *   ping                       HEARTBEAT          no body
 *   aibot_respond_msg          RESPONSE           reply to a callback's req_id: body { msgtype: 'stream', stream: { id, finish, content, msg_item? } } …
 *   aibot_respond_welcome_msg  RESPONSE_WELCOME   reply to an enter_chat event's req_id
 *   aibot_respond_update_msg   RESPONSE_UPDATE    reply to a template_card_event's req_id
 *   aibot_send_msg             SEND_MSG           body { chatid, msgtype: 'markdown' | 'template_card' | 'image' | 'file' | 'voice' | 'video', … }
 *   aibot_upload_media_init    UPLOAD_MEDIA_INIT  body { type, filename, total_size, total_chunks, md5 } → ack body { upload_id }
 *   aibot_upload_media_chunk   UPLOAD_MEDIA_CHUNK body { upload_id, chunk_index, base64_data }
 *   aibot_upload_media_finish  UPLOAD_MEDIA_FINISH body { upload_id } → ack body { type, media_id, created_at }
 * Server → client:
 *   aibot_msg_callback         CALLBACK           body { msgid, aibotid, chatid?, chattype, from: { userid }, create_time, msgtype, … }
 *   aibot_event_callback       EVENT_CALLBACK     body { …, msgtype: 'event', event: { eventtype } }; eventtype
 *                                                 'disconnected_event' tells an old connection a newer one took over
 *   ack                        (no cmd)           { headers: { req_id }, errcode, errmsg } (+ body for uploads). The SDK
 *                              routes an ack by req_id alone: prefix 'aibot_subscribe' → auth, prefix 'ping' → heartbeat,
 *                              otherwise the pending reply with that req_id (a non-zero errcode rejects it with the ack frame).
 *
 * The fake's choices where the SDK and what we found say nothing:
 * - Callbacks pushed while no connection is authenticated are queued and delivered, in order, to the next
 *   connection that authenticates. A delivered req_id stays answerable from any later connection.
 * - A chat "has talked to the robot" once a callback from it was delivered (single: the userid, group: the chatid);
 *   aibot_send_msg to any other chatid is refused (WeCom only lets a robot push to chats that talked to it).
 * - The kicked connection is closed right after its disconnected_event (the real server was seen closing it
 *   2 s to 5 min later; the SDK terminates the socket itself on the event anyway).
 * - chunk_index is 0-based, as the SDK sends it (its .d.ts says "从 1 开始", its code counts from 0).
 * - Streams do not expire (WeCom's 6-minute limit is not modelled); upload size limits per media type are not modelled.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer, type RawData } from 'ws';

/**
 * Error codes in acks. Where each comes from:
 * - 853000, 846605: seen from the real server by a probe of the official Python SDK
 *   (github tangnie001-stack/corporate_rag, docs/agents/wecom-sdk-facts.md): a wrong secret is answered
 *   `853000 invalid bot_id or secret`; replying to an enter_chat event's req_id `846605 invalid req_id`.
 * - 846608: `stream message update expired`, handled by a WeCom plugin built on this SDK (@yanhaidao/wecom);
 *   the fake answers it to a frame for a stream that already finished.
 * - 400xx / 45002 / 45033: WeCom's global error codes (全局错误码, read through a mirror of that page):
 *   40004 invalid media type, 40005 invalid type, 40006 invalid file size, 40007 invalid media_id,
 *   40008 invalid msgtype, 40009 invalid image size, 40058 invalid request parameter (also seen from
 *   WeCom in WecomTeam/wecom-cli issue 24), 45002 content over the size limit, 45033 too many concurrent calls. That WeCom uses exactly these here
 *   (45033 for a 4th unfinished stream, 40058 for a wrong md5) is the fake's guess.
 * - 99000x: the fake's own codes; WeCom's codes for these rules were not found.
 */
export const ERR = {
  INVALID_CREDENTIALS: 853000,
  INVALID_REQ_ID: 846605,
  STREAM_EXPIRED: 846608,
  INVALID_MEDIA_TYPE: 40004,
  INVALID_TYPE: 40005,
  INVALID_FILE_SIZE: 40006,
  INVALID_MEDIA_ID: 40007,
  INVALID_MSGTYPE: 40008,
  INVALID_IMAGE_SIZE: 40009,
  INVALID_PARAMETER: 40058,
  CONTENT_TOO_LONG: 45002,
  TOO_MANY_STREAMS: 45033,
  NOT_TALKED: 990001,
  NOT_SUBSCRIBED: 990002,
} as const;

/** Limits from the SDK's documentation of the bodies (dist/types/api.d.ts) and uploadMedia. */
export const LIMITS = {
  /** stream.content and markdown.content, UTF-8 bytes. */
  contentBytes: 20480,
  /** stream.msg_item entries, only with finish=true. */
  msgItems: 10,
  /** A msg_item image before base64. */
  imageBytes: 10 * 1024 * 1024,
  /** Unfinished streams one user may have at a time (WeCom's rule as our brief states it; not in the SDK). */
  unfinishedStreams: 3,
  /** An upload chunk before base64, and chunks per upload. */
  chunkBytes: 512 * 1024,
  chunks: 100,
} as const;

const CMD = {
  SUBSCRIBE: 'aibot_subscribe',
  HEARTBEAT: 'ping',
  RESPONSE: 'aibot_respond_msg',
  RESPONSE_WELCOME: 'aibot_respond_welcome_msg',
  RESPONSE_UPDATE: 'aibot_respond_update_msg',
  SEND_MSG: 'aibot_send_msg',
  UPLOAD_MEDIA_INIT: 'aibot_upload_media_init',
  UPLOAD_MEDIA_CHUNK: 'aibot_upload_media_chunk',
  UPLOAD_MEDIA_FINISH: 'aibot_upload_media_finish',
  CALLBACK: 'aibot_msg_callback',
  EVENT_CALLBACK: 'aibot_event_callback',
} as const;

const MEDIA_TYPES = ['file', 'image', 'voice', 'video'];

// Captured at import, so that waitFor still polls when a test has installed jest's fake timers.
const realSetTimeout = globalThis.setTimeout;
const POLL_MS = 5;

type Obj = Record<string, unknown>;

/** A frame as a client sent it: its connection (1, 2, … in order of arrival), when, the text, and the JSON if it parsed to an object. */
export interface ClientFrame {
  conn: number;
  at: number;
  raw: string;
  frame?: Obj;
}

/** A frame the server sent: to which connection, when, the text. */
export interface ServerFrame {
  conn: number;
  at: number;
  raw: string;
}

export interface ReplyImage {
  msgtype: 'image';
  image: { base64: string; md5: string };
}

/** An accepted `stream` of an aibot_respond_msg, as sent. */
export interface StreamReply {
  id: string;
  finish?: boolean;
  content?: string;
  msg_item?: ReplyImage[];
  feedback?: { id: string };
}

export type MixedItem =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { url: string; aeskey?: string } };

export interface Upload {
  uploadId: string;
  conn: number;
  type: string;
  filename: string;
  totalSize: number;
  totalChunks: number;
  md5?: string;
  chunks: Map<number, Buffer>;
  /** Set by a successful aibot_upload_media_finish. */
  mediaId?: string;
  bytes?: Buffer;
}

/** A callback the fake made (message or event), and whether it has reached a connection yet. */
export interface Callback {
  reqId: string;
  cmd: 'aibot_msg_callback' | 'aibot_event_callback';
  body: Obj;
  userid?: string;
  /** The chat it came from: the chatid in a group, the userid in a single chat. */
  chat?: string;
  eventtype?: string;
  /** The connection it was delivered to; undefined while queued. */
  deliveredTo?: number;
}

export interface FakeWeComOptions {
  botId?: string;
  secret?: string;
  /** The robot's display name, which a group @-mention starts with. */
  botName?: string;
  /** Clock for frame timestamps and create_time (ms). */
  now?: () => number;
}

interface Conn {
  n: number;
  ws: WebSocket;
  authenticated: boolean;
  open: boolean;
}

interface Failure {
  cmd: string;
  remaining: number;
  errcode: number;
  errmsg: string;
}

class Refusal {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {}
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isBase64(s: unknown): s is string {
  return typeof s === 'string' && Buffer.from(s, 'base64').toString('base64') === s;
}

function md5(b: Buffer): string {
  return createHash('md5').update(b).digest('hex');
}

function isPngOrJpeg(b: Buffer): boolean {
  const png = b
    .subarray(0, 8)
    .equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const jpeg = b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
  return png || jpeg;
}

function clip(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export class FakeWeCom {
  readonly botId: string;
  readonly secret: string;
  readonly botName: string;
  /** Every client frame, in order of arrival. */
  readonly frames: ClientFrame[] = [];
  /** Every frame the server sent (acks, callbacks, sendRaw), in order. */
  readonly serverFrames: ServerFrame[] = [];
  /** What the server found wrong with what clients sent (stays empty when the client behaves). */
  readonly problems: string[] = [];
  readonly uploads: Upload[] = [];
  /** Upgrade requests turned away while refuseConnections(true). */
  refused = 0;
  /** Set false to stop acking pings (the SDK then counts missed pongs and reconnects). */
  answerPings = true;

  private readonly wss: WebSocketServer;
  private readonly now: () => number;
  private readonly conns = new Map<number, Conn>();
  private nextConn = 1;
  private refusing = false;
  private readonly callbacks = new Map<string, Callback>();
  private readonly queue: Callback[] = [];
  private readonly talked = new Set<string>();
  private readonly streams = new Map<string, { userid: string; finished: boolean }>();
  private readonly accepted = new Map<string, { cmd: string; body: Obj }[]>();
  private readonly sentBodies: Obj[] = [];
  private readonly failures: Failure[] = [];
  private closed = false;

  /** Resolves once the server listens (startFakeWeCom awaits it). */
  readonly listening: Promise<void>;

  constructor(options: FakeWeComOptions = {}) {
    this.wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      verifyClient: (_info, cb) =>
        this.admit() ? cb(true) : cb(false, 503, 'Service Unavailable'),
    });
    this.listening = new Promise<void>((resolve, reject) => {
      this.wss.once('listening', () => resolve());
      this.wss.once('error', reject);
    });
    this.botId = options.botId ?? 'aibFakeBot0001';
    this.secret = options.secret ?? 'fake-secret-not-real-0123456789';
    this.botName = options.botName ?? 'Sitewatch';
    this.now = options.now ?? Date.now;
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  /** ws://127.0.0.1:<port> */
  get url(): string {
    return `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Connection numbers whose socket is open. */
  openConnections(): number[] {
    return [...this.conns.values()].filter((c) => c.open).map((c) => c.n);
  }

  /** Connection numbers that authenticated and were not kicked or closed since (at most one). */
  authenticatedConnections(): number[] {
    return [...this.conns.values()].filter((c) => c.open && c.authenticated).map((c) => c.n);
  }

  /** The client frames with this cmd, in order. */
  framesOf(cmd: string): ClientFrame[] {
    return this.frames.filter((f) => f.frame?.cmd === cmd);
  }

  /** Push a text message. In a group (chatId given) the content is prefixed `@<botName> ` unless mention is false. */
  text(m: { from: string; content: string; chatId?: string; mention?: boolean }): string {
    const content =
      m.chatId !== undefined && m.mention !== false ? `@${this.botName} ${m.content}` : m.content;
    return this.message(m.from, m.chatId, { msgtype: 'text', text: { content } });
  }

  /** Push a mixed (图文混排) message; in a group the first text item is prefixed `@<botName> ` (one is added if none). */
  mixed(m: { from: string; items: MixedItem[]; chatId?: string; mention?: boolean }): string {
    let items = m.items;
    if (m.chatId !== undefined && m.mention !== false) {
      const i = items.findIndex((it) => it.msgtype === 'text');
      const at = `@${this.botName}`;
      items =
        i < 0
          ? [{ msgtype: 'text', text: { content: at } }, ...items]
          : items.map((it, j) =>
              j === i && it.msgtype === 'text'
                ? { msgtype: 'text', text: { content: `${at} ${it.text.content}` } }
                : it,
            );
    }
    return this.message(m.from, m.chatId, { msgtype: 'mixed', mixed: { msg_item: items } });
  }

  /** Push an event callback (enter_chat, template_card_event, feedback_event, …); `data` is merged into body.event. */
  event(e: { from: string; eventtype: string; chatId?: string; data?: Obj }): string {
    const reqId = this.newId();
    const body: Obj = {
      msgid: this.newId(),
      create_time: Math.floor(this.now() / 1000),
      aibotid: this.botId,
      ...(e.chatId !== undefined ? { chatid: e.chatId } : {}),
      chattype: e.chatId !== undefined ? 'group' : 'single',
      from: { userid: e.from },
      msgtype: 'event',
      event: { eventtype: e.eventtype, ...e.data },
    };
    this.push({
      reqId,
      cmd: CMD.EVENT_CALLBACK,
      body,
      userid: e.from,
      chat: e.chatId ?? e.from,
      eventtype: e.eventtype,
    });
    return reqId;
  }

  /** The callback pushed with this req_id (its body as sent, whether delivered). */
  callback(reqId: string): Callback | undefined {
    return this.callbacks.get(reqId);
  }

  /** Whether a chat (a group's chatid or a user's userid) has talked to the robot. */
  hasTalked(chat: string): boolean {
    return this.talked.has(chat);
  }

  /** The accepted stream frames answering a callback, in order. */
  replies(reqId: string): StreamReply[] {
    return (this.accepted.get(reqId) ?? [])
      .filter((r) => r.cmd === CMD.RESPONSE && isObj(r.body.stream))
      .map((r) => r.body.stream as StreamReply);
  }

  /** Every accepted reply to a callback (aibot_respond_msg / _welcome_msg / _update_msg), in order. */
  responses(reqId: string): { cmd: string; body: Obj }[] {
    return [...(this.accepted.get(reqId) ?? [])];
  }

  /** The accepted aibot_send_msg bodies to a chat, in order. */
  sent(chatId: string): Obj[] {
    return this.sentBodies.filter((b) => b.chatid === chatId);
  }

  /** The next `count` frames with this cmd are answered with this errcode and otherwise ignored (not problems). */
  failNext(cmd: string, count: number, errcode: number, errmsg = 'system busy'): void {
    this.failures.push({ cmd, remaining: count, errcode, errmsg });
  }

  /** Turn new upgrade requests away with HTTP 503 (true) or accept them again (false). */
  refuseConnections(refuse: boolean): void {
    this.refusing = refuse;
  }

  /** Cut every connection abruptly from the server side (no close frame). Returns how many. */
  drop(): number {
    const open = [...this.conns.values()].filter((c) => c.open);
    for (const c of open) {
      c.authenticated = false;
      c.ws.terminate();
    }
    return open.length;
  }

  /** Send text as is to one connection, or to every open one. Returns how many got it. */
  sendRaw(text: string, conn?: number): number {
    const targets = [...this.conns.values()].filter(
      (c) => c.open && (conn === undefined || c.n === conn),
    );
    for (const c of targets) this.sendText(c, text);
    return targets.length;
  }

  /** Poll (every 5 ms, real timers) until predicate holds; rejects after about timeoutMs. */
  async waitFor(predicate: () => boolean, timeoutMs = 2000, what = 'the condition'): Promise<void> {
    for (let waited = 0; !predicate(); waited += POLL_MS) {
      if (waited >= timeoutMs)
        throw new Error(`fake WeCom: ${what} did not hold within ${timeoutMs} ms`);
      await new Promise((r) => realSetTimeout(r, POLL_MS));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.refusing = true;
    for (const c of this.conns.values()) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private admit(): boolean {
    if (this.refusing) this.refused++;
    return !this.refusing;
  }

  private onConnection(ws: WebSocket): void {
    const conn: Conn = { n: this.nextConn++, ws, authenticated: false, open: true };
    this.conns.set(conn.n, conn);
    ws.on('message', (data) => this.onMessage(conn, rawText(data)));
    ws.on('close', () => {
      conn.open = false;
      conn.authenticated = false;
    });
    ws.on('error', (err) => this.problem(conn, `socket error: ${err.message}`));
  }

  private problem(conn: Conn, what: string): void {
    this.problems.push(`connection ${conn.n}: ${what}`);
  }

  private newId(): string {
    return randomBytes(16).toString('hex');
  }

  private sendText(conn: Conn, raw: string): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(raw);
    this.serverFrames.push({ conn: conn.n, at: this.now(), raw });
  }

  private ack(conn: Conn, reqId: string, errcode = 0, errmsg = 'ok', body?: Obj): void {
    this.sendText(
      conn,
      JSON.stringify({ headers: { req_id: reqId }, errcode, errmsg, ...(body ? { body } : {}) }),
    );
  }

  private refuse(conn: Conn, cmd: string, reqId: string, r: Refusal): void {
    this.problem(conn, `${cmd} refused with ${r.errcode}: ${r.errmsg}`);
    this.ack(conn, reqId, r.errcode, r.errmsg);
  }

  private message(from: string, chatId: string | undefined, content: Obj): string {
    const reqId = this.newId();
    const body: Obj = {
      msgid: this.newId(),
      aibotid: this.botId,
      ...(chatId !== undefined ? { chatid: chatId } : {}),
      chattype: chatId !== undefined ? 'group' : 'single',
      from: { userid: from },
      create_time: Math.floor(this.now() / 1000),
      ...content,
    };
    this.push({ reqId, cmd: CMD.CALLBACK, body, userid: from, chat: chatId ?? from });
    return reqId;
  }

  private current(): Conn | undefined {
    return [...this.conns.values()].find(
      (c) => c.open && c.authenticated && c.ws.readyState === WebSocket.OPEN,
    );
  }

  private push(cb: Callback): void {
    this.callbacks.set(cb.reqId, cb);
    const target = this.current();
    if (target) this.deliver(target, cb);
    else this.queue.push(cb);
  }

  private deliver(conn: Conn, cb: Callback): void {
    this.sendText(
      conn,
      JSON.stringify({ cmd: cb.cmd, headers: { req_id: cb.reqId }, body: cb.body }),
    );
    cb.deliveredTo = conn.n;
    if (cb.chat !== undefined) this.talked.add(cb.chat);
  }

  private onMessage(conn: Conn, raw: string): void {
    const at = this.now();
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      this.frames.push({ conn: conn.n, at, raw });
      this.problem(conn, `not JSON: ${clip(raw)}`);
      return;
    }
    if (!isObj(parsed)) {
      this.frames.push({ conn: conn.n, at, raw });
      this.problem(conn, `not a JSON object: ${clip(raw)}`);
      return;
    }
    this.frames.push({ conn: conn.n, at, raw, frame: parsed });
    const headers = parsed.headers;
    const reqId =
      isObj(headers) && typeof headers.req_id === 'string' && headers.req_id !== ''
        ? headers.req_id
        : undefined;
    const cmd = parsed.cmd;
    if (typeof cmd !== 'string' || cmd === '') {
      if (reqId === undefined) this.problem(conn, `frame without cmd: ${clip(raw)}`);
      else this.refuse(conn, '(no cmd)', reqId, new Refusal(ERR.INVALID_PARAMETER, 'missing cmd'));
      return;
    }
    if (reqId === undefined) {
      this.problem(conn, `${cmd} without headers.req_id`);
      return;
    }
    if (!conn.authenticated && cmd !== CMD.SUBSCRIBE) {
      this.refuse(
        conn,
        cmd,
        reqId,
        new Refusal(ERR.NOT_SUBSCRIBED, 'not subscribed: send aibot_subscribe first'),
      );
      return;
    }
    const failure = this.failures.find((f) => f.cmd === cmd && f.remaining > 0);
    if (failure) {
      failure.remaining--;
      this.ack(conn, reqId, failure.errcode, failure.errmsg);
      return;
    }
    const body = isObj(parsed.body) ? parsed.body : undefined;
    let result: Refusal | Obj | undefined;
    switch (cmd) {
      case CMD.SUBSCRIBE:
        return this.subscribe(conn, reqId, body);
      case CMD.HEARTBEAT:
        if (this.answerPings) this.ack(conn, reqId);
        return;
      case CMD.RESPONSE:
      case CMD.RESPONSE_WELCOME:
      case CMD.RESPONSE_UPDATE:
        result = this.respond(cmd, reqId, body);
        break;
      case CMD.SEND_MSG:
        result = this.sendMsg(body);
        break;
      case CMD.UPLOAD_MEDIA_INIT:
        result = this.uploadInit(conn, body);
        break;
      case CMD.UPLOAD_MEDIA_CHUNK:
        result = this.uploadChunk(body);
        break;
      case CMD.UPLOAD_MEDIA_FINISH:
        result = this.uploadFinish(body);
        break;
      default:
        result = new Refusal(ERR.INVALID_PARAMETER, `unknown cmd ${cmd}`);
    }
    if (result instanceof Refusal) this.refuse(conn, cmd, reqId, result);
    else this.ack(conn, reqId, 0, 'ok', result);
  }

  private subscribe(conn: Conn, reqId: string, body: Obj | undefined): void {
    if (body?.bot_id !== this.botId || body?.secret !== this.secret) {
      this.refuse(
        conn,
        CMD.SUBSCRIBE,
        reqId,
        new Refusal(ERR.INVALID_CREDENTIALS, 'invalid bot_id or secret'),
      );
      return;
    }
    if (conn.authenticated)
      this.problem(conn, 'aibot_subscribe again on an authenticated connection');
    conn.authenticated = true;
    this.ack(conn, reqId);
    for (const other of this.conns.values()) {
      if (other === conn || !other.authenticated) continue;
      other.authenticated = false;
      const kick = {
        cmd: CMD.EVENT_CALLBACK,
        headers: { req_id: this.newId() },
        body: {
          msgid: this.newId(),
          aibotid: this.botId,
          create_time: Math.floor(this.now() / 1000),
          msgtype: 'event',
          event: { eventtype: 'disconnected_event' },
        },
      };
      this.sendText(other, JSON.stringify(kick));
      other.ws.close(1000, 'a new connection took over');
    }
    while (this.queue.length > 0 && conn.authenticated) this.deliver(conn, this.queue.shift()!);
  }

  private respond(cmd: string, reqId: string, body: Obj | undefined): Refusal | undefined {
    const cb = this.callbacks.get(reqId);
    if (!cb || cb.deliveredTo === undefined)
      return new Refusal(ERR.INVALID_REQ_ID, 'invalid req_id: no such callback was delivered');
    if (!body) return new Refusal(ERR.INVALID_PARAMETER, 'body missing');
    let refusal: Refusal | undefined;
    if (cmd === CMD.RESPONSE) {
      if (cb.cmd !== CMD.CALLBACK)
        return new Refusal(ERR.INVALID_REQ_ID, 'invalid req_id: not a message callback');
      refusal = this.checkResponse(cb, reqId, body);
    } else if (cmd === CMD.RESPONSE_WELCOME) {
      if (cb.eventtype !== 'enter_chat')
        return new Refusal(ERR.INVALID_REQ_ID, 'invalid req_id: not an enter_chat event');
      if (body.msgtype === 'text') refusal = this.checkContent(body.text, 'text.content');
      else if (body.msgtype === 'template_card') refusal = this.checkCard(body.template_card);
      else refusal = new Refusal(ERR.INVALID_MSGTYPE, `invalid msgtype ${String(body.msgtype)}`);
    } else {
      if (cb.eventtype !== 'template_card_event')
        return new Refusal(ERR.INVALID_REQ_ID, 'invalid req_id: not a template_card_event');
      if (body.response_type !== 'update_template_card')
        return new Refusal(ERR.INVALID_PARAMETER, 'response_type must be update_template_card');
      refusal = this.checkCard(body.template_card);
    }
    if (refusal) return refusal;
    const list = this.accepted.get(reqId) ?? [];
    list.push({ cmd, body });
    this.accepted.set(reqId, list);
    return undefined;
  }

  private checkResponse(cb: Callback, reqId: string, body: Obj): Refusal | undefined {
    switch (body.msgtype) {
      case 'stream':
        return this.checkStream(cb, reqId, body.stream);
      case 'stream_with_template_card':
        if (body.template_card !== undefined) {
          const r = this.checkCard(body.template_card);
          if (r) return r;
        }
        return this.checkStream(cb, reqId, body.stream);
      case 'template_card':
        return this.checkCard(body.template_card);
      case 'markdown':
        return this.checkContent(body.markdown, 'markdown.content');
      case 'text':
        return this.checkContent(body.text, 'text.content');
      case 'image':
      case 'file':
      case 'voice':
      case 'video':
        return this.checkMedia(body.msgtype, body[body.msgtype]);
      default:
        return new Refusal(ERR.INVALID_MSGTYPE, `invalid msgtype ${String(body.msgtype)}`);
    }
  }

  private checkStream(cb: Callback, reqId: string, stream: unknown): Refusal | undefined {
    if (!isObj(stream)) return new Refusal(ERR.INVALID_PARAMETER, 'stream missing');
    if (typeof stream.id !== 'string' || stream.id === '')
      return new Refusal(ERR.INVALID_PARAMETER, 'stream.id missing');
    if (stream.finish !== undefined && typeof stream.finish !== 'boolean')
      return new Refusal(ERR.INVALID_PARAMETER, 'stream.finish is not a boolean');
    const finish = stream.finish === true;
    if (stream.content !== undefined) {
      if (typeof stream.content !== 'string')
        return new Refusal(ERR.INVALID_PARAMETER, 'stream.content is not a string');
      const bytes = Buffer.byteLength(stream.content, 'utf8');
      if (bytes > LIMITS.contentBytes)
        return new Refusal(
          ERR.CONTENT_TOO_LONG,
          `stream.content is ${bytes} bytes, over ${LIMITS.contentBytes}`,
        );
    }
    if (stream.msg_item !== undefined) {
      const r = this.checkItems(stream.msg_item, finish);
      if (r) return r;
    }
    const key = `${reqId}\n${stream.id}`;
    const known = this.streams.get(key);
    if (known?.finished)
      return new Refusal(
        ERR.STREAM_EXPIRED,
        `stream message update expired: stream ${stream.id} already finished`,
      );
    const userid = cb.userid ?? '';
    if (!known && !finish) {
      const open = [...this.streams.values()].filter(
        (s) => s.userid === userid && !s.finished,
      ).length;
      if (open >= LIMITS.unfinishedStreams)
        return new Refusal(
          ERR.TOO_MANY_STREAMS,
          `user ${userid} already has ${open} unfinished streams (at most ${LIMITS.unfinishedStreams})`,
        );
    }
    this.streams.set(key, { userid, finished: finish });
    return undefined;
  }

  private checkItems(items: unknown, finish: boolean): Refusal | undefined {
    if (!finish) return new Refusal(ERR.INVALID_PARAMETER, 'msg_item only with finish=true');
    if (!Array.isArray(items) || items.length === 0)
      return new Refusal(ERR.INVALID_PARAMETER, 'msg_item is not a non-empty array');
    if (items.length > LIMITS.msgItems)
      return new Refusal(
        ERR.INVALID_PARAMETER,
        `msg_item has ${items.length} items, over ${LIMITS.msgItems}`,
      );
    for (const [i, item] of items.entries()) {
      const where = `msg_item[${i}]`;
      if (!isObj(item) || item.msgtype !== 'image' || !isObj(item.image))
        return new Refusal(ERR.INVALID_MSGTYPE, `${where} is not {msgtype:'image', image}`);
      const { base64, md5: sum } = item.image;
      if (!isBase64(base64) || base64 === '')
        return new Refusal(ERR.INVALID_PARAMETER, `${where}.image.base64 is not base64`);
      const bytes = Buffer.from(base64, 'base64');
      if (bytes.length > LIMITS.imageBytes)
        return new Refusal(
          ERR.INVALID_IMAGE_SIZE,
          `${where} image is ${bytes.length} bytes, over ${LIMITS.imageBytes}`,
        );
      if (!isPngOrJpeg(bytes))
        return new Refusal(ERR.INVALID_MEDIA_TYPE, `${where} image is neither PNG nor JPEG`);
      if (sum !== md5(bytes))
        return new Refusal(ERR.INVALID_PARAMETER, `${where}.image.md5 does not match the image`);
    }
    return undefined;
  }

  private checkContent(part: unknown, where: string): Refusal | undefined {
    const content = isObj(part) ? part.content : undefined;
    if (typeof content !== 'string' || content === '')
      return new Refusal(ERR.INVALID_PARAMETER, `${where} missing`);
    const bytes = Buffer.byteLength(content, 'utf8');
    if (bytes > LIMITS.contentBytes)
      return new Refusal(
        ERR.CONTENT_TOO_LONG,
        `${where} is ${bytes} bytes, over ${LIMITS.contentBytes}`,
      );
    return undefined;
  }

  private checkCard(card: unknown): Refusal | undefined {
    if (!isObj(card) || typeof card.card_type !== 'string')
      return new Refusal(ERR.INVALID_PARAMETER, 'template_card.card_type missing');
    return undefined;
  }

  private checkMedia(type: string, part: unknown): Refusal | undefined {
    const id = isObj(part) ? part.media_id : undefined;
    const upload = this.uploads.find((u) => u.mediaId !== undefined && u.mediaId === id);
    if (!upload) return new Refusal(ERR.INVALID_MEDIA_ID, `invalid media_id ${String(id)}`);
    if (upload.type !== type)
      return new Refusal(
        ERR.INVALID_MEDIA_ID,
        `media_id ${String(id)} is a ${upload.type}, not a ${type}`,
      );
    return undefined;
  }

  private sendMsg(body: Obj | undefined): Refusal | undefined {
    if (!body || typeof body.chatid !== 'string' || body.chatid === '')
      return new Refusal(ERR.INVALID_PARAMETER, 'chatid missing');
    if (!this.talked.has(body.chatid))
      return new Refusal(ERR.NOT_TALKED, `chat ${body.chatid} never talked to the robot`);
    let r: Refusal | undefined;
    switch (body.msgtype) {
      case 'markdown':
        r = this.checkContent(body.markdown, 'markdown.content');
        break;
      case 'template_card':
        r = this.checkCard(body.template_card);
        break;
      case 'image':
      case 'file':
      case 'voice':
      case 'video':
        r = this.checkMedia(body.msgtype, body[body.msgtype]);
        break;
      default:
        r = new Refusal(ERR.INVALID_MSGTYPE, `invalid msgtype ${String(body.msgtype)}`);
    }
    if (!r) this.sentBodies.push(body);
    return r;
  }

  private uploadInit(conn: Conn, body: Obj | undefined): Refusal | Obj {
    if (!body) return new Refusal(ERR.INVALID_PARAMETER, 'body missing');
    const { type, filename, total_size: size, total_chunks: chunks, md5: sum } = body;
    if (typeof type !== 'string' || !MEDIA_TYPES.includes(type))
      return new Refusal(ERR.INVALID_TYPE, `invalid type ${String(type)}`);
    if (typeof filename !== 'string' || filename === '')
      return new Refusal(ERR.INVALID_PARAMETER, 'filename missing');
    if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0)
      return new Refusal(ERR.INVALID_FILE_SIZE, `invalid total_size ${String(size)}`);
    if (
      typeof chunks !== 'number' ||
      !Number.isInteger(chunks) ||
      chunks < 1 ||
      chunks > LIMITS.chunks ||
      chunks * LIMITS.chunkBytes < size
    )
      return new Refusal(
        ERR.INVALID_PARAMETER,
        `invalid total_chunks ${String(chunks)} for ${size} bytes`,
      );
    if (sum !== undefined && (typeof sum !== 'string' || !/^[0-9a-f]{32}$/.test(sum)))
      return new Refusal(ERR.INVALID_PARAMETER, 'md5 is not 32 lowercase hex digits');
    const upload: Upload = {
      uploadId: this.newId(),
      conn: conn.n,
      type,
      filename,
      totalSize: size,
      totalChunks: chunks,
      ...(sum !== undefined ? { md5: sum } : {}),
      chunks: new Map(),
    };
    this.uploads.push(upload);
    return { upload_id: upload.uploadId };
  }

  private openUpload(body: Obj | undefined): Upload | Refusal {
    const id = body?.upload_id;
    const upload = this.uploads.find((u) => u.uploadId === id);
    if (!upload) return new Refusal(ERR.INVALID_PARAMETER, `invalid upload_id ${String(id)}`);
    if (upload.mediaId !== undefined)
      return new Refusal(ERR.INVALID_PARAMETER, `upload ${upload.uploadId} already finished`);
    return upload;
  }

  private uploadChunk(body: Obj | undefined): Refusal | undefined {
    const upload = this.openUpload(body);
    if (upload instanceof Refusal) return upload;
    const index = body?.chunk_index;
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= upload.totalChunks
    )
      return new Refusal(
        ERR.INVALID_PARAMETER,
        `invalid chunk_index ${String(index)} (0 to ${upload.totalChunks - 1})`,
      );
    const data = body?.base64_data;
    if (!isBase64(data) || data === '')
      return new Refusal(ERR.INVALID_PARAMETER, 'base64_data is not base64');
    const bytes = Buffer.from(data, 'base64');
    if (bytes.length > LIMITS.chunkBytes)
      return new Refusal(
        ERR.INVALID_FILE_SIZE,
        `chunk ${index} is ${bytes.length} bytes, over ${LIMITS.chunkBytes}`,
      );
    upload.chunks.set(index, bytes);
    return undefined;
  }

  private uploadFinish(body: Obj | undefined): Refusal | Obj {
    const upload = this.openUpload(body);
    if (upload instanceof Refusal) return upload;
    const missing: number[] = [];
    for (let i = 0; i < upload.totalChunks; i++) if (!upload.chunks.has(i)) missing.push(i);
    if (missing.length > 0)
      return new Refusal(ERR.INVALID_PARAMETER, `chunks missing: ${missing.join(', ')}`);
    const bytes = Buffer.concat(
      [...Array(upload.totalChunks).keys()].map((i) => upload.chunks.get(i)!),
    );
    if (bytes.length !== upload.totalSize)
      return new Refusal(
        ERR.INVALID_FILE_SIZE,
        `got ${bytes.length} bytes, total_size was ${upload.totalSize}`,
      );
    if (upload.md5 !== undefined && md5(bytes) !== upload.md5)
      return new Refusal(ERR.INVALID_PARAMETER, 'md5 does not match the uploaded bytes');
    upload.bytes = bytes;
    upload.mediaId = `fake-media-${this.newId()}`;
    // A string of Unix seconds, as WeCom's HTTP temporary-media upload returns created_at.
    return {
      type: upload.type,
      media_id: upload.mediaId,
      created_at: String(Math.floor(this.now() / 1000)),
    };
  }
}

/** Start a fake on 127.0.0.1 at a random port; close() it after the test. */
export async function startFakeWeCom(options: FakeWeComOptions = {}): Promise<FakeWeCom> {
  const fake = new FakeWeCom(options);
  await fake.listening;
  return fake;
}
