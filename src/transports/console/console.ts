// The console as a chat transport (`sitewatch ask|chat`): the person typing is the user named by --as; replies printed, charts written to --out.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sendable } from '../../../commands/reply';
import type { Reply } from '../../../commands/types';
import type { ChatInbox, ChatTransport, TransportState } from '../../chat/transport';
import { SitewatchError } from '../../errors';

export const CONSOLE = 'console';

export interface ConsoleTransportOptions {
  /** The user the console speaks as (`--as`): the one person of this transport. */
  login: string;
  /** The shared message path, with a directory that knows people by login. */
  receive: ChatInbox;
  /** Where replies go: text as it is, each followed by a newline; images as "[image] <alt>: <file>". */
  write: (s: string) => void;
  /** Directory the images are written to, numbered in order (without it the router renders none). */
  outDir?: string;
}

export interface ConsoleTransport extends ChatTransport {
  /** A message typed by the person at the console; resolves once its replies were printed. */
  say(text: string): Promise<void>;
}

/** A terminal is not rate-limited: replies are printed as they come, so nothing ever waits in a queue. */
export function createConsoleTransport(o: ConsoleTransportOptions): ConsoleTransport {
  let state: TransportState = 'offline';
  let lastMessageAt: number | null = null;
  let images = 0;

  const print = (replies: Reply[]) => {
    for (const r of replies.map(sendable)) {
      if (r.kind === 'text') o.write(`${r.text}\n`);
      else if (!o.outDir) o.write(`[image] ${r.alt}\n`);
      else {
        const dir = resolve(o.outDir);
        const file = join(dir, `${String(++images).padStart(2, '0')}-${r.name}`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, r.png);
        o.write(`[image] ${r.alt}: ${file}\n`);
      }
    }
  };

  const assertOnline = (what: string) => {
    if (state !== 'online')
      throw new SitewatchError(
        'BOT_OFFLINE',
        `The console is not running (${state}); cannot send to ${what}.`,
      );
  };

  return {
    name: CONSOLE,
    async start() {
      state = 'online';
    },
    async stop() {
      state = 'offline';
    },
    health: () => ({ state, lastMessageAt, queueLength: 0, restarts: 0 }),
    async say(text) {
      assertOnline('the console');
      lastMessageAt = Date.now();
      const person = { id: o.login, name: o.login, alias: null };
      // Nobody is bound on the console (its handler takes no bind codes): no alias to keep.
      print(await o.receive({ text, from: person, room: null, setAlias: async () => {} }));
    },
    async sendToUser(login, replies) {
      assertOnline(`user ${login}`);
      if (login !== o.login)
        throw new SitewatchError(
          'NOTIFY_BAD_RECIPIENT',
          `User ${login} is not at this console (it speaks as ${o.login}).`,
        );
      print(replies);
    },
    async sendToRoom(topic) {
      assertOnline(`room "${topic}"`);
      throw new SitewatchError('NOTIFY_BAD_RECIPIENT', `The console has no rooms ("${topic}").`);
    },
  };
}
