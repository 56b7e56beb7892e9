// Questions as staff write them: the lexicon of the request's scope, the understanding, follow-ups per conversation (10 minutes), asking back when unsure, then the intent's answer.
import type { Lexicon } from '../src/nlu/lexicon';
import { LexiconCache, scopeLexicon } from '../src/nlu/lexicon';
import { timeLabel } from '../src/nlu/time';
import type { Figure, Intent, Metric, TimeSpec } from '../src/nlu/types';
import { understand } from '../src/nlu/understand';
import { FIGURE_LABELS } from '../src/present/figure-labels';
import { type AnswerRegistry, createAnswerRegistry } from './answers/registry';
import { FIGURE_KEY } from './answers/common';
import { QUESTION_EXAMPLES } from './answers/help';
import { loggedText } from './log-text';
import { text } from './reply';
import type { Caller, CommandDeps, Reply, RoomContext } from './types';

/** How long a conversation's last question is kept for a follow-up ("那广州呢"). */
export const FOLLOW_UP_MS = 10 * 60_000;
/** Conversations remembered at once (the least recently used is forgotten first). */
const MAX_CONVERSATIONS = 10_000;

export const OFFTOPIC_TEXT = `我可以回答局点的业务数据、状态、告警和服务器的问题，例如：${QUESTION_EXAMPLES.slice(0, 4).join('、')}。发送“帮助”查看全部。`;

/** A yes to "您是想问：…？" (the first reading), or the number of one of the readings. */
const YES = /^(是|是的|对|对的|嗯|好|好的|yes|y|ok)$/i;

export interface NaturalLanguage {
  /** The replies to a text no command matched. */
  ask(
    text: string,
    caller: Caller,
    room: RoomContext | null,
    o: { conversation?: string; working?: () => void },
  ): Promise<Reply[]>;
  /** Whether a text is understood for sure (the router prefers it to a command the text only starts with). */
  sure(text: string, caller: Caller, room: RoomContext | null): Promise<boolean>;
}

interface Remembered {
  /** The last question understood for sure; what a follow-up changes. */
  intent: Intent | null;
  /** The readings asked back about, when the last answer was "您是想问". */
  readings: Intent[];
  at: number;
}

const figureNames = (figures: readonly Figure[]) =>
  figures.map((f) => FIGURE_LABELS[FIGURE_KEY[f]]).join('、');
const METRIC_NAMES: Record<Metric, string> = { cpu: 'CPU', mem: '内存', disk: '磁盘' };

/** An intent in words, for asking back: "北京移动彩印 2026-12-05 开通". */
export function describeIntent(intent: Intent, lexicon: Lexicon, tz: string): string {
  const sites = (codes: readonly string[]) =>
    codes.length === 0 ? '各局点' : codes.map((c) => lexicon.siteLabel(c)).join('和');
  const when = (t: TimeSpec | null) => (t ? ` ${timeLabel(t, tz)}` : '');
  switch (intent.kind) {
    case 'figures':
      return `${sites(intent.sites)}${when(intent.time)} ${intent.figures.length > 0 ? figureNames(intent.figures) : '业务数据'}`;
    case 'compare':
      return `${sites(intent.sites)}${intent.times.map((t) => when(t)).join(' 与')} ${intent.figures.length > 0 ? figureNames(intent.figures) : '业务数据'}对比`;
    case 'status':
      return `${sites(intent.sites)} 状态`;
    case 'alarms':
      return intent.time
        ? `${sites(intent.sites)}${when(intent.time)} 的告警`
        : `${sites(intent.sites)} 当前告警`;
    case 'server':
      return `服务器 ${lexicon.serverLabel(intent.server)}`;
    case 'metric':
      return `${lexicon.serverLabel(intent.server)}${when(intent.time)} ${METRIC_NAMES[intent.metric]}`;
    case 'forecast':
      return `${lexicon.serverLabel(intent.server)} ${METRIC_NAMES[intent.metric]}还能用多久`;
    case 'ranking': {
      const what =
        intent.target.kind === 'stale'
          ? '停报的服务器'
          : intent.target.kind === 'metric'
            ? `${METRIC_NAMES[intent.target.metric]}${intent.order === 'desc' ? '最高' : '最低'}的服务器`
            : `${figureNames([intent.target.figure])}${intent.order === 'desc' ? '最多' : '最少'}的局点`;
      return `${when(intent.time).trim()}${intent.time ? ' ' : ''}${what}`;
    }
    case 'help':
      return '帮助';
  }
}

export function createNaturalLanguage(
  deps: CommandDeps,
  o: { answers?: AnswerRegistry; cache?: LexiconCache } = {},
): NaturalLanguage {
  const answers = o.answers ?? createAnswerRegistry();
  const cache = o.cache ?? new LexiconCache({ now: deps.now });
  const conversations = new Map<string, Remembered>();

  function recall(key: string | undefined): Remembered | null {
    if (!key) return null;
    const r = conversations.get(key);
    if (!r) return null;
    if (deps.now() - r.at > FOLLOW_UP_MS) {
      conversations.delete(key);
      return null;
    }
    return r;
  }

  function remember(key: string | undefined, r: Omit<Remembered, 'at'>): void {
    if (!key) return;
    conversations.delete(key);
    conversations.set(key, { ...r, at: deps.now() });
    while (conversations.size > MAX_CONVERSATIONS)
      conversations.delete(conversations.keys().next().value!);
  }

  const lexiconOf = (caller: Caller, room: RoomContext | null) =>
    scopeLexicon(deps.ds, cache, caller, room ? room.siteIds : null);

  async function answer(
    intent: Intent,
    s: string,
    caller: Caller,
    room: RoomContext | null,
    o: { conversation?: string; working?: () => void },
  ): Promise<Reply[]> {
    remember(o.conversation, { intent, readings: [] });
    if (answers.charts(intent)) o.working?.();
    return answers.answer(intent, { caller, args: s, room, deps });
  }

  return {
    async sure(s, caller, room) {
      const lexicon = await lexiconOf(caller, room);
      const u = understand(s, { lexicon, now: deps.now(), tz: deps.config.timezone });
      return u.kind === 'sure';
    },
    async ask(s, caller, room, opts) {
      const tz = deps.config.timezone;
      const before = recall(opts.conversation);
      // "是" (or a number) after "您是想问" answers the reading asked about.
      if (before && before.readings.length > 0) {
        const pick = YES.test(s) ? 0 : /^[1-3]$/.test(s) ? Number(s) - 1 : -1;
        if (pick >= 0 && pick < before.readings.length)
          return answer(before.readings[pick], s, caller, room, opts);
      }
      const lexicon = await lexiconOf(caller, room);
      const u = understand(s, {
        lexicon,
        now: deps.now(),
        tz,
        previous: before?.intent ?? null,
      });
      const who = { login: caller.login, room: room?.topic ?? null, text: loggedText(s) };
      switch (u.kind) {
        case 'sure':
          deps.log.info({ ...who, intent: u.intent.kind }, 'question understood');
          return answer(u.intent, s, caller, room, opts);
        case 'unsure': {
          deps.log.info({ ...who, readings: u.readings.length }, 'question unsure: asked back');
          remember(opts.conversation, { intent: before?.intent ?? null, readings: u.readings });
          const words = u.readings.map((r) => describeIntent(r, lexicon, tz));
          if (words.length === 1) return [text(`您是想问：${words[0]}？回复“是”即可。`)];
          return [
            text(`您是想问：\n${words.map((w, i) => `${i + 1}. ${w}`).join('\n')}\n回复序号即可。`),
          ];
        }
        case 'ambiguous':
          deps.log.info({ ...who, word: u.word }, 'question ambiguous: candidates listed');
          return [
            text(
              `“${u.word}”对应多个：${u.candidates.map((c) => c.label).join('、')}，请说得更具体些。`,
            ),
          ];
        case 'offtopic':
          deps.log.info(who, 'question off topic: short help');
          return [text(OFFTOPIC_TEXT)];
      }
    },
  };
}
