// An alarm raised at a site; keyed by (site, name, node, raised time), resolved by a later resume time.
import { Column, Entity, Index, Unique, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './columns';

export type AlarmState = 'active' | 'resolved' | 'stale';
/** 'site': read from the site's files; 'sitewatch': raised by Sitewatch's own checks. */
export type AlarmSource = 'site' | 'sitewatch';

@Entity('alarm')
@Unique('uq_alarm_key', ['siteId', 'name', 'node', 'raisedAt'])
@Index('ix_alarm_site_state', ['siteId', 'state', 'raisedAt'])
export class Alarm {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  node: string;

  @Column({ type: 'varchar', length: 1024 })
  description: string;

  @Column({ name: 'raised_at', type: 'bigint', transformer: bigintNumber })
  raisedAt: number;

  @Column({ name: 'resumed_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  resumedAt: number | null;

  @Column({ type: 'varchar', length: 16 })
  state: AlarmState;

  /** record_time of the newest line that mentioned this alarm. */
  @Column({ name: 'last_seen_at', type: 'bigint', transformer: bigintNumber })
  lastSeenAt: number;

  @Column({ type: 'varchar', length: 16, default: 'site' })
  source: AlarmSource;

  /** This alarm's own severity (a Sitewatch check judged it); null: the dictionary's for its name. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  severity: string | null;

  @Column({ name: 'acked_by', type: 'int', nullable: true })
  ackedBy: number | null;

  @Column({ name: 'acked_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  ackedAt: number | null;

  /** When the raise was processed for notices (also when silenced: reminders count from it); null: raised already resolved. */
  @Column({ name: 'notified_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  notifiedAt: number | null;

  @Column({ name: 'reminders_sent', type: 'int', default: 0 })
  remindersSent: number;

  @Column({ name: 'last_reminded_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastRemindedAt: number | null;

  @Column({ name: 'escalated_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  escalatedAt: number | null;

  @Column({ name: 'stale_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  staleAt: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
