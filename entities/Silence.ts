// A silence on a site's alarms (all, or one alarm name) until a time: no notices or reminders meanwhile.
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('silence')
@Index('ix_silence_site', ['siteId', 'endsAt'])
export class Silence {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  /** null: every alarm of the site. */
  @Column({ name: 'alarm_name', type: 'varchar', length: 128, nullable: true })
  alarmName: string | null;

  @Column({ name: 'starts_at', type: 'bigint', transformer: bigintNumber })
  startsAt: number;

  @Column({ name: 'ends_at', type: 'bigint', transformer: bigintNumber })
  endsAt: number;

  @Column({ name: 'created_by', type: 'int' })
  createdBy: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'cancelled_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  cancelledAt: number | null;
}
