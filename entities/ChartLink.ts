// A notice's chart as PNG, served at signed, expiring links on the portal (chat channels that take image links, not bytes).
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('chart_link')
@Unique('uq_chart_link_digest', ['digest'])
@Index('ix_chart_link_expires', ['expiresAt'])
export class ChartLink {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** sha1 (hex) of the notice's payload: one image per notice, shared by every channel and hub. */
  @Column({ type: 'varchar', length: 40 })
  digest: string;

  /** 'blob' is valid on both drivers; the migration makes it MEDIUMBLOB on MariaDB, whose BLOB holds only 64 KiB. */
  @Column({ type: 'blob' })
  png: Buffer;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  /** No link to it is valid after this (epoch ms); retention deletes it then. */
  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt: number;
}
