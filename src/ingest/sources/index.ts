// Picks the source implementation from the site's base URL scheme.
import { SitewatchError } from '../../errors';
import { createFileSource } from './file-source';
import { createHttpSource } from './http-source';
import type { FileSource, SourceOptions } from './types';

export function createSource(opts: SourceOptions): FileSource {
  if (/^https?:\/\//i.test(opts.baseUrl)) return createHttpSource(opts);
  if (/^file:\/\//i.test(opts.baseUrl)) return createFileSource(opts);
  throw new SitewatchError(
    'USAGE',
    `Base URL "${opts.baseUrl}" must start with http://, https:// or file://.`,
  );
}

export type { FileSource, FetchRequest, FetchResponse, SourceOptions } from './types';
