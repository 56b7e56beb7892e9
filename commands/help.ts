// Command "帮助" (help, ?): lists every command with its usage and what it does.
import { text } from './format';
import type { Command } from './types';

/** The help command over the commands `list` returns (itself included), in registry order. */
export function createHelpCommand(list: () => readonly Command[]): Command {
  return {
    name: '帮助',
    aliases: ['help', '?'],
    usage: '帮助',
    summary: '列出所有命令。',
    examples: ['帮助'],
    async run({ caller }) {
      const lines = list()
        .filter((c) => !c.adminOnly || caller.role === 'admin')
        .map((c) => {
          const aliases = c.aliases.length ? `（${c.aliases.join('/')}）` : '';
          return `${c.usage}${aliases} — ${c.summary}`;
        });
      return [text(`Sitewatch 命令：\n${lines.join('\n')}\n局点可写代码、名称或其中一部分。`)];
    },
  };
}
