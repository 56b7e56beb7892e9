// Reply building of the bot commands: a text reply.
import type { Reply } from './types';

export const text = (t: string): Reply => ({ kind: 'text', text: t });
