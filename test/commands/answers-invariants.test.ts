// Rules every answer to an understood question follows: exactly one per intent kind, listed once, and each answers a sample with replies, on seeded data and on an empty database.
import {
  ANSWER_FAILED_TEXT,
  createAnswerRegistry,
  intentAnswers,
} from '../../commands/answers/registry';
import { statusAnswer } from '../../commands/answers/status';
import type { AnyIntentAnswer } from '../../commands/answers/types';
import type { Caller, CommandContext, Reply } from '../../commands/types';
import type { Intent, IntentKind } from '../../src/nlu/types';
import { describeEachEngine, resetDb } from '../helpers/db';
import { NOW, seed, testDeps, type Seeded } from './seed';

type Sample<K extends IntentKind> = (s: Seeded | null) => Extract<Intent, { kind: K }>;

/** A sample intent of every kind; the type makes a new intent kind add its sample here. */
const SAMPLES: { [K in IntentKind]: Sample<K> } = {
  figures: () => ({
    kind: 'figures',
    sites: ['BJ01'],
    figures: [],
    time: { kind: 'day', day: '2026-11-24' },
  }),
  compare: () => ({
    kind: 'compare',
    sites: ['BJ01', 'SH01'],
    figures: ['opens'],
    times: [{ kind: 'days', from: '2026-11-20', to: '2026-11-24' }],
  }),
  status: () => ({ kind: 'status', sites: ['BJ01'] }),
  alarms: () => ({
    kind: 'alarms',
    sites: [],
    time: { kind: 'hours', fromMs: NOW - 86_400_000, toMs: NOW },
  }),
  server: (s) => ({ kind: 'server', server: s?.servers.app01.id ?? 1 }),
  metric: (s) => ({ kind: 'metric', metric: 'disk', server: s?.servers.app01.id ?? 1, time: null }),
  forecast: (s) => ({ kind: 'forecast', server: s?.servers.app01.id ?? 1, metric: 'mem' }),
  ranking: () => ({
    kind: 'ranking',
    target: { kind: 'metric', metric: 'cpu' },
    order: 'desc',
    limit: 5,
    sites: [],
    time: null,
  }),
  help: () => ({ kind: 'help' }),
};

const kinds = Object.keys(SAMPLES) as IntentKind[];
const sampleOf = (kind: IntentKind, s: Seeded | null) =>
  (SAMPLES[kind] as (s: Seeded | null) => Intent)(s);
const admin: Caller = { userId: 1, login: 'admin', displayName: '管理员', role: 'admin' };

describe('the answer registry', () => {
  it('has exactly one answer per intent kind, in the order listed', () => {
    const listed = createAnswerRegistry()
      .list()
      .map((a) => a.kind);
    expect([...listed].sort()).toEqual([...kinds].sort());
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(intentAnswers.map((a) => a.kind));
    for (const k of kinds) expect(createAnswerRegistry().require(k).kind).toBe(k);
  });

  it('refuses two answers of one kind, and an unknown kind', () => {
    expect(() => createAnswerRegistry([...intentAnswers, { ...statusAnswer }])).toThrow(
      new Error('Duplicate intent answer "status" in the registry.'),
    );
    expect(() => createAnswerRegistry().require('weather' as IntentKind)).toThrow(
      new Error('Unknown intent answer "weather".'),
    );
  });
});

describeEachEngine('every answer', (db) => {
  let s: Seeded;
  const ctx = (deps: CommandContext['deps'], caller: Caller): CommandContext => ({
    caller,
    args: 'q',
    room: null,
    deps,
  });
  // Called directly, not through the registry, which would turn a throw into an apology.
  const direct = (a: AnyIntentAnswer, intent: Intent, c: CommandContext): Promise<Reply[]> =>
    (a.answer as (i: Intent, c: CommandContext) => Promise<Reply[]>)(intent, c);
  const charts = (a: AnyIntentAnswer, intent: Intent): boolean =>
    (a.charts as (i: Intent) => boolean)(intent);

  describe('on an empty database', () => {
    beforeAll(async () => {
      await resetDb(db());
    });

    it.each(kinds)('%s answers its sample with a text and never throws', async (kind) => {
      const t = testDeps(db().ds);
      const a = createAnswerRegistry().require(kind);
      const intent = sampleOf(kind, null);
      const replies = await direct(a, intent, ctx(t.deps, admin));
      expect(replies.length).toBeGreaterThan(0);
      expect(replies[0].kind).toBe('text');
      expect(replies[0].kind === 'text' && replies[0].text.length).toBeGreaterThan(0);
      expect(typeof charts(a, intent)).toBe('boolean');
    });
  });

  describe('on seeded data', () => {
    beforeAll(async () => {
      await resetDb(db());
      s = await seed(db().ds);
    });

    it.each(kinds)(
      '%s answers its sample with a text, and with a chart only when it says it may',
      async (kind) => {
        const t = testDeps(db().ds);
        const a = createAnswerRegistry().require(kind);
        const intent = sampleOf(kind, s);
        const replies = await direct(a, intent, ctx(t.deps, s.li));
        expect(replies.length).toBeGreaterThan(0);
        expect(replies[0]).toEqual({ kind: 'text', text: expect.stringMatching(/\S/) });
        const drawn = replies.filter((r) => r.kind === 'image').length;
        expect({ kind, drawn: drawn > 0 }).toEqual({ kind, drawn: charts(a, intent) && drawn > 0 });
        if (!charts(a, intent)) expect(t.charts).toEqual([]);
        // no refusal for a sample the caller may see
        expect(t.logs.filter((l) => l.msg === 'question refused')).toEqual([]);
      },
    );

    it('through the registry, a failing answer is logged and answered with an apology', async () => {
      const t = testDeps(db().ds);
      const broken = createAnswerRegistry([
        ...intentAnswers.filter((a) => a.kind !== 'status'),
        {
          ...statusAnswer,
          answer: async () => {
            throw new Error('database gone');
          },
        },
      ]);
      expect(await broken.answer(sampleOf('status', s), ctx(t.deps, s.li))).toEqual([
        { kind: 'text', text: ANSWER_FAILED_TEXT },
      ]);
      expect(t.logs).toContainEqual(
        expect.objectContaining({ level: 50, msg: 'answer failed', login: 'li', intent: 'status' }),
      );
    });
  });
});
