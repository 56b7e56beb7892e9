// A site's business figures for one statistics day (the day before the record was written).
import { Column, Entity, Unique, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('business_daily')
@Unique('uq_business_site_date', ['siteId', 'statDate'])
export class BusinessDaily {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  /** YYYY-MM-DD in the site's zone. */
  @Column({ name: 'stat_date', type: 'varchar', length: 10 })
  statDate: string;

  @Column({ name: 'sub_users', type: 'bigint', transformer: bigintNumber })
  subUsers: number;

  @Column({ name: 'unsub_users', type: 'bigint', transformer: bigintNumber })
  unsubUsers: number;

  @Column({ name: 'total_users', type: 'bigint', transformer: bigintNumber })
  totalUsers: number;

  @Column({ name: 'call_times', type: 'bigint', transformer: bigintNumber })
  callTimes: number;

  @Column({ name: 'show_times', type: 'bigint', transformer: bigintNumber })
  showTimes: number;

  @Column({ name: 'mo_times', type: 'bigint', transformer: bigintNumber })
  moTimes: number;

  @Column({ name: 'mt_times', type: 'bigint', transformer: bigintNumber })
  mtTimes: number;

  @Column({ name: 'recorded_at', type: 'bigint', transformer: bigintNumber })
  recordedAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
