// The registry of Sitewatch's own checks, one per alarm name; adding a check is one file and one line here.
import { createRegistry, type Registry } from '../../registry';
import { cpuHighCheck } from './cpu-high';
import { diskFillingCheck } from './disk-filling';
import { diskHighCheck } from './disk-high';
import { fetchFailingCheck } from './fetch-failing';
import { fileMissingCheck } from './file-missing';
import { fileStaleCheck } from './file-stale';
import { kpiAnomalyCheck } from './kpi-anomaly';
import { memGrowthCheck } from './mem-growth';
import { memHighCheck } from './mem-high';
import { serverSilentCheck } from './server-silent';
import type { SelfCheck } from './types';

/** Every check, in the order they run. */
export const selfChecks = [
  fileMissingCheck,
  fileStaleCheck,
  serverSilentCheck,
  fetchFailingCheck,
  cpuHighCheck,
  memHighCheck,
  diskHighCheck,
  diskFillingCheck,
  memGrowthCheck,
  kpiAnomalyCheck,
] as const;

/** The alarm names Sitewatch raises itself (derived from `selfChecks`). */
export type SelfAlarmName = (typeof selfChecks)[number]['name'];

/** The registry over `checks` (the registered ones at start-up); throws on a repeated alarm name. */
export function createSelfCheckRegistry<C extends SelfCheck>(checks: readonly C[]): Registry<C> {
  return createRegistry<C>('self check', checks);
}
