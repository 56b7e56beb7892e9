// What every chat transport is (WeChat on Wechaty, the console, next WeCom): its life cycle, health, incoming messages and pushes.
import type { Caller, Reply, RoomContext } from '../../commands/types';

export { canSend, type TransportState } from '../types/transport-state';
import type { TransportState } from '../types/transport-state';

export interface TransportHealth {
  /** Only 'online' and 'authenticated' can send now (canSend). */
  state: TransportState;
  /** Since when it is in this state. */
  since?: number;
  /** The hub holding the connection, when another one does (standby). */
  holder?: string | null;
  /** The login QR code's URL while scanning (transports with a QR login). */
  qrUrl?: string;
  lastMessageAt: number | null;
  /** Messages waiting in its outgoing queue or being delivered. */
  queueLength: number;
  /** Restarts after a lost session or a failed start. */
  restarts: number;
}

/** Login state changes, e.g. for a "bot logged out" notice. */
export interface TransportStateEvent {
  /** The transport's name; WeChat's when absent. */
  transport?: string;
  state: 'scanning' | 'online' | 'offline';
  /** The login QR code's URL while scanning; null otherwise. */
  qrUrl: string | null;
  at: number;
}

export interface ChatTransport {
  /** Its name in the transport registry, and the `transport` its bindings are keyed by. */
  readonly name: string;
  /**
   * Connect, or begin to (a QR login completes later); calling it again while started does nothing.
   * A network failure does not reject: the transport retries on its own.
   */
  start(): Promise<void>;
  /** Deliver what is queued (bounded), then disconnect; quiet, prompt, and safe twice or before start(). */
  stop(): Promise<void>;
  health(): TransportHealth;
  /**
   * Push to the chat of the contact bound to a Sitewatch user (by login), through its outgoing
   * queue, resolving once every message was delivered. Throws SitewatchError BOT_OFFLINE,
   * NOTIFY_BAD_RECIPIENT (no such contact) or NOTIFY_SEND_FAILED.
   */
  sendToUser(login: string, replies: Reply[]): Promise<void>;
  /**
   * Push to a group chat, by its id when known (WeChat's last seen, WeCom's chatid), else by its
   * topic; errors as sendToUser.
   */
  sendToRoom(topic: string, roomId: string | null, replies: Reply[]): Promise<void>;
}

/** Who wrote, as the transport knows them. */
export interface ChatPerson {
  /** The id on the transport: WeChat's is per login session, WeCom's userid is stable. */
  id: string;
  name: string;
  /** The alias (remark) the bot gave them, which survives a re-login; null where there is none. */
  alias: string | null;
}

/** A group chat as the transport knows it; a transport that sees no names passes its id as topic. */
export interface ChatRoom {
  id: string;
  topic: string;
}

/** A message to answer: the text meant for the bot (mention or prefix removed), from a direct chat or a room. */
export interface IncomingMessage {
  text: string;
  from: ChatPerson;
  room: ChatRoom | null;
  /**
   * After a binding, give the person the alias the binding is found again by (WeChat's remark); a
   * no-op where ids are stable. Rejects if the transport did not keep the alias.
   */
  setAlias: (alias: string) => Promise<void>;
  /** Called when a bound person's answer will draw a chart, before it is drawn (WeCom: "查询中…"). */
  working?: () => void;
}

/** What the message handler knows of a message besides its text, caller and room. */
export interface MessageMeta {
  transport: string;
  contactId: string;
  contactName: string;
  /** The alias (remark) the bot gave the contact, if any. */
  contactAlias: string | null;
  roomTopic: string | null;
  /** As IncomingMessage.setAlias. */
  setAlias: (alias: string) => Promise<void>;
  /** As IncomingMessage.working. */
  working?: () => void;
}

/** Bind codes, the hint for strangers and the router: text → replies (never sends). */
export type MessageHandler = (
  text: string,
  caller: Caller | null,
  room: RoomContext | null,
  meta: MessageMeta,
) => Promise<Reply[]>;

/** The caller and room of a message, from the bindings and room subscriptions (or, on the console, `--as`). */
export interface ChatDirectory {
  resolveCaller: (person: ChatPerson) => Promise<Caller | null>;
  resolveRoom: (room: ChatRoom) => Promise<RoomContext | null>;
}

/** A transport's way into the shared message path: message → caller → router → replies, which the transport then sends. */
export type ChatInbox = (message: IncomingMessage) => Promise<Reply[]>;
