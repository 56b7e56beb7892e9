// Alarm changes an ingest makes, and the hook that hands them over, shared by ingest (writer) and the alarm notifier (reader).
import type { EntityManager } from 'typeorm';

/** A change to an alarm made by an ingest, handed to hooks inside the same transaction. */
export interface AlarmChange {
  alarmId: number;
  siteId: number;
  change: 'raised' | 'resolved';
  name: string;
  node: string;
  description: string;
  raisedAt: number;
  resumedAt: number | null;
}

export interface IngestHooks {
  /** Runs inside the chunk's transaction, so that anything it writes commits with the rows. */
  onAlarmChanges?(em: EntityManager, changes: AlarmChange[]): Promise<void>;
}
