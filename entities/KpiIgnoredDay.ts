// A business day an admin or site manager marked as expected (holiday, cutover…): left out of the KPI baselines and not judged.
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('kpi_ignored_day')
@Unique('uq_kpi_ignored_site_day', ['siteId', 'day'])
export class KpiIgnoredDay {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  /** YYYY-MM-DD in the site's zone (the SW_KPI_ANOMALY alarm's node). */
  @Column({ name: 'day', type: 'varchar', length: 10 })
  day: string;

  /** The user who marked it. */
  @Column({ name: 'ignored_by', type: 'int' })
  ignoredBy: number;

  @Column({ name: 'ignored_at', type: 'bigint', transformer: bigintNumber })
  ignoredAt: number;
}
