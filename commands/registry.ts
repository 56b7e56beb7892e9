// The registry of bot commands; names and aliases (case-insensitive) must all be unique, checked at start-up.
import { createRegistry, type Registry } from '../src/registry';
import { ackCommand } from './ack';
import { alarmsCommand } from './alarms';
import { cpuCommand } from './cpu';
import { diskCommand } from './disk';
import { createHelpCommand } from './help';
import { ignoreCommand } from './ignore';
import { memCommand } from './mem';
import { reportCommand } from './report';
import { serverCommand } from './server';
import { silenceCommand } from './silence';
import { sitesCommand } from './sites';
import { statusCommand } from './status';
import { subscribeCommand } from './subscribe';
import { unsilenceCommand } from './unsilence';
import { unsubscribeCommand } from './unsubscribe';
import { yesterdayCommand } from './yesterday';
import type { Command } from './types';

/** Every command but help, in the order help lists them. */
export const baseCommands: readonly Command[] = [
  sitesCommand,
  statusCommand,
  yesterdayCommand,
  reportCommand,
  alarmsCommand,
  ackCommand,
  ignoreCommand,
  silenceCommand,
  unsilenceCommand,
  serverCommand,
  cpuCommand,
  memCommand,
  diskCommand,
  subscribeCommand,
  unsubscribeCommand,
];

/** Throws when two commands share a name or alias (compared case-insensitively). */
export function assertUniqueWords(commands: readonly Command[]): Map<string, Command> {
  const byWord = new Map<string, Command>();
  for (const c of commands) {
    for (const w of [c.name, ...c.aliases]) {
      const key = w.normalize('NFKC').toLowerCase();
      const other = byWord.get(key);
      if (other && other !== c) {
        throw new Error(`Duplicate command word "${w}" (${other.name} and ${c.name}).`);
      }
      if (other === c) throw new Error(`Command "${c.name}" lists "${w}" twice.`);
      byWord.set(key, c);
    }
  }
  return byWord;
}

/**
 * The command registry: help first (listing every command of the registry, then 绑定, which
 * src/wechat/handler.ts answers before the router), then `commands` (default: the base commands).
 */
export function createCommandRegistry(
  commands: readonly Command[] = baseCommands,
): Registry<Command> {
  const all: Command[] = [];
  all.push(
    createHelpCommand(() => all),
    ...commands,
  );
  const registry = createRegistry<Command>('command', all);
  assertUniqueWords(all);
  return registry;
}
