// The lexicon of one scope: the site and server names it may see (codes, names, unambiguous parts, IPs) with the domain words, the segmenter over them, typo candidates, and a cache by scope and catalog version.
//
// The segmenter, chosen by measurement on test/nlu/corpus.ts (401 phrasings, the same understand on
// top): a maximum matching over this lexicon (segment.ts) read 401 right, 2.2 µs a message to cut;
// @node-rs/jieba 2.0.3 with its dictionary plus this lexicon as a user dictionary read 400 (with or
// without HMM), 1.7 µs. It cut the unknown word hangzhou into han/gz/hou and so read GZ; and a jieba
// dictionary costs 60-180 ms to load and never forgets a word, so a lexicon per scope would miss
// the 50 ms rebuild, and one dictionary for all scopes would let names a caller may not see shape
// how their question is cut. The maximum matching holds the scope's terms and nothing else.
import { distance } from 'fastest-levenshtein';
import type { DataSource } from 'typeorm';
import {
  lexiconCatalogVersion,
  lexiconSource,
  type LexiconServer,
  type LexiconSite,
  type LexiconSource,
} from '../queries/lexicon';
import type { Viewer } from '../queries/sites';
import { normalise, segment, type Segment, type TermDictionary, type UnknownRun } from './segment';
import { domainWords, GENERIC_NAME_PARTS, type Sense } from './synonyms';

export type { LexiconServer, LexiconSite, LexiconSource } from '../queries/lexicon';

/** What a term names: sites (codes) and servers (ids) — several when it is ambiguous — or domain word senses. */
export interface Entry {
  sites: readonly string[];
  servers: readonly number[];
  senses: readonly Sense[];
}

export type Hit = Segment<Entry>;

export interface Found {
  hits: Hit[];
  /** What no term covers (typos, names this scope does not know, words Sitewatch does not know). */
  unknown: UnknownRun[];
}

export interface FuzzyCandidate {
  /** The name or part the word is close to. */
  term: string;
  distance: number;
  sites: readonly string[];
  servers: readonly number[];
}

export interface Lexicon {
  /** The scope's sites, by code. */
  readonly sites: ReadonlyMap<string, LexiconSite>;
  readonly servers: ReadonlyMap<number, LexiconServer>;
  readonly dictionary: TermDictionary<Entry>;
  /** The terms and what each names. */
  readonly entries: ReadonlyMap<string, Entry>;
  /** Terms and unknown runs in a normalised text (see `normalise`). */
  find(text: string): Found;
  /**
   * Names and parts within a small edit distance of an unknown word (or, for a longer run of
   * Chinese, of a part of it), closest relative to their length first (`short`: also 2-character
   * Chinese names, see allowedDistance).
   */
  fuzzy(word: string, opts?: { short?: boolean }): FuzzyCandidate[];
  siteLabel(code: string): string;
  serverLabel(id: number): string;
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const ASCII_PART = /[a-z0-9]+/g;
const SERVER_SEPARATORS = /[\s\-_.:/]+/;
/** Unknown words whose typo candidates a lexicon remembers. */
const TYPO_MEMO = 1000;
/** A server name with more parts than this gets aliases from its last parts only. */
const MAX_ALIAS_PARTS = 6;

let words: Map<string, Sense[]> | null = null;
const domain = () => (words ??= domainWords());

/**
 * Edit distance allowed for a typo of `term`: none for ASCII words under 4 characters (codes like
 * gz and sz are one letter apart), and for 2-character Chinese names only when `short` — a
 * question clearly about figures, metrics or alarms — since many ordinary words lie one character
 * from a city (天气 and 天津).
 */
export function allowedDistance(term: string, short = false): number {
  const len = term.length;
  if (CJK.test(term)) return len >= 6 ? 2 : len >= 3 ? 1 : short && len === 2 ? 1 : 0;
  return len >= 8 ? 2 : len >= 4 ? 1 : 0;
}

interface Building {
  sites: Set<string>;
  servers: Set<number>;
}

function add(map: Map<string, Building>, term: string, site?: string, server?: number) {
  let b = map.get(term);
  if (!b) map.set(term, (b = { sites: new Set(), servers: new Set() }));
  if (site !== undefined) b.sites.add(site);
  if (server !== undefined) b.servers.add(server);
}

/** The parts of a site name: every substring of 2+ characters of its Chinese runs, and its ASCII words. */
function nameParts(name: string): { part: string; prefix: boolean }[] {
  const out: { part: string; prefix: boolean }[] = [];
  for (const m of name.matchAll(CJK_RUN)) {
    const run = m[0];
    for (let i = 0; i < run.length; i++) {
      for (let j = i + 2; j <= run.length; j++) {
        out.push({ part: run.slice(i, j), prefix: m.index === 0 && i === 0 });
      }
    }
  }
  for (const m of name.matchAll(ASCII_PART)) {
    if (m[0].length >= 2) out.push({ part: m[0], prefix: m.index === 0 });
  }
  return out;
}

/**
 * A server's aliases: the ordered selections of its name's parts that keep the last part
 * (BJ-CMCC-app01: app01, cmcc-app01, bj-app01, bj-cmcc-app01), joined by '-' and by the
 * name's own separator. Never a bare number.
 */
function serverAliases(name: string): string[] {
  let parts = name.split(SERVER_SEPARATORS).filter(Boolean);
  if (parts.length < 2) return [];
  if (parts.length > MAX_ALIAS_PARTS) parts = parts.slice(-MAX_ALIAS_PARTS);
  const last = parts[parts.length - 1];
  const rest = parts.slice(0, -1);
  const seps = new Set(['-', ...(name.match(/[-_.]/g) ?? [])]);
  const out = new Set<string>();
  for (let mask = 0; mask < 1 << rest.length; mask++) {
    const chosen = rest.filter((_, i) => mask & (1 << i));
    for (const sep of seps) out.add([...chosen, last].join(sep));
  }
  out.delete(name);
  return [...out].filter((a) => a.length >= 2 && !/^\d+$/.test(a));
}

/**
 * The lexicon of one scope. Exact names (site codes and names, server names, IPs) override domain
 * words; parts never do. A site-name part is kept when it names one site, or — as an ambiguous
 * term with its candidates — when it starts the names of several (南京 of 南京联通 and 南京移动);
 * a code's part before '-' likewise. Server aliases keep every server they fit.
 */
export function buildLexicon(source: LexiconSource): Lexicon {
  const dict = domain();
  const sites = new Map(source.sites.map((s) => [s.code, s]));
  const servers = new Map(source.servers.map((s) => [s.id, s]));

  const exact = new Map<string, Building>();
  for (const s of source.sites) {
    add(exact, normalise(s.code), s.code);
    add(exact, normalise(s.name), s.code);
  }
  for (const v of source.servers) {
    add(exact, normalise(v.name), undefined, v.id);
    add(exact, normalise(v.ip), undefined, v.id);
  }

  const parts = new Map<string, { sites: Set<string>; prefixed: boolean }>();
  const addPart = (part: string, code: string, prefix: boolean) => {
    let p = parts.get(part);
    if (!p) parts.set(part, (p = { sites: new Set(), prefixed: false }));
    p.sites.add(code);
    p.prefixed ||= prefix;
  };
  for (const s of source.sites) {
    for (const { part, prefix } of nameParts(normalise(s.name))) addPart(part, s.code, prefix);
    const code = normalise(s.code);
    const dash = code.indexOf('-');
    if (dash >= 2) addPart(code.slice(0, dash), s.code, true);
    // The letters a numbered code starts with (BJ of BJ01), as staff shorten it.
    const letters = /^([a-z]{2,})\d+$/.exec(code);
    if (letters) addPart(letters[1], s.code, true);
  }
  const aliases = new Map<string, Building>();
  for (const v of source.servers) {
    for (const a of serverAliases(normalise(v.name))) add(aliases, a, undefined, v.id);
  }

  const entries = new Map<string, Entry>();
  for (const [term, b] of exact) {
    entries.set(term, { sites: [...b.sites], servers: [...b.servers], senses: [] });
  }
  for (const [term, senses] of dict)
    if (!entries.has(term)) entries.set(term, { sites: [], servers: [], senses });
  // Parts inside a name (州移动 of 广州移动) are names, but no typo target: nobody types them.
  const inner = new Set<string>();
  for (const [term, p] of parts) {
    if (entries.has(term) || GENERIC_NAME_PARTS.has(term)) continue;
    if (p.sites.size === 1 || p.prefixed) {
      entries.set(term, { sites: [...p.sites], servers: [], senses: [] });
      if (!p.prefixed) inner.add(term);
    }
  }
  for (const [term, b] of aliases) {
    const e = entries.get(term);
    if (e && (e.senses.length > 0 || exact.has(term))) continue;
    entries.set(term, { sites: e?.sites ?? [], servers: [...b.servers], senses: [] });
  }

  const lengths = [...new Set([...entries.keys()].map((t) => t.length))].sort((a, b) => b - a);
  const dictionary: TermDictionary<Entry> = { get: (t) => entries.get(t), lengths };

  // Typo targets: whole names and codes, the parts names start with, server names and aliases;
  // never IPs or domain words.
  const targets: (FuzzyCandidate & { allowed: number; allowedShort: number })[] = [];
  for (const [term, e] of entries) {
    if (e.senses.length > 0 || inner.has(term) || /^[\d.]+$/.test(term)) continue;
    if (allowedDistance(term, true) === 0) continue;
    if (e.sites.length + e.servers.length === 0) continue;
    targets.push({
      term,
      distance: 0,
      sites: e.sites,
      servers: e.servers,
      allowed: allowedDistance(term),
      allowedShort: allowedDistance(term, true),
    });
  }

  const cjkTargets = targets.filter((t) => CJK.test(t.term));
  const asciiTargets = targets.filter((t) => !CJK.test(t.term));
  // The same unknown word comes back (a typo is repeated, a follow-up re-reads it).
  const typoMemo = new Map<string, FuzzyCandidate[]>();

  return {
    sites,
    servers,
    dictionary,
    entries,
    find(text) {
      const { segments, unknown } = segment(text, dictionary);
      return { hits: segments, unknown };
    },
    fuzzy(word, opts = {}) {
      const w = normalise(word);
      const short = opts.short ?? false;
      const key = `${short ? 1 : 0}${w}`;
      const known = typoMemo.get(key);
      if (known) return known;
      const cjk = CJK.test(w);
      const out: FuzzyCandidate[] = [];
      for (const t of cjk ? cjkTargets : asciiTargets) {
        const allowed = short ? t.allowedShort : t.allowed;
        if (allowed === 0) continue;
        const n = t.term.length;
        let d = Infinity;
        if (!cjk || w.length <= n) {
          if (Math.abs(w.length - n) <= allowed) d = distance(w, t.term);
        } else {
          // A longer run of unknown Chinese holds the name somewhere: the windows of its length
          // that keep its first or its last character (a typo rarely changes both).
          for (let len = n - allowed; len <= n + allowed; len++) {
            for (let i = 0; i + len <= w.length; i++) {
              if (w[i] !== t.term[0] && w[i + len - 1] !== t.term[n - 1]) continue;
              d = Math.min(d, distance(w.slice(i, i + len), t.term));
            }
          }
        }
        if (d > 0 && d <= allowed) {
          out.push({ term: t.term, distance: d, sites: t.sites, servers: t.servers });
        }
      }
      // Closest relative to the name's length: 北京移动彩印 at 1 before 北京移 at 1.
      out.sort(
        (a, b) =>
          a.distance / a.term.length - b.distance / b.term.length || b.term.length - a.term.length,
      );
      if (typoMemo.size >= TYPO_MEMO) typoMemo.clear();
      typoMemo.set(key, out);
      return out;
    },
    siteLabel(code) {
      const s = sites.get(code);
      return s ? `${s.code} ${s.name}` : code;
    },
    serverLabel(id) {
      const v = servers.get(id);
      return v ? `${v.name}（${v.ip}，${v.siteCode}）` : String(id);
    },
  };
}

/** The cache key of a scope: who (admins share one) and, in a room, the room's sites. */
export function scopeKey(viewer: Viewer, roomSiteIds: readonly number[] | null): string {
  const who = viewer.role === 'admin' ? 'admin' : `user:${viewer.userId}`;
  const where = roomSiteIds ? [...roomSiteIds].sort((a, b) => a - b).join(',') : '*';
  return `${who}|${where}`;
}

export interface LexiconCacheOptions {
  /** Rebuild after this long even when the version did not change (renames the version cannot see). */
  maxAgeMs?: number;
  /** Scopes kept (least recently used dropped first). */
  maxScopes?: number;
  now?: () => number;
}

/** Lexicons by scope and catalog version, so that a message does not build one. */
export class LexiconCache {
  private readonly entries = new Map<
    string,
    { version: string; builtAt: number; lexicon: Promise<Lexicon> }
  >();
  private readonly maxAgeMs: number;
  private readonly maxScopes: number;
  private readonly now: () => number;
  /** How many lexicons were built (for tests and the benchmark). */
  builds = 0;

  constructor(opts: LexiconCacheOptions = {}) {
    this.maxAgeMs = opts.maxAgeMs ?? 5 * 60_000;
    this.maxScopes = opts.maxScopes ?? 500;
    this.now = opts.now ?? Date.now;
  }

  /** The scope's lexicon for `version`, built from `load()` when missing, of another version or too old. */
  get(scope: string, version: string, load: () => Promise<LexiconSource>): Promise<Lexicon> {
    const now = this.now();
    const hit = this.entries.get(scope);
    if (hit && hit.version === version && now - hit.builtAt < this.maxAgeMs) {
      this.entries.delete(scope);
      this.entries.set(scope, hit);
      return hit.lexicon;
    }
    this.builds++;
    const lexicon = load().then(buildLexicon);
    const entry = { version, builtAt: now, lexicon };
    this.entries.delete(scope);
    this.entries.set(scope, entry);
    // A failed load is not kept: the next message tries again.
    lexicon.catch(() => {
      if (this.entries.get(scope) === entry) this.entries.delete(scope);
    });
    while (this.entries.size > this.maxScopes) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    return lexicon;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * The lexicon of a request: what `viewer` may see, in a room only the room's sites (null: a direct
 * chat). One cheap version query per call; the lexicon is built only when that changed.
 */
export async function scopeLexicon(
  ds: DataSource,
  cache: LexiconCache,
  viewer: Viewer,
  roomSiteIds: readonly number[] | null,
): Promise<Lexicon> {
  const version = await lexiconCatalogVersion(ds, viewer);
  return cache.get(scopeKey(viewer, roomSiteIds), version, () =>
    lexiconSource(ds, viewer, roomSiteIds),
  );
}

const BENCH_CITIES = [
  ['北京', 'BJ'],
  ['上海', 'SH'],
  ['广州', 'GZ'],
  ['深圳', 'SZ'],
  ['杭州', 'HZ'],
  ['南京', 'NJ'],
  ['成都', 'CD'],
  ['武汉', 'WH'],
  ['西安', 'XA'],
  ['天津', 'TJ'],
  ['重庆', 'CQ'],
  ['苏州', 'SUZ'],
  ['郑州', 'ZZ'],
  ['长沙', 'CS'],
  ['沈阳', 'SY'],
  ['青岛', 'QD'],
  ['宁波', 'NB'],
  ['东莞', 'DG'],
  ['无锡', 'WX'],
  ['厦门', 'XM'],
  ['福州', 'FZ'],
  ['济南', 'JN'],
  ['大连', 'DL'],
  ['哈尔滨', 'HEB'],
  ['长春', 'CC'],
  ['昆明', 'KM'],
  ['合肥', 'HF'],
  ['南昌', 'NC'],
  ['南宁', 'NN'],
  ['贵阳', 'GY'],
  ['太原', 'TY'],
  ['石家庄', 'SJZ'],
  ['兰州', 'LZ'],
  ['乌鲁木齐', 'WLMQ'],
  ['呼和浩特', 'HHHT'],
  ['海口', 'HK'],
  ['拉萨', 'LS'],
  ['银川', 'YC'],
  ['西宁', 'XN'],
  ['佛山', 'FS'],
] as const;
const BENCH_OPERATORS = [
  ['移动', 'CMCC'],
  ['联通', 'CUCC'],
  ['电信', 'CTCC'],
] as const;
const BENCH_PRODUCTS = [
  ['彩印', ''],
  ['视频彩铃', 'V'],
] as const;
const BENCH_ROLES = [
  'app01',
  'app02',
  'app03',
  'db01',
  'db02',
  'gw01',
  'web01',
  'web02',
  'cache01',
  'mq01',
];

/**
 * A made-up catalog of `sites` sites (city × operator × product names, BJ-CMCC-style codes) with
 * `serversPerSite` servers each (BJ-CMCC-app01…), for benchmarks of buildLexicon and understand.
 */
export function syntheticLexiconSource(sites = 200, serversPerSite = 10): LexiconSource {
  const out: LexiconSource = { sites: [], servers: [] };
  let id = 0;
  for (let i = 0; i < sites; i++) {
    const [city, cityCode] = BENCH_CITIES[i % BENCH_CITIES.length];
    const [op, opCode] = BENCH_OPERATORS[Math.floor(i / BENCH_CITIES.length) % 3];
    const [product, productCode] = BENCH_PRODUCTS[Math.floor(i / (BENCH_CITIES.length * 3)) % 2];
    const round = Math.floor(i / (BENCH_CITIES.length * 6));
    const code = `${cityCode}${productCode}${round || ''}-${opCode}`;
    out.sites.push({ code, name: `${city}${op}${product}${round ? round + 1 : ''}`, zone: null });
    for (let j = 0; j < serversPerSite; j++) {
      const role = BENCH_ROLES[j % BENCH_ROLES.length] + (j >= BENCH_ROLES.length ? `-${j}` : '');
      out.servers.push({
        id: ++id,
        name: `${code}-${role}`,
        ip: `10.${Math.floor(i / 250)}.${i % 250}.${j + 1}`,
        siteCode: code,
      });
    }
  }
  return out;
}
