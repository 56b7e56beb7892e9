// A notification channel's own settings (config notify.<channel>): its zod object, defaults and variables, composed into the one config schema.
import type { z } from 'zod';

export interface ChannelSettings<S extends z.ZodObject = z.ZodObject> {
  schema: S;
  /** The built-in values, validated by `schema` like any other. */
  defaults: z.input<S>;
  /** Environment variables and the setting (a key of `schema`) each one sets. */
  env: Readonly<Record<string, string>>;
}
