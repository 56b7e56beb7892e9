// Segmenting a question over the domain lexicon: the fewest unknown characters, then the longest terms (a dictionary maximum matching), ASCII terms only on whole tokens.

/** A lexicon term's lookup: what the segmenter needs of a dictionary. */
export interface TermDictionary<E> {
  get(term: string): E | undefined;
  /** The distinct lengths of its terms, longest first. */
  readonly lengths: readonly number[];
}

export interface Segment<E> {
  start: number;
  end: number;
  text: string;
  entry: E;
}

/** A run of characters no term covers: an ASCII token (`app09`) or a run of other characters. */
export interface UnknownRun {
  start: number;
  end: number;
  text: string;
  ascii: boolean;
}

export interface Segmentation<E> {
  segments: Segment<E>[];
  unknown: UnknownRun[];
}

/** NFKC (full-width letters and digits to ASCII) and lower-case: the form terms and texts are compared in. */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

const WORD = /[a-z0-9]/;
const JOINER = /[-_.]/;
// Whitespace and punctuation separate words and are never unknown.
const SEPARATOR =
  /[\s,.;:!?'"`~()[\]{}<>/\\|+*=#&^%$@，。、；：！？“”‘’（）【】《》〈〉「」『』…—·～]/;

export const isWordChar = (c: string | undefined): boolean => c !== undefined && WORD.test(c);

/** Whether text[i] separates words: punctuation and spaces, but not a '.' inside a token (10.1.2.3). */
export function isSeparatorAt(text: string, i: number): boolean {
  const c = text[i];
  if (!SEPARATOR.test(c)) return false;
  return !(c === '.' && isWordChar(text[i - 1]) && isWordChar(text[i + 1]));
}

/**
 * Whether text[start, end) may be taken as an ASCII-edged term: an ASCII term never starts or ends
 * inside a token, where tokens join letters and digits with - _ . (bj-cmcc-app01, 10.1.2.3).
 */
function onTokenEdges(text: string, start: number, end: number): boolean {
  if (isWordChar(text[start])) {
    const b = text[start - 1];
    if (isWordChar(b)) return false;
    if (b !== undefined && JOINER.test(b) && isWordChar(text[start - 2])) return false;
  }
  if (isWordChar(text[end - 1])) {
    const a = text[end];
    if (isWordChar(a)) return false;
    if (a !== undefined && JOINER.test(a) && isWordChar(text[end + 1])) return false;
  }
  return true;
}

/**
 * Cover `text` (normalised) with dictionary terms: a dynamic programme over positions that first
 * minimises the characters no term covers, then maximises the sum of squared term lengths (so
 * 新增用户+数 beats 新增+用户数, and a whole name beats its parts). Separators cost nothing.
 */
export function segment<E>(text: string, dict: TermDictionary<E>): Segmentation<E> {
  const n = text.length;
  const unk = new Array<number>(n + 1).fill(Infinity);
  const sq = new Array<number>(n + 1).fill(-1);
  const from = new Array<number>(n + 1).fill(-1);
  const took = new Array<E | undefined>(n + 1).fill(undefined);
  unk[0] = 0;
  sq[0] = 0;
  const relax = (to: number, u: number, s: number, at: number, e: E | undefined) => {
    if (u < unk[to] || (u === unk[to] && s > sq[to])) {
      unk[to] = u;
      sq[to] = s;
      from[to] = at;
      took[to] = e;
    }
  };
  for (let i = 0; i < n; i++) {
    const sep = isSeparatorAt(text, i);
    relax(i + 1, unk[i] + (sep ? 0 : 1), sq[i], i, undefined);
    if (sep) continue;
    for (const len of dict.lengths) {
      if (i + len > n) continue;
      const e = dict.get(text.slice(i, i + len));
      if (e !== undefined && onTokenEdges(text, i, i + len)) {
        relax(i + len, unk[i], sq[i] + len * len, i, e);
      }
    }
  }
  const segments: Segment<E>[] = [];
  const unknownAt: boolean[] = new Array(n).fill(false);
  for (let j = n; j > 0; j = from[j]) {
    const i = from[j];
    const e = took[j];
    if (e !== undefined) segments.push({ start: i, end: j, text: text.slice(i, j), entry: e });
    else if (!isSeparatorAt(text, i)) unknownAt[i] = true;
  }
  segments.reverse();
  return { segments, unknown: unknownRuns(text, unknownAt) };
}

/** Consecutive unknown characters as runs, split where ASCII tokens meet other characters. */
export function unknownRuns(text: string, unknownAt: readonly boolean[]): UnknownRun[] {
  const runs: UnknownRun[] = [];
  let i = 0;
  while (i < text.length) {
    if (!unknownAt[i]) {
      i++;
      continue;
    }
    const ascii = isWordChar(text[i]) || JOINER.test(text[i]);
    let j = i + 1;
    while (j < text.length && unknownAt[j]) {
      const a = isWordChar(text[j]) || JOINER.test(text[j]);
      if (a !== ascii) break;
      j++;
    }
    let s = i;
    let e = j;
    // A token does not start or end with its joiners.
    if (ascii) {
      while (s < e && JOINER.test(text[s])) s++;
      while (e > s && JOINER.test(text[e - 1])) e--;
    }
    if (e > s) runs.push({ start: s, end: e, text: text.slice(s, e), ascii });
    i = j;
  }
  return runs;
}
