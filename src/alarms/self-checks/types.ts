// The interface every self check implements: one alarm name, and the conditions of that alarm that hold now.
import type { DataSource } from 'typeorm';
import type { Severity } from '../../../config/alarm-dict';
import type { Config } from '../../../config/schema';
import type { Site } from '../../../entities';
import type { FileFormat } from '../../ingest/formats/types';

export type SelfAlarmsConfig = Config['selfAlarms'];

/** One condition that holds now; the alarm (site, name, node) should be active. */
export interface SelfCondition<N extends string = string> {
  siteId: number;
  name: N;
  node: string;
  description: string;
  /**
   * Holds only as the continuation of an alarm already active: keeps it, never raises one. A site's
   * file that was still missing (or quiet) at midnight stays so until today's file shows otherwise,
   * rather than "recovering" at 00:00 and failing again later that morning.
   */
  keepOnly?: boolean;
  /** Its own severity, over the dictionary's for the name (a disk full within a day is critical). */
  severity?: Severity;
}

/** What the checks look at. */
export interface CheckInput {
  ds: DataSource;
  /** The sites to check (the enabled ones). */
  sites: readonly Site[];
  /** Zone a site's days and times are in. */
  tzOf: (site: Site) => string;
  /** File formats every site is expected to publish. */
  formats: readonly FileFormat[];
  /**
   * Reads that several checks make, kept for one evaluation (one config, one `now`); without it
   * every check reads for itself.
   */
  reads?: Map<string, Promise<unknown>>;
}

export interface SelfCheck<N extends string = string> {
  /** The alarm this check raises (SW_…); also the registry key. */
  readonly name: N;
  /** Every condition of this alarm that holds at `now`, for the input's sites. */
  evaluate(input: CheckInput, cfg: SelfAlarmsConfig, now: number): Promise<SelfCondition<N>[]>;
}
