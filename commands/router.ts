// The bot's command router: normalises a message, finds the command by name or alias, runs it, and turns any failure into a short reply.
import type { Registry } from '../src/registry';
import { loggedText } from './log-text';
import { assertUniqueWords } from './registry';
import { text } from './reply';
import type { NaturalLanguage } from './natural';
import type { Caller, Command, CommandDeps, Reply, RoomContext } from './types';

/** What a transport tells the router about a message besides its text, caller and room. */
export interface HandleOptions {
  /**
   * The conversation the message belongs to (a direct chat, or one person in one room; the
   * portal's session), which follow-up questions are read in.
   */
  conversation?: string;
  /** Called before a chart is drawn for the answer (WeCom's "查询中…"). */
  working?: () => void;
}

export interface CommandRouter {
  handle(
    text: string,
    caller: Caller,
    room: RoomContext | null,
    options?: HandleOptions,
  ): Promise<Reply[]>;
  /** Whether the command this text names may answer with a chart (Command.charts). */
  charts(text: string): boolean;
}

export const UNKNOWN_HINT = '没有这个命令。发送“帮助”查看可用命令。';

/** NFKC (full-width → ASCII), drop a leading '@name ' mention, collapse whitespace, trim. */
export function normaliseText(raw: string): string {
  let s = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  s = s.replace(/^@\S+ /, '').replace(/^@\S+$/, '');
  return s.trim();
}

/** A command argument as written after a command word without a space: a code, a name in ASCII, an IP, a number. */
const PLAIN_ARGUMENT = /^[A-Za-z0-9._:-]*( [A-Za-z0-9._:-]+)*$/;

export function createCommandRouter(
  commands: Registry<Command> | readonly Command[],
  deps: CommandDeps,
  o: {
    /** Questions as staff write them, for texts no command matches (none: "没有这个命令"). */
    natural?: NaturalLanguage;
  } = {},
): CommandRouter {
  const list = 'list' in commands ? commands.list() : commands;
  const byWord = assertUniqueWords(list);
  // Commands written without a space ('状态BJ01'): non-ASCII words may prefix the argument.
  const prefixWords = [...byWord.keys()]
    .filter((w) => /[\u0080-\uffff]/.test(w))
    .sort((a, b) => b.length - a.length);

  function find(s: string): { command: Command; args: string; prefix: boolean } | null {
    const sp = s.indexOf(' ');
    const word = (sp < 0 ? s : s.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : s.slice(sp + 1);
    const direct = byWord.get(word);
    if (direct) return { command: direct, args: rest, prefix: false };
    const p = prefixWords.find((w) => word.startsWith(w));
    if (p) return { command: byWord.get(p)!, args: s.slice(p.length).trim(), prefix: true };
    return null;
  }

  return {
    charts(raw) {
      const s = normaliseText(raw);
      return s !== '' && find(s)?.command.charts === true;
    },
    async handle(raw, caller, room, options = {}) {
      const s = normaliseText(raw);
      const who = { login: caller.login, room: room?.topic ?? null, text: loggedText(s) };
      const found = s === '' ? null : find(s);
      const nl = o.natural;
      // A command word run into other words ("告警最近一周", "状态怎么样") is a question when it is
      // understood as one; written with a space, or with a plain argument, it is the command.
      const question =
        nl &&
        s !== '' &&
        (!found ||
          (found.prefix && !PLAIN_ARGUMENT.test(found.args) && (await nl.sure(s, caller, room))));
      if (question) return nl.ask(s, caller, room, options);
      if (!found) {
        deps.log.warn({ ...who, reason: 'unknown command' }, 'command refused');
        return [text(UNKNOWN_HINT)];
      }
      const { command, args } = found;
      if (command.adminOnly && caller.role !== 'admin') {
        deps.log.warn({ ...who, reason: 'admin only' }, 'command refused');
        return [text(`只有管理员可以使用“${command.name}”。`)];
      }
      if (command.charts) options.working?.();
      try {
        const replies = await command.run({ caller, args, room, deps });
        return replies.length > 0 ? replies : [text('（无结果）')];
      } catch (err) {
        deps.log.error({ ...who, command: command.name, err }, 'command failed');
        return [text(`抱歉，“${command.name}”出错了，请稍后再试。`)];
      }
    },
  };
}
