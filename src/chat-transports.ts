// The chat transports, in an explicit registry: each makes its transport from the config and the shared message path; the hub starts those its config runs.
import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema';
import { createAssistant } from '../commands/assistant';
import type { CommandRouter } from '../commands/router';
import type { CommandDeps } from '../commands/types';
import { dbResolvers, loginResolvers } from './chat/directory';
import { createMessageHandler } from './chat/handler';
import { createChatInbox } from './chat/inbox';
import { createOutgoingQueue } from './chat/outgoing-queue';
import type {
  ChatDirectory,
  ChatInbox,
  ChatTransport,
  TransportStateEvent,
} from './chat/transport';
import type { Leases } from './cluster/leases';
import { noteChatSeen } from './admin/chat-seen';
import { contactIdOfLogin } from './admin/chat-bindings';
import type { Logger } from './log';
import { chatSeen } from './queries/recipients';
import type { ChatSender } from './notify/channels/chat-sender';
import { type Named, type Registry, createRegistry } from './registry';
import {
  CONSOLE,
  type ConsoleTransport,
  createConsoleTransport,
} from './transports/console/console';
import {
  type PuppetInstance,
  WECHAT,
  type WechatBot,
  createWechatBot,
} from './transports/wechaty/bot';
import { WECOM, type WecomBot, createWecomBot } from './transports/wecom/wecom';

export interface TransportContext {
  config: Config;
  ds: DataSource;
  router: CommandRouter;
  log: Logger;
  now: () => number;
  /** The hubs' leases: one hub holds the WeCom robot's connection (null: connect at once). */
  leases: Leases | null;
  /** Login state changes (the hub's "bot logged out" notices). */
  onState?: (e: TransportStateEvent) => void;
  /** WeChat, in tests: a Wechaty puppet instance instead of config.bot.puppet. */
  puppet?: PuppetInstance;
  /** The console: whom it speaks as, where it prints, and where charts go. */
  console?: { login: string; write: (s: string) => void; outDir?: string };
}

export interface TransportKind<T extends ChatTransport = ChatTransport> extends Named {
  /** Whether the hub runs it; `run` is AppOptions.bot (true for `sitewatch bot`, false: none). */
  inHub(config: Config, run: boolean | undefined): boolean;
  create(ctx: TransportContext): T;
}

/** One transport's way into the shared path: its directory, the bind codes and hint, the router. */
function inboxOf(
  ctx: TransportContext,
  transport: string,
  directory: ChatDirectory,
  bindCodes = true,
): ChatInbox {
  const { ds, router, log, now } = ctx;
  const handle = createMessageHandler({ ds, router, log, now, bindCodes });
  return createChatInbox({ transport, handle, ...directory });
}

export const wechatTransport: TransportKind<WechatBot> = {
  name: WECHAT,
  inHub: (config, run) => run ?? config.bot.enabled,
  create: (ctx) =>
    createWechatBot({
      name: ctx.config.bot.name,
      puppet: ctx.puppet ?? ctx.config.bot.puppet,
      prefix: ctx.config.bot.prefix || undefined,
      receive: inboxOf(ctx, WECHAT, dbResolvers(ctx.ds, WECHAT)),
      queue: createOutgoingQueue({
        transport: WECHAT,
        perChatIntervalMs: ctx.config.bot.sendIntervalMs,
        globalIntervalMs: ctx.config.bot.sendIntervalMs,
        log: ctx.log,
      }),
      onState: ctx.onState,
      timezone: ctx.config.timezone,
      log: ctx.log,
    }),
};

export const wecomTransport: TransportKind<WecomBot> = {
  name: WECOM,
  // `sitewatch bot` (run true) runs the chat side alone: WeCom too when configured.
  inHub: (config, run) => run !== false && config.wecomBot.enabled,
  create: (ctx) => {
    const w = ctx.config.wecomBot;
    const { ds, log, now } = ctx;
    // The schema requires both when enabled; checked again so a hand-made config fails in words.
    if (!w.botId || !w.secret) throw new Error('wecomBot.botId and wecomBot.secret are required.');
    return createWecomBot({
      botId: w.botId,
      secret: w.secret,
      wsUrl: w.wsUrl,
      receive: inboxOf(ctx, WECOM, dbResolvers(ds, WECOM)),
      queue: createOutgoingQueue({
        transport: WECOM,
        perChatIntervalMs: w.sendIntervalMs,
        globalIntervalMs: 0,
        maxTextLength: 20_000,
        // The outbox retries a failed push too; here only a brief second try.
        retries: 1,
        retryDelayMs: 500,
        log,
      }),
      log,
      leases: ctx.leases,
      leaseMs: w.leaseMs,
      maxInProgress: w.maxInProgress,
      heartbeatMs: w.heartbeatMs,
      noteChat: (chatId, type) => noteChatSeen(ds, WECOM, chatId, type, now()),
      chatSeen: (chatId) => chatSeen(ds.manager, WECOM, chatId),
      contactOf: (login) => contactIdOfLogin(ds, WECOM, login),
      onState: ctx.onState,
    });
  },
};

export const consoleTransport: TransportKind<ConsoleTransport> = {
  name: CONSOLE,
  // Run by `sitewatch ask|chat` on its own terminal, never by the hub.
  inHub: () => false,
  create: (ctx) => {
    if (!ctx.console) throw new Error('The console transport needs a terminal (ctx.console).');
    return createConsoleTransport({
      ...ctx.console,
      // The person is the --as user: 绑定 binds no one here.
      receive: inboxOf(ctx, CONSOLE, loginResolvers(ctx.ds), false),
    });
  },
};

export function createTransportRegistry(): Registry<TransportKind> {
  return createRegistry<TransportKind>('chat transport', [
    wechatTransport,
    wecomTransport,
    consoleTransport,
  ]);
}

/** The chat side of a hub: the router, every transport the config runs, and the WeChat push port. */
export interface Chat {
  router: CommandRouter;
  transports: readonly ChatTransport[];
  /** The WeChat transport, when this hub runs it. */
  bot: WechatBot | null;
  /** Each running transport's push side, by name, for the chat notification channels. */
  senders: Readonly<Record<string, ChatSender>>;
  /** Be told of every transport's login state changes. */
  onState(listener: (e: TransportStateEvent) => void): void;
  /** Start every transport; they log in and restart on their own, so this does not wait for them. */
  start(): void;
  stop(): Promise<void>;
}

export function createChat(o: {
  config: Config;
  ds: DataSource;
  log: Logger;
  now: () => number;
  renderChart: CommandDeps['renderChart'];
  /** AppOptions.bot: true for `sitewatch bot`, false for none, else the config decides. */
  run?: boolean;
  puppet?: PuppetInstance;
  leases?: Leases | null;
}): Chat {
  const { config, ds, log, now } = o;
  const router = createAssistant({
    ds,
    config,
    log,
    renderChart: o.renderChart,
    now,
  });
  const listeners: ((e: TransportStateEvent) => void)[] = [];
  const kinds = createTransportRegistry()
    .list()
    .filter((k) => k.inHub(config, o.run));
  const transports = kinds.map((k) =>
    k.create({
      config,
      ds,
      router,
      log,
      now,
      leases: o.leases ?? null,
      puppet: o.puppet,
      onState: (e) => listeners.forEach((l) => l(e)),
    }),
  );
  // The registry's names are unique: the one named like the WeChat kind is what it made.
  const bot = (transports.find((t) => t.name === wechatTransport.name) ?? null) as WechatBot | null;
  return {
    router,
    transports,
    bot,
    senders: Object.fromEntries(
      transports.map((t): [string, ChatSender] => [
        t.name,
        {
          health: () => t.health(),
          sendToRoom: (topic, roomId, messages) => t.sendToRoom(topic, roomId, messages),
          sendToUser: (login, messages) => t.sendToUser(login, messages),
        },
      ]),
    ),
    onState: (l) => void listeners.push(l),
    start() {
      for (const t of transports)
        void t
          .start()
          .catch((err) =>
            log.error({ err: String(err), transport: t.name }, 'bot failed to start'),
          );
    },
    async stop() {
      for (const t of [...transports].reverse()) await t.stop();
    },
  };
}
