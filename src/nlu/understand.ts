// From a question as staff type it to an Understanding: times, the scope's names and the domain words found in it, then the intent and its slots, a follow-up of the previous question, or how unsure the reading is.
import { addDays, isoDay } from '../time';
import type { Found, Lexicon } from './lexicon';
import { normalise } from './segment';
import { CHINESE_DIGITS, type Sense } from './synonyms';
import { findTimes } from './time';
import {
  FIGURES,
  type Figure,
  type Intent,
  type Metric,
  type TimeMatch,
  type TimeSpec,
  type Understanding,
} from './types';

/** Rows of a ranking when the question gives no number and asks for no single one (哪台 asks for 1). */
export const DEFAULT_RANK_LIMIT = 10;
/** Days of 告警历史, 趋势 and 看看图 when the question names no time (up to and including today, or the day asked). */
export const DEFAULT_RANGE_DAYS = 7;
/** A ranking's largest limit (前100台 is shortened to it). */
export const MAX_RANK_LIMIT = 50;

export interface UnderstandOptions {
  lexicon: Lexicon;
  now: number;
  /** The zone of days when the text names no site (or several). */
  tz: string;
  /** The intent of the previous question in this conversation, for follow-ups (那广州呢, 前天呢). */
  previous?: Intent | null;
}

type Flag = Exclude<Sense['kind'], 'figure' | 'metric' | 'filler' | 'rank'>;

/** What a text gives, before an intent is chosen. */
interface Slots {
  sites: string[];
  server: number | null;
  figures: Figure[];
  metrics: Metric[];
  times: TimeSpec[];
  limit: number | null;
  order: 'desc' | 'asc' | null;
  flags: Set<Flag>;
  /** A time right after 比 (比上周): the base a comparison is made against. */
  base: TimeSpec | null;
}

interface Context {
  /** Today in the zone of the question's days. */
  today: string;
}

const LIMIT =
  /(?<![哪几])(?:(前|top)\s*)?(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(台|个|名|位|家)?/g;

function limitValue(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  if (s.length === 1) return CHINESE_DIGITS[s] ?? null;
  // 十五, 二十
  const [a, b] = [...s];
  if (a === '十') return 10 + (CHINESE_DIGITS[b] ?? 0);
  if (b === '十')
    return (CHINESE_DIGITS[a] ?? 0) * 10 + (s.length === 3 ? CHINESE_DIGITS[s[2]] : 0);
  return null;
}

/** 前5台, top 3, 三个: a ranking's size, and where it was (to mask it). */
function findLimit(s: string): { n: number; start: number; end: number } | null {
  for (const m of s.matchAll(LIMIT)) {
    if (!m[1] && !m[3]) continue;
    // 5台 alone must not be the tail of a name or an address (app5台 is no count).
    if (!m[1] && /[a-z0-9.]/.test(s[m.index - 1] ?? '')) continue;
    const n = limitValue(m[2]);
    if (n !== null && n >= 1)
      return { n: Math.min(n, MAX_RANK_LIMIT), start: m.index, end: m.index + m[0].length };
  }
  return null;
}

const mask = (s: string, spans: { start: number; end: number }[]) => {
  const chars = s.split('');
  for (const { start, end } of spans) for (let i = start; i < end; i++) chars[i] = ' ';
  return chars.join('');
};

const lastDays = (to: string, n: number): TimeSpec => ({
  kind: 'days',
  from: addDays(to, 1 - n),
  to,
});

const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

function isWholeMonth(t: { from: string; to: string }): boolean {
  return (
    t.from.endsWith('-01') &&
    addDays(t.to, 1).endsWith('-01') &&
    t.from.slice(0, 7) === t.to.slice(0, 7)
  );
}

/** The period of the same length just before `t` (上月 before 本月), for a comparison. */
function periodBefore(t: TimeSpec): TimeSpec {
  if (t.kind === 'day') return { kind: 'day', day: addDays(t.day, -1) };
  if (t.kind === 'hours') {
    const len = t.toMs - t.fromMs;
    return { kind: 'hours', fromMs: t.fromMs - len, toMs: t.fromMs };
  }
  if (t.from.endsWith('-01')) {
    const to = addDays(t.from, -1);
    // The month before, as long as the part of this month asked about (本月: 1st to today).
    const from = `${to.slice(0, 8)}01`;
    if (isWholeMonth(t)) return { kind: 'days', from, to };
    const end = addDays(from, daysBetween(t.from, t.to));
    return { kind: 'days', from, to: end > to ? to : end };
  }
  const len = daysBetween(t.from, t.to) + 1;
  return { kind: 'days', from: addDays(t.from, -len), to: addDays(t.to, -len) };
}

/** The period of the same length just after `t`, not beyond today (本周 after 上周). */
function periodAfter(t: TimeSpec, today: string): TimeSpec {
  if (t.kind === 'day') return { kind: 'day', day: addDays(t.day, 1) };
  if (t.kind === 'hours') {
    const len = t.toMs - t.fromMs;
    return { kind: 'hours', fromMs: t.toMs, toMs: t.toMs + len };
  }
  const clamp = (d: string) => (d > today ? today : d);
  if (isWholeMonth(t)) {
    const from = addDays(t.to, 1);
    const next = addDays(`${addDays(from, 31).slice(0, 8)}01`, -1);
    return { kind: 'days', from, to: clamp(next) };
  }
  const len = daysBetween(t.from, t.to) + 1;
  return { kind: 'days', from: addDays(t.from, len), to: clamp(addDays(t.to, len)) };
}

/** A day asked as a chart becomes the days up to it. */
const asRange = (t: TimeSpec): TimeSpec =>
  t.kind === 'day' ? lastDays(t.day, DEFAULT_RANGE_DAYS) : t;

const isNow = (t: TimeSpec, today: string) =>
  (t.kind === 'day' && t.day === today) || t.kind === 'hours';

/** The intent a text's slots make on their own. Null: nothing Sitewatch answers. */
function intentOf(sl: Slots, ctx: Context): Intent | null {
  const f = sl.flags;
  const t0 = sl.times[0] ?? null;
  const yesterday: TimeSpec = { kind: 'day', day: addDays(ctx.today, -1) };
  const named = sl.sites.length > 0 || sl.server !== null;
  if (f.has('help') && !named && sl.figures.length + sl.metrics.length === 0 && !f.has('alarms')) {
    return { kind: 'help' };
  }
  if (sl.server !== null) {
    const server = sl.server;
    if (f.has('forecast')) {
      return { kind: 'forecast', server, metric: sl.metrics.includes('mem') ? 'mem' : 'disk' };
    }
    if (sl.metrics.length > 0) return { kind: 'metric', metric: sl.metrics[0], server, time: t0 };
    if (f.has('chart')) return { kind: 'metric', metric: 'cpu', server, time: t0 };
    return { kind: 'server', server };
  }
  const limitOr = (n: number) => sl.limit ?? (f.has('which') ? 1 : n);
  if (f.has('stale')) {
    return {
      kind: 'ranking',
      target: { kind: 'stale' },
      order: 'desc',
      // 哪台服务器不上报 asks for all of them.
      limit: sl.limit ?? DEFAULT_RANK_LIMIT,
      sites: sl.sites,
      time: null,
    };
  }
  const ranked = sl.order !== null || f.has('ranking') || f.has('which') || sl.limit !== null;
  const order = sl.order ?? 'desc';
  if (ranked && sl.metrics.length > 0) {
    return {
      kind: 'ranking',
      target: { kind: 'metric', metric: sl.metrics[0] },
      order,
      limit: limitOr(DEFAULT_RANK_LIMIT),
      sites: sl.sites,
      time: t0,
    };
  }
  if (ranked && sl.figures.length > 0) {
    return {
      kind: 'ranking',
      target: { kind: 'figure', figure: sl.figures[0] },
      order,
      limit: limitOr(DEFAULT_RANK_LIMIT),
      sites: sl.sites,
      time: t0 ?? yesterday,
    };
  }
  if (f.has('forecast') || sl.metrics.length > 0) {
    // A metric without a server: the servers ranked by it (the fullest disks for 多久满).
    const metric: Metric = sl.metrics[0] ?? 'disk';
    return {
      kind: 'ranking',
      target: { kind: 'metric', metric },
      order: 'desc',
      limit: limitOr(DEFAULT_RANK_LIMIT),
      sites: sl.sites,
      time: t0,
    };
  }
  if (f.has('alarms')) {
    const history = f.has('history') ? lastDays(ctx.today, DEFAULT_RANGE_DAYS) : null;
    return { kind: 'alarms', sites: sl.sites, time: t0 ?? history };
  }
  const statusOnly =
    f.has('status') &&
    sl.figures.length === 0 &&
    !f.has('range') &&
    !f.has('chart') &&
    !f.has('compare') &&
    sl.times.every((t) => isNow(t, ctx.today));
  if (statusOnly) return { kind: 'status', sites: sl.sites };
  const figuresAsked =
    sl.figures.length > 0 ||
    sl.times.length > 0 ||
    f.has('range') ||
    f.has('chart') ||
    f.has('compare');
  if (figuresAsked) {
    const figures = sl.figures.length > 0 ? sl.figures : [...FIGURES];
    const chart = f.has('chart') || f.has('range');
    let times =
      sl.times.length > 0
        ? sl.times
        : [chart ? lastDays(ctx.today, DEFAULT_RANGE_DAYS) : yesterday];
    if (f.has('chart')) times = times.map(asRange);
    if (times.length >= 2 || sl.sites.length >= 2) {
      return { kind: 'compare', sites: sl.sites, figures, times };
    }
    if (f.has('compare')) {
      const t = times[0];
      const pair = sl.base === t ? [periodAfter(t, ctx.today), t] : [t, periodBefore(t)];
      return { kind: 'compare', sites: sl.sites, figures, times: pair };
    }
    return { kind: 'figures', sites: sl.sites, figures, time: times[0] };
  }
  if (f.has('status') || sl.sites.length > 0) return { kind: 'status', sites: sl.sites };
  return null;
}

/** The slots that make `intent` again, for a follow-up to change some of them. */
function slotsOf(intent: Intent): Slots {
  const sl: Slots = {
    sites: [],
    server: null,
    figures: [],
    metrics: [],
    times: [],
    limit: null,
    order: null,
    flags: new Set(),
    base: null,
  };
  switch (intent.kind) {
    case 'figures':
      sl.sites = [...intent.sites];
      sl.figures = intent.figures.length === FIGURES.length ? [] : [...intent.figures];
      sl.times = [intent.time];
      break;
    case 'compare':
      sl.sites = [...intent.sites];
      sl.figures = intent.figures.length === FIGURES.length ? [] : [...intent.figures];
      sl.times = [...intent.times];
      break;
    case 'status':
      sl.sites = [...intent.sites];
      sl.flags.add('status');
      break;
    case 'alarms':
      sl.sites = [...intent.sites];
      sl.flags.add('alarms');
      if (intent.time) sl.times = [intent.time];
      break;
    case 'server':
      sl.server = intent.server;
      break;
    case 'metric':
      sl.server = intent.server;
      sl.metrics = [intent.metric];
      if (intent.time) sl.times = [intent.time];
      break;
    case 'forecast':
      sl.server = intent.server;
      sl.metrics = [intent.metric];
      sl.flags.add('forecast');
      break;
    case 'ranking':
      sl.sites = [...intent.sites];
      sl.order = intent.order;
      sl.limit = intent.limit;
      sl.flags.add('ranking');
      if (intent.time) sl.times = [intent.time];
      if (intent.target.kind === 'figure') sl.figures = [intent.target.figure];
      else if (intent.target.kind === 'metric') sl.metrics = [intent.target.metric];
      else sl.flags.add('stale');
      break;
    case 'help':
      sl.flags.add('help');
      break;
  }
  return sl;
}

/** The previous question with what this text gives put in its place. */
function followUp(prev: Intent, now: Slots, lexicon: Lexicon, ctx: Context): Intent[] {
  const sl = slotsOf(prev);
  if (now.server !== null) {
    sl.server = now.server;
    sl.sites = [];
    if (now.metrics.length === 0 && !now.flags.has('forecast')) {
      sl.metrics = prev.kind === 'metric' || prev.kind === 'forecast' ? sl.metrics : [];
      if (prev.kind === 'forecast') sl.flags.add('forecast');
    }
  } else if (now.sites.length > 0) {
    sl.sites = now.sites;
    if (sl.server !== null) {
      sl.server = null;
      if (prev.kind === 'server') sl.flags.add('status');
      sl.flags.delete('forecast');
    }
  }
  if (now.figures.length > 0) {
    sl.figures = now.figures;
    sl.metrics = [];
    if (sl.server !== null) {
      sl.sites = [lexicon.servers.get(sl.server)?.siteCode ?? ''].filter(Boolean);
      sl.server = null;
    }
    sl.flags.delete('status');
    sl.flags.delete('alarms');
    sl.flags.delete('stale');
    sl.flags.delete('forecast');
  }
  if (now.metrics.length > 0) {
    sl.metrics = now.metrics;
    sl.figures = [];
    sl.flags.delete('status');
    sl.flags.delete('alarms');
    sl.flags.delete('stale');
    if (!now.metrics.every((m) => m === 'disk' || m === 'mem')) sl.flags.delete('forecast');
  }
  if (now.order !== null) sl.order = now.order;
  if (now.limit !== null) sl.limit = now.limit;
  for (const flag of now.flags) if (flag !== 'followup' && flag !== 'replace') sl.flags.add(flag);

  if (now.times.length > 0) {
    if (now.flags.has('compare') && sl.times.length === 1 && now.times.length === 1) {
      // 比上周多还是少 after a day: that weekday a week earlier, the change a day's figures show.
      const [was] = sl.times;
      const t = now.times[0];
      const week = t.kind === 'days' && daysBetween(t.from, t.to) === 6;
      sl.times = [was, was.kind === 'day' && week ? { kind: 'day', day: addDays(was.day, -7) } : t];
    } else {
      sl.times = now.times;
    }
    // A status question given a day: that day's figures or its alarms.
    if (
      prev.kind === 'status' &&
      now.figures.length === 0 &&
      !now.times.every((t) => isNow(t, ctx.today))
    ) {
      sl.flags.delete('status');
      const figures = intentOf(sl, ctx);
      const alarms = intentOf({ ...sl, flags: new Set([...sl.flags, 'alarms']) }, ctx);
      return [figures, alarms].filter((i): i is Intent => i !== null);
    }
  }
  if (now.flags.has('chart') && prev.kind === 'status') sl.flags.delete('status');
  const intent = intentOf(sl, ctx);
  return intent ? [intent] : [];
}

interface Reading {
  slots: Slots;
  /** The zone of the question's days: the one named site's, else the given one. */
  zone: string;
  /** Unknown words of two or more characters that are no typo of a name. */
  unknown: string[];
  /** Typo candidates for unknown words: the sites or servers they might be. */
  typos: { sites: string[]; servers: number[] }[];
  /** Single unknown characters and bare numbers (particles, 吃 of 晚上吃什么). */
  loose: number;
  ambiguous: { word: string; sites: readonly string[]; servers: readonly number[] } | null;
  /** Whether the text names anything Sitewatch knows (a site, server, figure, metric, alarms). */
  known: boolean;
  /** A follow-up of the previous question rather than a question of its own. */
  follows: boolean;
  /** Servers named besides `slots.server`. */
  others: number[];
  /** A site is named that the named server is not in. */
  conflict: boolean;
  /** The server was chosen by a mistyped site name. */
  guess: boolean;
}

const INTENT_FLAGS: readonly Flag[] = [
  'status',
  'alarms',
  'ranking',
  'which',
  'list',
  'stale',
  'history',
  'range',
  'server',
  'forecast',
  'help',
];

/**
 * Time expressions, each given back the characters it took from a domain word right after it
 * (近3小时内存: 近3小时内 + 存, where 内存 is meant) when it means the same without them.
 */
function timesIn(s: string, now: number, tz: string, lexicon: Lexicon): TimeMatch[] {
  // A name wins over a time inside it: 北京一号 is a site, not 北京 on the 1st.
  const names = lexicon
    .find(s)
    .hits.filter((h) => h.entry.sites.length > 0 || h.entry.servers.length > 0);
  const inName = (m: TimeMatch) => names.some((h) => h.start < m.end && m.start < h.end);
  return findTimes(s, now, tz)
    .filter((m) => !inName(m))
    .map((m) => {
      for (let k = 1; k <= 2 && k < m.end - m.start; k++) {
        const rest = m.end - k;
        const word = lexicon.dictionary.lengths.some((len) => {
          const e = len > k ? lexicon.dictionary.get(s.slice(rest, rest + len)) : undefined;
          return e !== undefined && e.senses.some((x) => x.kind !== 'filler');
        });
        if (!word) continue;
        const shorter = findTimes(s.slice(m.start, rest), now, tz);
        const same =
          shorter.length === 1 &&
          shorter[0].end === rest - m.start &&
          JSON.stringify(shorter[0].time) === JSON.stringify(m.time);
        if (same) return { ...m, end: rest };
      }
      return m;
    });
}

const strong = (f: Found) =>
  f.hits.some((h) =>
    h.entry.senses.some((x) => x.kind === 'figure' || x.kind === 'metric' || x.kind === 'alarms'),
  );

/**
 * A mistyped name whose end is a domain word (广洲移动彩印: 广洲移动 unknown + 彩印 pushes): when the
 * unknown run with the word is as close to a name as the run alone, the word is part of the name.
 */
function mendNames(found: Found, lexicon: Lexicon): Found {
  const short = strong(found);
  const best = (w: string) => lexicon.fuzzy(w, { short })[0]?.distance ?? Infinity;
  let hits = found.hits;
  const unknown = found.unknown.map((u) => {
    if (u.ascii || u.text.length < 2) return u;
    const next = hits.find((h) => h.start === u.end && h.entry.senses.length > 0);
    if (!next) return u;
    const longer = u.text + next.text;
    const d = best(longer);
    if (d === Infinity || d > best(u.text)) return u;
    hits = hits.filter((h) => h !== next);
    return { ...u, end: next.end, text: longer };
  });
  return { hits, unknown };
}

function read(s: string, lexicon: Lexicon, now: number, tz: string, hasPrevious: boolean): Reading {
  let times: TimeMatch[] = timesIn(s, now, tz, lexicon);
  const limit = findLimit(mask(s, times));
  const masked = mask(s, limit ? [...times, limit] : times);
  const found = mendNames(lexicon.find(masked), lexicon);

  const flags = new Set<Flag>();
  const figures: Figure[] = [];
  const metrics: Metric[] = [];
  let order: 'desc' | 'asc' | null = null;
  for (const h of found.hits) {
    for (const sense of h.entry.senses) {
      if (sense.kind === 'figure') {
        if (!figures.includes(sense.figure)) figures.push(sense.figure);
      } else if (sense.kind === 'metric') {
        if (!metrics.includes(sense.metric)) metrics.push(sense.metric);
      } else if (sense.kind === 'rank') order ??= sense.order;
      else if (sense.kind !== 'filler') flags.add(sense.kind);
    }
  }
  const serverish = metrics.length > 0 || flags.has('server') || flags.has('forecast');

  const sites: string[] = [];
  let ambiguous: Reading['ambiguous'] = null;
  const serverHits: { word: string; servers: readonly number[] }[] = [];
  for (const h of found.hits) {
    const e = h.entry;
    if (e.servers.length > 0 && (e.sites.length === 0 || serverish)) {
      serverHits.push({ word: h.text, servers: e.servers });
    } else if (e.sites.length === 1) {
      if (!sites.includes(e.sites[0])) sites.push(e.sites[0]);
    } else if (e.sites.length > 1) {
      ambiguous ??= { word: h.text, sites: e.sites, servers: [] };
    }
  }
  let server: number | null = null;
  // Further servers named (db01 db02 cpu), each a reading of its own.
  const others: number[] = [];
  for (const hit of serverHits) {
    let candidates = hit.servers;
    const inSites = candidates.filter((id) =>
      sites.includes(lexicon.servers.get(id)?.siteCode ?? ''),
    );
    if (inSites.length > 0) candidates = inSites;
    if (candidates.length === 1) {
      if (server === null) server = candidates[0];
      else if (server !== candidates[0] && !others.includes(candidates[0]))
        others.push(candidates[0]);
    } else {
      ambiguous ??= { word: hit.word, sites: [], servers: candidates };
    }
  }
  // A site named with its server only says where the server is; another site contradicts it (上海 db01).
  let conflict = false;
  if (server !== null) {
    const own = lexicon.servers.get(server)?.siteCode;
    const i = sites.indexOf(own ?? '');
    if (i >= 0) sites.splice(i, 1);
    conflict = sites.length > 0;
  }

  // Days are the named site's days.
  const where = new Set(sites);
  if (server !== null) where.add(lexicon.servers.get(server)?.siteCode ?? '');
  const zone = where.size === 1 ? (lexicon.sites.get([...where][0])?.zone ?? tz) : tz;
  if (zone !== tz) times = timesIn(s, now, zone, lexicon);

  const unknown: string[] = [];
  const typos: Reading['typos'] = [];
  // Clearly a question about figures, metrics or alarms: a 2-character unknown may be a mistyped city.
  const short = figures.length > 0 || metrics.length > 0 || flags.has('alarms');
  let loose = 0;
  for (const u of found.unknown) {
    // A number with a time unit that no time expression took (11月 alone): a time not understood.
    const after = found.unknown.find((x) => x.start === u.end);
    if (/^\d+$/.test(u.text) && after && /^[年月日号天周点]/.test(after.text)) {
      unknown.push(u.text + after.text[0]);
      continue;
    }
    if (u.text.length < 2 || /^\d+$/.test(u.text)) {
      loose++;
      continue;
    }
    const candidates = lexicon.fuzzy(u.text, { short });
    if (candidates.length === 0) {
      unknown.push(u.text);
      continue;
    }
    // The closest names only (relative to their length), at most three readings' worth.
    const closest = candidates[0].distance / candidates[0].term.length;
    for (const c of candidates.filter((x) => x.distance / x.term.length === closest).slice(0, 3)) {
      // A server typo next to a site name: that site's servers (北京 app09 is not 上海's app01).
      const near = c.servers.filter((id) =>
        sites.includes(lexicon.servers.get(id)?.siteCode ?? ''),
      );
      const fits = sites.length > 0 && c.servers.length > 0 ? near : c.servers;
      const servers = fits.filter((id) => !typos.some((t) => t.servers.includes(id)));
      const cs = c.sites.filter((code) => !typos.some((t) => t.sites.includes(code)));
      if (servers.length + cs.length > 0) typos.push({ sites: [...cs], servers: [...servers] });
    }
  }
  // A mistyped site that tells which of several servers is meant (bjcmcc app01): that one, as a guess.
  let guess = false;
  if (ambiguous && ambiguous.servers.length > 0 && server === null) {
    const near = typos.flatMap((t) => t.sites);
    const one = ambiguous.servers.filter((id) =>
      near.includes(lexicon.servers.get(id)?.siteCode ?? ''),
    );
    if (one.length === 1) {
      server = one[0];
      ambiguous = null;
      guess = true;
      typos.length = 0;
    }
  }

  const slots: Slots = {
    sites,
    server,
    figures,
    metrics,
    times: times.map((t) => t.time),
    limit: limit?.n ?? null,
    order,
    flags,
    base: null,
  };
  // 比上周: the time right after 比 is what the comparison is made against.
  for (const h of found.hits) {
    if (h.text !== '比') continue;
    const k = times.findIndex((t) => t.start >= h.end && s.slice(h.end, t.start).trim() === '');
    if (k >= 0) slots.base = slots.times[k];
  }
  const known =
    sites.length > 0 ||
    server !== null ||
    figures.length > 0 ||
    metrics.length > 0 ||
    flags.has('alarms') ||
    ambiguous !== null ||
    typos.length > 0;
  const ownIntent = INTENT_FLAGS.some((f) => flags.has(f)) || order !== null;
  const marked = flags.has('followup') || flags.has('replace') || flags.has('chart');
  // Without a marker (呢, 换成, 看看图), a text of slots alone is a follow-up when it changes where,
  // when or how many (广州, 北京 最近3天), or only what (内存): one that names what AND where or
  // when (北京一号昨天开户多少) is a question of its own.
  const what = figures.length > 0 || metrics.length > 0;
  const whereWhen = sites.length > 0 || server !== null || times.length > 0 || limit !== null;
  const slotsOnly = !ownIntent && unknown.length === 0 && what !== whereWhen;
  const follows =
    hasPrevious &&
    (marked || slotsOnly || (flags.has('compare') && times.length > 0 && sites.length < 2));
  return {
    slots,
    zone,
    unknown,
    loose,
    typos,
    ambiguous,
    known,
    follows,
    others,
    conflict,
    guess,
  };
}

/** The first three different readings. */
function distinct(intents: Iterable<Intent>): Intent[] {
  const seen = new Set<string>();
  const out: Intent[] = [];
  for (const i of intents) {
    const key = JSON.stringify(i);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(i);
    if (out.length === 3) break;
  }
  return out;
}

/**
 * What `text` asks, for the scope `lexicon` was built for. Names the scope may not see are unknown
 * words like any made-up name. A text that names a figure, a metric, alarms or a site is never
 * off-topic: when it is not sure it says which readings it considered (`unsure`) or which things a
 * word could name (`ambiguous`).
 */
export function understand(text: string, opts: UnderstandOptions): Understanding {
  const { lexicon, now, tz } = opts;
  const previous = opts.previous ?? null;
  // As the router has it: one space between words, no leading @mention.
  const s = normalise(text)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^@\S+(?: |$)/, '')
    .trim();
  if (s === '') return { kind: 'offtopic' };
  if (/^[?？]+$/.test(s)) return { kind: 'sure', intent: { kind: 'help' } };
  const r = read(s, lexicon, now, tz, previous !== null);
  const ctx: Context = { today: isoDay(now, r.zone) };

  if (r.ambiguous) {
    const { word, sites, servers } = r.ambiguous;
    return {
      kind: 'ambiguous',
      word,
      candidates: [
        ...sites.map((c) => ({ kind: 'site' as const, label: lexicon.siteLabel(c) })),
        ...servers.map((id) => ({ kind: 'server' as const, label: lexicon.serverLabel(id) })),
      ],
    };
  }
  const readingsOf = (sl: Slots): Intent[] => {
    if (r.follows && previous) return followUp(previous, sl, lexicon, ctx);
    const i = intentOf(sl, ctx);
    return i ? [i] : [];
  };

  if (r.typos.length > 0) {
    // Lazily: an alias such as app01 may stand for hundreds of servers, three readings are enough.
    const readings = function* () {
      for (const t of r.typos) {
        for (const code of t.sites)
          yield* readingsOf({ ...r.slots, sites: [...r.slots.sites, code] });
        if (r.slots.server !== null) continue;
        for (const id of t.servers) yield* readingsOf({ ...r.slots, server: id });
      }
    };
    const best = distinct(readings());
    if (best.length > 0) return { kind: 'unsure', readings: best };
  }
  const readings = distinct([
    ...readingsOf(r.slots),
    ...r.others.flatMap((id) => readingsOf({ ...r.slots, server: id })),
  ]);
  if (readings.length === 0) {
    if (!r.known) return { kind: 'offtopic' };
    // Known words that make no question together: what they make alone, at least a status.
    const alone = intentOf({ ...r.slots, flags: new Set(), order: null, limit: null }, ctx);
    return { kind: 'unsure', readings: [alone ?? { kind: 'status', sites: r.slots.sites }] };
  }
  // Only times and words that name nothing (晚上吃什么, 今天天气怎么样): not a question for Sitewatch.
  if (!r.known && !r.follows && r.unknown.length + r.loose > 0) return { kind: 'offtopic' };
  // 还能撑几天 without a server: the fullest disks are only a guess at what was meant.
  const guessed = r.slots.flags.has('forecast') && r.slots.server === null;
  if (r.unknown.length > 0 || readings.length > 1 || guessed || r.conflict || r.guess) {
    return { kind: 'unsure', readings };
  }
  return { kind: 'sure', intent: readings[0] };
}
