// The interface of the answers to understood questions: one unit per intent kind, answering with replies like a command (never sending).
import type { Intent, IntentKind } from '../../src/nlu/types';
import type { CommandContext, Reply } from '../types';

/** The intent of kind `K`. */
export type IntentOf<K extends IntentKind> = Extract<Intent, { kind: K }>;

/**
 * What an intent kind is answered with. `ctx.args` is the question as asked (the logs keep it);
 * the access rules are the commands': only the request's sites, and a site or server the caller
 * may not see is answered exactly like one that does not exist.
 */
export interface IntentAnswer<K extends IntentKind = IntentKind> {
  readonly kind: K;
  /** Whether the answer may carry a chart (a transport then says "查询中…" before it is drawn). */
  charts(intent: IntentOf<K>): boolean;
  answer(intent: IntentOf<K>, ctx: CommandContext): Promise<Reply[]>;
}

/** An answer of any one kind (what the registry holds). */
export type AnyIntentAnswer = { [K in IntentKind]: IntentAnswer<K> }[IntentKind];
