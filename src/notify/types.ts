// The interface every notification channel implements, and what the dispatcher hands it per message.
import type { Notice } from '../outbox/notices';
import type { ChartOption } from '../types/chart-option';

export interface SendContext {
  /** The notice's chart as PNG (rendered once per notice, shared by channels); null when it has none. */
  chartPng(): Promise<Buffer | null>;
  /** The notice's chart option, for channels that draw it themselves. */
  chartOption(): Promise<ChartOption | null>;
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
  close?(): Promise<void>;
}
