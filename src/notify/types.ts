// The interface every notification channel implements, what the dispatcher hands it per message, and the definition a channel's file exports for the registry.
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { Config } from '../../config/schema';
import type { ChannelSettings } from '../../config/channels';
import type { Logger } from '../log';
import type { Notice } from '../outbox/notices';
import type { ChannelRecipients } from '../queries/recipients';
import type { ChartOption } from '../types/chart-option';
import type { ChatSender } from './channels/chat-sender';

export interface SendContext {
  /** The notice's chart as PNG (rendered once per notice, shared by channels); null when it has none. */
  chartPng(): Promise<Buffer | null>;
  /** The notice's chart option, for channels that draw it themselves. */
  chartOption(): Promise<ChartOption | null>;
  /**
   * The notice's chart at a signed, expiring link on the portal (for channels that take links, not
   * image bytes: DingTalk, Feishu), stored once per notice; null when it has no chart or the portal
   * has no public URL (web.publicUrl).
   */
  chartLink(): Promise<string | null>;
  /**
   * Parts of this message delivered by earlier attempts (on any hub). A channel that sends a notice as
   * several messages (text, then image) skips these and calls `partSent` after each one it delivers,
   * so a retry sends only what is missing.
   */
  readonly partsSent: number;
  /** Record that the first `count` parts are delivered; throws when this hub lost the message's claim. */
  partSent(count: number): Promise<void>;
}

export interface Channel {
  /** Registry key and the outbox `channel` column. */
  readonly name: string;
  /** Deliver one notice to one recipient; throws (any error) to have it retried with backoff. */
  send(recipient: string, notice: Notice, ctx: SendContext): Promise<void>;
  /**
   * False while this process cannot send on it now and another may (a WeCom robot connection held by
   * another hub): the dispatcher then claims none of its messages. Absent: always ready.
   */
  ready?(): boolean;
  close?(): Promise<void>;
}

/** What a channel's factory may use. */
export interface ChannelDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  /** The push side of each chat transport this process runs, by transport name (none in the CLI). */
  chatSenders: Readonly<Record<string, ChatSender>>;
}

/** How much one message of a channel may hold. */
export interface ChannelLimits {
  /** Longest text of one message, in `unit`s; null: no limit (email). */
  maxSize: number | null;
  unit: 'utf8 bytes' | 'utf16 units';
  /** Most alarms one notice lists; the rest are counted in "……及其他 N 条". */
  groupLimit: number;
}

/**
 * Everything Sitewatch knows of a channel, exported by its file and listed once in the registry.
 * A channel is configured (notices are queued for it) when `recipients` gives something, and
 * send-capable in a process when `create` does: WeChat rows queued by the CLI wait for the hub with
 * the bot.
 */
export interface ChannelDefinition<N extends string = string, S extends z.ZodObject | null = null> {
  readonly name: N;
  /** Its settings under `notify.<name>`, or null when it has none of its own. */
  readonly settings: S extends z.ZodObject ? ChannelSettings<S> : null;
  limits(config: Config): ChannelLimits;
  /** How it picks recipients under `config`; null when it is not configured (nothing is queued for it). */
  recipients(config: Config): ChannelRecipients | null;
  /** The sender, or null when this process cannot send on it (not configured, or no transport here). */
  create(deps: ChannelDeps): Channel | null;
}
