// One disk reading of one mount point of one server, in bytes.
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('disk_sample')
@Index('ix_disk_server_time', ['serverId', 'sampledAt'])
export class DiskSample {
  @PrimaryColumn({ name: 'server_id', type: 'int' })
  serverId: number;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  mount: string;

  @PrimaryColumn({ name: 'sampled_at', type: 'bigint', transformer: bigintNumber })
  sampledAt: number;

  @Column({ name: 'used_bytes', type: 'bigint', transformer: bigintNumber })
  usedBytes: number;

  @Column({ name: 'total_bytes', type: 'bigint', transformer: bigintNumber })
  totalBytes: number;
}
