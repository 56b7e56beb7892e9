// Seeded pseudo-random numbers for the site simulator: mulberry32 streams keyed by hashed names.

/** A random source: uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast 32-bit generator; the same seed always gives the same sequence. */
export function mulberry32(seed: number): Rng {
  // State kept as int32 (`| 0`): a uint32 would not fit a small integer and allocate on every call.
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash (FNV-1a over the UTF-16 code units, then avalanched) of the parts joined. */
export function hash32(...parts: (string | number)[]): number {
  const s = parts.join('\u0001');
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** An independent stream named by `parts` (seed, site, server, day, purpose…). */
export function stream(...parts: (string | number)[]): Rng {
  return mulberry32(hash32(...parts));
}

/** Uniform in [lo, hi). */
export const uniform = (r: Rng, lo: number, hi: number): number => lo + (hi - lo) * r();

/** Integer in [lo, hi]. */
export const intIn = (r: Rng, lo: number, hi: number): number =>
  lo + Math.floor(r() * (hi - lo + 1));

/** Roughly standard normal (Irwin–Hall with four uniforms): cheap and bounded at ±3.5. */
export const gauss = (r: Rng): number => (r() + r() + r() + r() - 2) * Math.sqrt(3);

/** One element of a non-empty list. */
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
