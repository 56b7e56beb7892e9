// Command "帮助" (help, ?): lists every command with its usage and what it does, and 绑定, which is answered before the router, then example questions.
import { QUESTION_EXAMPLES } from './answers/help';
import { text } from './reply';
import type { Command } from './types';

/** What help shows of a command. */
export type CommandHelp = Pick<Command, 'name' | 'aliases' | 'usage' | 'summary' | 'examples'>;

/**
 * 绑定 (bind): redeems a bind code in a direct chat. It is answered before the router
 * (src/wechat/handler.ts), because strangers may use it, so help lists it from here.
 */
export const BIND_HELP: CommandHelp = {
  name: '绑定',
  aliases: ['bind'],
  usage: '绑定 <绑定码>',
  summary: '用管理员给的绑定码把微信或企业微信绑定到 Sitewatch 账号（私聊发送）。',
  examples: ['绑定 ABCD2345'],
};

/** The help command over the commands `list` returns (itself included), in registry order, then 绑定. */
export function createHelpCommand(list: () => readonly Command[]): Command {
  return {
    name: '帮助',
    aliases: ['help', '?'],
    usage: '帮助',
    summary: '列出所有命令。',
    examples: ['帮助'],
    async run({ caller }) {
      const shown: CommandHelp[] = list().filter((c) => !c.adminOnly || caller.role === 'admin');
      const lines = [...shown, BIND_HELP].map((c) => {
        const aliases = c.aliases.length ? `（${c.aliases.join('/')}）` : '';
        return `${c.usage}${aliases} — ${c.summary}`;
      });
      const ask = `也可以这样问：${QUESTION_EXAMPLES.map((q) => `“${q}”`).join('、')}`;
      return [
        text(`Sitewatch 命令：\n${lines.join('\n')}\n局点可写代码、名称或其中一部分。\n${ask}`),
      ];
    },
  };
}
