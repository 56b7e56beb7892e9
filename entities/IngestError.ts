// A quarantined line: kept verbatim with where it came from and why it could not be stored.
import { Column, Entity, Index, Unique, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('ingest_error')
@Index('ix_ingest_error_site_time', ['siteId', 'createdAt'])
@Unique('uq_ingest_error_line', ['siteId', 'kind', 'fileDate', 'lineNo'])
export class IngestError {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ name: 'file_date', type: 'varchar', length: 8 })
  fileDate: string;

  /** File name as fetched, e.g. system_info_20261125.txt. */
  @Column({ type: 'varchar', length: 128 })
  file: string;

  @Column({ name: 'line_no', type: 'int' })
  lineNo: number;

  @Column({ type: 'text' })
  raw: string;

  @Column({ type: 'varchar', length: 255 })
  reason: string;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
