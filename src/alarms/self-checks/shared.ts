// Helpers the self checks share: reads batched by site, reads made once per evaluation, and the texts' numbers.
import type { CheckInput } from './types';

export const MIN = 60_000;
/** Sites per IN list, well under every engine's bound-parameter limit. */
const SITE_BATCH = 500;

export type Row = Record<string, unknown>;

export async function bySiteBatches(
  input: CheckInput,
  query: (ids: number[]) => Promise<Row[]>,
): Promise<Row[]> {
  const out: Row[] = [];
  const ids = input.sites.map((s) => s.id);
  for (let i = 0; i < ids.length; i += SITE_BATCH)
    out.push(...(await query(ids.slice(i, i + SITE_BATCH))));
  return out;
}

/** `read()`, made once per evaluation under `key` when the input keeps shared reads. */
export function sharedRead<T>(input: CheckInput, key: string, read: () => Promise<T>): Promise<T> {
  const reads = input.reads;
  if (!reads) return read();
  let p = reads.get(key) as Promise<T> | undefined;
  if (!p) {
    p = read();
    reads.set(key, p);
  }
  return p;
}

export const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
export const minutes = (ms: number) => Math.floor(ms / MIN);
export const pct1 = (v: number) => `${v.toFixed(1)}%`;
