// The one path by which alarms are written, shared by the hub and the CLI: ingest whose alarm changes go through the notifier in their transaction (the ingest service requires that hook), with the notifications that send them.
import type { EntityManager } from 'typeorm';
import { type IngestService, createIngestService } from './ingest/ingest-service';
import {
  type CheckOutcome,
  type Notifications,
  type NotificationsDeps,
  createNotifications,
} from './notify';
import type { AlarmChange } from './types/alarm-change';

export type { CheckOutcome, Notifications };

/** Alarm changes the ingest wrote through the notifier since the path was made, by kind. */
export interface AlarmCounts {
  raised: number;
  resolved: number;
}

export interface AlarmPath {
  /** Ingest whose alarm writes go through the notifier, in the same transaction. */
  ingest: IngestService;
  notifications: Notifications;
  /** Alarm changes the ingest has written, for what the CLI reports. */
  counts(): AlarmCounts;
}

export interface AlarmPathDeps extends NotificationsDeps {
  /** Ingest each site under its lease, so hubs split the sites (default true; an explicit CLI fetch does not wait for them). */
  siteLeases?: boolean;
}

export function createAlarmPath(deps: AlarmPathDeps): AlarmPath {
  const { ds, config, log, now, leases } = deps;
  const notifications = createNotifications(deps);
  const counts: AlarmCounts = { raised: 0, resolved: 0 };
  const onAlarmChanges = async (em: EntityManager, changes: AlarmChange[]) => {
    await notifications.onAlarmChanges(em, changes);
    for (const c of changes) counts[c.change]++;
  };
  const ingest = createIngestService({
    ds,
    config,
    log,
    now,
    leases: deps.siteLeases === false ? undefined : leases,
    hooks: { onAlarmChanges },
  });
  return { ingest, notifications, counts: () => ({ ...counts }) };
}
