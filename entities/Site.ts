// A monitored deployment (局点): where its daily files live and how its last ingest went.
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('site')
@Unique('uq_site_code', ['code'])
export class Site {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** The site_id written in the site's files. */
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ name: 'base_url', type: 'varchar', length: 1024 })
  baseUrl: string;

  /** 'auto' (UTF-8 with or without BOM, else GB18030), or an explicit encoding. */
  @Column({ type: 'varchar', length: 16, default: 'auto' })
  encoding: string;

  /** IANA zone of the times in the files; null means the configured default. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  timezone: string | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Bearer token the site's file server expects, if any. */
  @Column({ name: 'auth_token', type: 'varchar', length: 255, nullable: true })
  authToken: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'last_ingest_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastIngestAt: number | null;

  @Column({ name: 'last_success_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastSuccessAt: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'last_error_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastErrorAt: number | null;

  /** JSON summary of the last run: inserted / duplicate / quarantined / bytes. */
  @Column({ name: 'last_counts', type: 'text', nullable: true })
  lastCounts: string | null;
}
