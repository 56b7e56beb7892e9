// A host that reports in a site's system_info file; belongs to exactly one site.
import { Column, Entity, Index, Unique, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('server')
@Index('ix_server_ip', ['ip'])
@Unique('uq_server_site_name', ['siteId', 'name'])
export class Server {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 64 })
  ip: string;

  @Column({ name: 'os_name', type: 'varchar', length: 128, nullable: true })
  osName: string | null;

  @Column({ name: 'os_version', type: 'varchar', length: 128, nullable: true })
  osVersion: string | null;

  @Column({ name: 'uptime_seconds', type: 'bigint', nullable: true, transformer: bigintNumber })
  uptimeSeconds: number | null;

  /** When the uptime figure was recorded, so the current uptime can be extrapolated. */
  @Column({ name: 'uptime_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  uptimeAt: number | null;

  @Column({ name: 'first_seen_at', type: 'bigint', transformer: bigintNumber })
  firstSeenAt: number;

  @Column({ name: 'last_seen_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastSeenAt: number | null;
}
