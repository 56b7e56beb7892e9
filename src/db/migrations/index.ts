// Ordered list of schema migrations; add new ones at the end.
import { InitialSchema1764028800000 } from './1764028800000-initial-schema';
import { BotBindings1764115200000 } from './1764115200000-bot-bindings';

export const migrations = [InitialSchema1764028800000, BotBindings1764115200000];
