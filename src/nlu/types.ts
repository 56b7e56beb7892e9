// What the understanding layer reads out of a question: its time, its intent and slots, and how sure it is (the contract between the parser, the answers and the tests).

/** The business figures of a site's day, as the site files and the read models name them. */
export type Figure = 'opens' | 'closes' | 'totalUsers' | 'calls' | 'pushes' | 'mo' | 'mt';
export const FIGURES: readonly Figure[] = [
  'opens',
  'closes',
  'totalUsers',
  'calls',
  'pushes',
  'mo',
  'mt',
];

/** A server metric. */
export type Metric = 'cpu' | 'mem' | 'disk';

/**
 * When, resolved against a clock and a zone. Days are YYYY-MM-DD in the zone, both ends inclusive;
 * hours are a span of instants (ms) ending at `toMs`.
 */
export type TimeSpec =
  | { kind: 'day'; day: string }
  | { kind: 'days'; from: string; to: string }
  | { kind: 'hours'; fromMs: number; toMs: number };

/** A time expression found in a text: what it means, and where it was (to take it out of the rest). */
export interface TimeMatch {
  time: TimeSpec;
  /** [start, end) in the text the parser was given. */
  start: number;
  end: number;
}

/** What is ranked: sites by a figure, servers by a metric, or the servers that stopped reporting. */
export type RankTarget =
  { kind: 'figure'; figure: Figure } | { kind: 'metric'; metric: Metric } | { kind: 'stale' };

/**
 * Sites are site codes, servers server ids: what the lexicon resolved names to. An empty `sites`
 * names no site: every site the request may see.
 */
export type Intent =
  /** One day's figures (each with its change against the day before and the same weekday a week earlier), or a range's sums and per day (with a chart). */
  | { kind: 'figures'; sites: string[]; figures: Figure[]; time: TimeSpec }
  /** Two or more sites over one time, or one site over two or more times. */
  | { kind: 'compare'; sites: string[]; figures: Figure[]; times: TimeSpec[] }
  | { kind: 'status'; sites: string[] }
  /** Active alarms (time null), or the alarms raised in a time (history); `onlyNew`: 新告警. */
  | { kind: 'alarms'; sites: string[]; time: TimeSpec | null }
  | { kind: 'server'; server: number }
  | { kind: 'metric'; metric: Metric; server: number; time: TimeSpec | null }
  /** How long a disk (or memory) lasts: answered by the capacity forecasts when they exist. */
  | { kind: 'forecast'; server: number; metric: 'disk' | 'mem' }
  | {
      kind: 'ranking';
      target: RankTarget;
      order: 'desc' | 'asc';
      limit: number;
      sites: string[];
      time: TimeSpec | null;
    }
  | { kind: 'help' };

export type IntentKind = Intent['kind'];

/** How sure the parser is of a reading. */
export type Understanding =
  | { kind: 'sure'; intent: Intent }
  /** Best one to three readings, best first, to ask back ("您是想问：…？"). */
  | { kind: 'unsure'; readings: Intent[] }
  /** A word names several things the caller may see: list them. */
  | { kind: 'ambiguous'; word: string; candidates: { kind: 'site' | 'server'; label: string }[] }
  /** Names nothing Sitewatch knows: the short help. */
  | { kind: 'offtopic' };
