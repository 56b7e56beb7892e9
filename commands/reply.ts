// Reply building of the bot commands: a text reply, and replies as a chat transport sends them (a chart option as its text).
import type { Reply } from './types';

/** What a chat transport sends: text and PNG images. */
export type SendableReply = Exclude<Reply, { kind: 'chart' }>;

export const text = (t: string): Reply => ({ kind: 'text', text: t });

/**
 * A reply as a chat transport sends it: a chart option (kind 'chart', drawn only by the portal)
 * becomes its alt text; transports have a renderer, so they are not given one.
 */
export function sendable(reply: Reply): SendableReply {
  return reply.kind === 'chart' ? { kind: 'text', text: reply.alt } : reply;
}
