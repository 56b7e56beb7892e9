// Every phrasing of the corpus (test/nlu/corpus.ts) read by understand on the corpus lexicon, fixed clock and zone: one test each, the whole Understanding compared.
import { buildLexicon } from '../../src/nlu/lexicon';
import { understand } from '../../src/nlu/understand';
import { CORPUS, CORPUS_NOW, CORPUS_SOURCE, CORPUS_TZ, type CorpusCase } from './corpus';

const lexicon = buildLexicon(CORPUS_SOURCE);
const title = (c: CorpusCase) =>
  c.previous ? `${c.text}  (after ${JSON.stringify(c.previous)})` : c.text;

describe('the phrasing corpus', () => {
  it('has at least 250 phrasings, none twice', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(250);
    const titles = CORPUS.map(title);
    expect(new Set(titles).size).toBe(titles.length);
  });

  it('covers every intent kind and every kind of understanding', () => {
    const kinds = new Set(
      CORPUS.flatMap((c) =>
        c.expected.kind === 'sure'
          ? [c.expected.intent.kind]
          : c.expected.kind === 'unsure'
            ? c.expected.readings.map((r) => r.kind)
            : [],
      ),
    );
    expect([...kinds].sort()).toEqual(
      [
        'alarms',
        'compare',
        'figures',
        'forecast',
        'help',
        'metric',
        'ranking',
        'server',
        'status',
      ].sort(),
    );
    expect(new Set(CORPUS.map((c) => c.expected.kind))).toEqual(
      new Set(['sure', 'unsure', 'ambiguous', 'offtopic']),
    );
  });

  it.each(CORPUS.map((c) => [title(c), c] as const))('%s', (_title, c) => {
    expect(
      understand(c.text, {
        lexicon,
        now: CORPUS_NOW,
        tz: CORPUS_TZ,
        previous: c.previous ?? null,
      }),
    ).toEqual(c.expected);
  });
});
