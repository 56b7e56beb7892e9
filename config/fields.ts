// Zod field types shared by the config schema and the channels' settings fragments (which it composes).
import { z } from 'zod';

/** A boolean, also written as "true" / "false" (environment variables). */
export const bool = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((v) => v === 'true'),
]);

/** A whole number from min to max, also written as a string (environment variables). */
export const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max);
