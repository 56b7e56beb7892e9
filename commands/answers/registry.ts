// The registry of answers to understood questions, one per intent kind (duplicates refused at start-up), and answering an intent through it.
import type { Intent, IntentKind } from '../../src/nlu/types';
import { createRegistry, type Registry } from '../../src/registry';
import { text } from '../reply';
import type { CommandContext, Reply } from '../types';
import { alarmsAnswer } from './alarms';
import { compareAnswer } from './compare';
import { figuresAnswer } from './figures';
import { forecastAnswer } from './forecast';
import { helpAnswer } from './help';
import { metricAnswer } from './metric';
import { rankingAnswer } from './ranking';
import { serverAnswer } from './server';
import { statusAnswer } from './status';
import type { AnyIntentAnswer, IntentAnswer } from './types';

/** Every answer, one per intent kind. */
export const intentAnswers = [
  figuresAnswer,
  compareAnswer,
  statusAnswer,
  alarmsAnswer,
  serverAnswer,
  metricAnswer,
  forecastAnswer,
  rankingAnswer,
  helpAnswer,
] as const;

// An intent kind added to src/nlu/types.ts without an answer listed above fails to compile here.
type Unanswered = Exclude<IntentKind, (typeof intentAnswers)[number]['kind']>;
const everyKindAnswered: [Unanswered] extends [never] ? true : Unanswered = true;
void everyKindAnswered;

/** An answer under its kind, the name the registry keys it by. */
interface Entry {
  name: IntentKind;
  answer: AnyIntentAnswer;
}

/** An answer called with an intent of its kind (the registry keys answers by kind, so it is). */
interface Callable {
  charts(intent: Intent): boolean;
  answer(intent: Intent, ctx: CommandContext): Promise<Reply[]>;
}

export interface AnswerRegistry {
  /** The answers in the order listed. */
  list(): readonly AnyIntentAnswer[];
  require<K extends IntentKind>(kind: K): IntentAnswer<K>;
  /** Whether the answer to `intent` may carry a chart. */
  charts(intent: Intent): boolean;
  /** The replies to `intent`; a failure is logged and answered with a short apology, as the router does. */
  answer(intent: Intent, ctx: CommandContext): Promise<Reply[]>;
}

export const ANSWER_FAILED_TEXT = '抱歉，查询出错了，请稍后再试。';

/** The registry over `answers` (default: every answer); throws on two answers of one kind. */
export function createAnswerRegistry(
  answers: readonly AnyIntentAnswer[] = intentAnswers,
): AnswerRegistry {
  const registry: Registry<Entry> = createRegistry<Entry>(
    'intent answer',
    answers.map((a) => ({ name: a.kind, answer: a })),
  );
  const of = (kind: IntentKind) => registry.require(kind).answer as unknown as Callable;
  return {
    list: () => registry.list().map((e) => e.answer),
    require: <K extends IntentKind>(kind: K) =>
      registry.require(kind).answer as unknown as IntentAnswer<K>,
    charts: (intent) => of(intent.kind).charts(intent),
    async answer(intent, ctx) {
      const unit = of(intent.kind);
      try {
        const replies = await unit.answer(intent, ctx);
        return replies.length > 0 ? replies : [text('（无结果）')];
      } catch (err) {
        ctx.deps.log.error(
          { login: ctx.caller.login, room: ctx.room?.topic ?? null, intent: intent.kind, err },
          'answer failed',
        );
        return [text(ANSWER_FAILED_TEXT)];
      }
    },
  };
}
