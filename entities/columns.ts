// Shared column conventions: instants are epoch milliseconds in BIGINT, read back as JS numbers.
import type { ValueTransformer } from 'typeorm';

export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | number | null) => (v === null || v === undefined ? v : Number(v)),
};
