// A lease on a job or a site's ingest, so that several hubs on one database never run the same work twice.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('job_lease')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  owner: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt: number;

  /** Fire time (ms, to the minute) of the last completed scheduled run. */
  @Column({ name: 'done_slot', type: 'bigint', default: 0, transformer: bigintNumber })
  doneSlot: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
