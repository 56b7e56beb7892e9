// Test harness: a real Wechaty on wechaty-puppet-mock, with inboxes that record what the bot says.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import type { Caller, RoomContext } from '../../../commands/types';
import { type Logger, silentLogger } from '../../../src/log';
import { createChatInbox } from '../../../src/chat/inbox';
import { createOutgoingQueue } from '../../../src/chat/outgoing-queue';
import type { MessageHandler } from '../../../src/chat/transport';
import {
  createWechatBot,
  type BotStateEvent,
  type WechatBot,
} from '../../../src/transports/wechaty/bot';

export type ContactMock = ReturnType<mock.Mocker['createContact']>;
export type RoomMock = ReturnType<mock.Mocker['createRoom']>;

/** The mock ignores alias writes; this one keeps them, as WeChat does, across logins. */
export class AliasKeepingPuppetMock extends PuppetMock {
  override async contactAlias(contactId: string): Promise<string>;
  override async contactAlias(contactId: string, alias: string | null): Promise<void>;
  override async contactAlias(contactId: string, alias?: string | null): Promise<string | void> {
    const payload = this.mocker.contactPayload(contactId);
    if (alias === undefined) return payload.alias ?? '';
    payload.alias = alias ?? '';
  }
}

// A real PNG header and a few bytes: the test checks bytes, not pixels.
export const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489',
  'hex',
);
export const PER_CHAT_MS = 150;
// Upper slack for real-timer spacing through Wechaty: the exact spacing is tested on a fake clock in outgoing-queue.test.ts.
export const TOL = 150;

export const echo: MessageHandler = async (text) => {
  if (text === '图') return [{ kind: 'image', png: PNG, name: 'chart.png', alt: 'a chart' }];
  if (text === 'boom') throw new Error('handler exploded');
  return [{ kind: 'text', text: `echo ${text}` }];
};

export async function waitFor(pred: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface Received {
  kind: 'text' | 'image';
  text: string;
  base64?: string;
  /** An image's file name. */
  name?: string;
  at: number;
}

let dir: string | undefined;
/** The directory for session files, made on first use and removed by `removeHarnessDir`. */
export function harnessDir(): string {
  return (dir ??= mkdtempSync(join(tmpdir(), 'sw-wechat-')));
}
export function removeHarnessDir(): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

export interface Harness {
  bot: WechatBot;
  mocker: mock.Mocker;
  puppet: PuppetMock;
  me: ContactMock;
  /** Messages from the bot seen by a contact or room. */
  inbox: (who: ContactMock | RoomMock) => Received[];
  qr: string[];
}

let n = 0;
export async function startHarness(o: {
  log?: Logger;
  handle?: MessageHandler;
  resolveCaller?: (c: { id: string; name: string; alias: string | null }) => Promise<Caller | null>;
  resolveRoom?: (r: { id: string; topic: string }) => Promise<RoomContext | null>;
  prefix?: string;
  login?: boolean;
  onState?: (e: BotStateEvent) => void;
  /** The outgoing queue's longest text message (its default otherwise). */
  maxTextLength?: number;
}): Promise<Harness> {
  const mocker = new mock.Mocker();
  const puppet = new AliasKeepingPuppetMock({ mocker });
  const qr: string[] = [];
  const qrOut = new PassThrough();
  qrOut.on('data', (d: Buffer) => qr.push(d.toString()));
  const queue = createOutgoingQueue({
    perChatIntervalMs: PER_CHAT_MS,
    globalIntervalMs: 10,
    retryDelayMs: 10,
    maxTextLength: o.maxTextLength,
    log: silentLogger,
  });
  const bot = createWechatBot({
    name: join(harnessDir(), `bot${++n}`),
    puppet,
    receive: createChatInbox({
      transport: 'wechat',
      handle: o.handle ?? echo,
      resolveCaller: o.resolveCaller ?? (async () => null),
      resolveRoom:
        o.resolveRoom ??
        (async (r) => ({ transport: 'wechat', id: r.id, topic: r.topic, siteIds: [] })),
    }),
    prefix: o.prefix,
    queue,
    log: o.log ?? silentLogger,
    qrOut,
    restartDelayMs: 20,
    stopDrainMs: 2000,
    onState: o.onState,
  });
  await bot.start();
  const me = mocker.createContact({ name: 'Sitewatch' });
  const inboxes = new Map<ContactMock | RoomMock, Received[]>();
  const t0 = Date.now();
  const inbox = (who: ContactMock | RoomMock) => {
    let list = inboxes.get(who);
    if (!list) {
      const l: Received[] = [];
      list = l;
      inboxes.set(who, l);
      who.on('message', (m) => {
        // Contacts also see their own messages; keep only what the logged-in bot said.
        if (m.talker().id !== puppet.currentUserId) return;
        const json = mocker.cacheFileBoxPayload.get(m.id) as
          { base64?: string; name?: string } | undefined;
        l.push(
          json
            ? { kind: 'image', text: '', base64: json.base64, name: json.name, at: Date.now() - t0 }
            : { kind: 'text', text: m.text() ?? '', at: Date.now() - t0 },
        );
      });
    }
    return list;
  };
  if (o.login !== false) {
    mocker.login(me);
    await waitFor(() => bot.health().state === 'online', 'login');
  }
  return { bot, mocker, puppet, me, inbox, qr };
}
