// The ask box (问一问) of every portal page: POST /api/ask runs the chat bot's own router as the signed-in user, with charts answered as ECharts options.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createAssistant } from '../../../commands/assistant';
import type { Caller, Reply } from '../../../commands/types';
import type { ChartOption } from '../../types/chart-option';
import { type WebDeps, langOf, userOf } from '../context';
import { requireUser } from '../guards';
import { translator } from '../i18n';
import type { WebRoute } from './types';

/** The longest question, in characters (code points) after trimming. */
export const ASK_MAX_CHARS = 500;
/** Replies shown for one question; the rest are counted in `omitted`. */
export const ASK_MAX_REPLIES = 20;
/** Questions one user may ask a minute, counted in the database like login attempts. */
export const ASK_PER_MINUTE = 20;

/** One reply as the browser gets it: text, or a chart's option for ECharts with its alt text. */
export type AskReply =
  | { kind: 'text'; text: string }
  | { kind: 'chart'; option: ChartOption; name: string; alt: string };

export interface AskAnswer {
  replies: AskReply[];
  /** Replies past ASK_MAX_REPLIES that are not sent. */
  omitted: number;
}

function askReply(r: Reply): AskReply {
  if (r.kind === 'image') return { kind: 'text', text: r.alt };
  return r.kind === 'chart'
    ? { kind: 'chart', option: r.option, name: r.name, alt: r.alt }
    : { kind: 'text', text: r.text };
}

/** What the router answered, as sent to the browser: at most ASK_MAX_REPLIES replies. */
export function askAnswer(replies: readonly Reply[]): AskAnswer {
  return {
    replies: replies.slice(0, ASK_MAX_REPLIES).map(askReply),
    omitted: Math.max(0, replies.length - ASK_MAX_REPLIES),
  };
}

export const askRoutes: WebRoute = {
  name: 'ask',
  register(app: FastifyInstance, deps: WebDeps) {
    app.addHook('preHandler', requireUser);
    // The chat's router and commands: the same answers, access rules and refusals as in WeChat.
    const router = createAssistant({
      ds: deps.ds,
      config: deps.config,
      log: deps.log,
      renderChart: null,
      chartOptions: true,
      now: deps.now,
    });
    const limit = app.createRateLimit({
      max: ASK_PER_MINUTE,
      timeWindow: 60_000,
      keyGenerator: (req) => `ask:${userOf(req).id}`,
    });

    const refuse = (reply: FastifyReply, status: number, error: string) => {
      reply.code(status).header('cache-control', 'no-store');
      return { error };
    };

    app.post('/api/ask', async (req: FastifyRequest, reply: FastifyReply) => {
      const user = userOf(req);
      const t = translator(langOf(req, deps));
      // Every question counts, refused ones too: the limit is on asking.
      const l = await limit(req);
      if (!l.isAllowed && l.isExceeded) {
        reply.header('retry-after', l.ttlInSeconds);
        return refuse(reply, 429, t('askThrottled', { seconds: l.ttlInSeconds }));
      }
      const raw = (req.body as { text?: unknown } | undefined)?.text;
      const question = typeof raw === 'string' ? raw.trim() : '';
      if (question === '') return refuse(reply, 400, t('askEmpty'));
      const length = [...question].length;
      if (length > ASK_MAX_CHARS)
        return refuse(reply, 400, t('askTooLong', { max: ASK_MAX_CHARS, n: length }));
      const caller: Caller = {
        userId: user.id,
        login: user.login,
        displayName: user.displayName,
        role: user.role,
      };
      const replies = await router.handle(question, caller, null, {
        conversation: `web:${user.id}`,
      });
      reply.header('cache-control', 'no-store');
      return askAnswer(replies);
    });
  },
};
