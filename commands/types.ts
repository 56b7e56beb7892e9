// The bot's command interface: commands get a parsed request and the caller, and return replies (never send).
import type { DataSource } from 'typeorm';
import type { Config } from '../config/schema';
import type { Logger } from '../src/log';
import type { ChartOption } from '../src/types/chart-option';

export type Reply =
  | { kind: 'text'; text: string }
  /** A PNG chart; `alt` is the text shown where images are not possible (console, logs). */
  | { kind: 'image'; png: Buffer; name: string; alt: string }
  /**
   * A chart as its ECharts option, for a client that draws it itself (the portal's ask box); only
   * produced when `CommandDeps.chartOptions` is true and there is no renderer. `alt` as for images.
   */
  | { kind: 'chart'; option: ChartOption; name: string; alt: string };

/** Who asks: a Sitewatch user (the WeChat contact bound to them, or `--as` on the console). */
export interface Caller {
  userId: number;
  login: string;
  displayName: string;
  role: 'admin' | 'operator';
}

/** Where the question was asked: a direct chat (null) or a group room with its subscribed sites. */
export interface RoomContext {
  /** The chat transport the room is on ('wechat', 'wecom'). */
  transport: string;
  id: string;
  /** Its topic on WeChat; WeCom shows no names, so there its chatid. */
  topic: string;
  siteIds: number[];
}

export interface CommandDeps {
  ds: DataSource;
  config: Config;
  log: Logger;
  /** Renders a chart option to PNG (the worker pool); null where images are not wanted. */
  renderChart: ((option: ChartOption) => Promise<Buffer>) | null;
  /**
   * Without a renderer, answer charts as their options (Reply kind 'chart') for a client that
   * draws them; default false: no chart at all when there is no renderer.
   */
  chartOptions?: boolean;
  now: () => number;
}

export interface CommandContext {
  caller: Caller;
  /** Everything after the command word, normalised (NFKC, trimmed, single spaces). */
  args: string;
  room: RoomContext | null;
  deps: CommandDeps;
}

export interface Command {
  /** Primary (Chinese) name; also the registry key. */
  readonly name: string;
  /** English and other aliases, matched case-insensitively. */
  readonly aliases: readonly string[];
  /** One-line usage, e.g. '状态 <局点>'. */
  readonly usage: string;
  /** What it does, one short sentence (Chinese). */
  readonly summary: string;
  readonly examples: readonly string[];
  /** Only bound admins may run it (e.g. subscribe a room). */
  readonly adminOnly?: boolean;
  /** Its answer may carry a chart (a transport then says "查询中…" at once, before the chart is drawn). */
  readonly charts?: boolean;
  run(ctx: CommandContext): Promise<Reply[]>;
}
