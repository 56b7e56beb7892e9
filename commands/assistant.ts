// The bot every transport, the console and the portal share: the exact commands first, then questions as staff write them.
import { createNaturalLanguage } from './natural';
import { createCommandRegistry } from './registry';
import { type CommandRouter, createCommandRouter } from './router';
import type { CommandDeps } from './types';

export function createAssistant(deps: CommandDeps): CommandRouter {
  return createCommandRouter(createCommandRegistry(), deps, {
    natural: createNaturalLanguage(deps),
  });
}
