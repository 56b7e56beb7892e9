// Sitewatch's own alarm conditions: every registered self check (self-checks/registry.ts) run at `now`, in one order.
import { type SelfAlarmName, createSelfCheckRegistry, selfChecks } from './self-checks/registry';
import type { CheckInput, SelfAlarmsConfig, SelfCondition } from './self-checks/types';

export type { SelfAlarmName } from './self-checks/registry';
export type { CheckInput, SelfAlarmsConfig, SelfCheck, SelfCondition } from './self-checks/types';

export interface CheckContext extends CheckInput {
  cfg: SelfAlarmsConfig;
  now: number;
}

const registry = createSelfCheckRegistry(selfChecks);

// Code-point order, the same on both engines (their collations differ).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every condition that holds now, ordered by site, name and node. */
export async function evaluateSelfChecks(
  ctx: CheckContext,
): Promise<SelfCondition<SelfAlarmName>[]> {
  const { cfg, now, ...input } = ctx;
  const shared: CheckInput = { ...input, reads: new Map() };
  const all: SelfCondition<SelfAlarmName>[] = [];
  for (const check of registry.list()) all.push(...(await check.evaluate(shared, cfg, now)));
  return all.sort((a, b) => a.siteId - b.siteId || cmp(a.name, b.name) || cmp(a.node, b.node));
}
