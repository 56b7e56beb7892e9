// The interface every site file format implements: where the file lives, how a line parses, how rows are stored.
import type { EntityManager } from 'typeorm';
import type { Site } from '../../../entities';
import type { Engine } from '../../db/data-source';
import type { IngestHooks } from '../../types/alarm-change';
import type { ByteUnit } from '../values';
import type { ServerCache } from '../server-cache';

export interface ParseContext {
  siteCode: string;
  tz: string;
  /** Parses a time field; per file (see forFileDay) it also refuses times outside the file's window. */
  time: (raw: string, field: string) => number;
  units: { memory: ByteUnit; disk: ByteUnit };
  /** Days before and after the file's day a time may lie (ingest.plausibleDays*); default 1 and 1. */
  plausibleDays?: { before: number; after: number };
}

export interface StoreContext {
  em: EntityManager;
  engine: Engine;
  site: Site;
  servers: ServerCache;
  now: number;
  hooks: IngestHooks;
}

export interface StoreCounts {
  inserted: number;
  duplicate: number;
  updated: number;
}

export interface FileFormat<R = unknown> {
  /** Also the file name prefix, e.g. system_info -> system_info_YYYYmmdd.txt. */
  readonly name: string;
  /** Directory under the site's base URL, e.g. sys_monitor. */
  readonly dir: string;
  /** First field of a header line, which is skipped rather than quarantined. */
  readonly headerField: string;
  parse(fields: string[], ctx: ParseContext): R;
  store(records: R[], ctx: StoreContext): Promise<StoreCounts>;
}

export function filePath(format: FileFormat, day: string): string {
  return `/${format.dir}/${format.name}_${day}.txt`;
}

export function fileName(format: FileFormat, day: string): string {
  return `${format.name}_${day}.txt`;
}
