// One disk reading of one mount point of one server, in bytes.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('disk_sample')
export class DiskSample {
  @PrimaryColumn({ name: 'server_id', type: 'int' })
  serverId: number;

  @PrimaryColumn({ name: 'sampled_at', type: 'bigint', transformer: bigintNumber })
  sampledAt: number;

  @PrimaryColumn({ type: 'varchar', length: 255 })
  mount: string;

  @Column({ name: 'used_bytes', type: 'bigint', transformer: bigintNumber })
  usedBytes: number;

  @Column({ name: 'total_bytes', type: 'bigint', transformer: bigintNumber })
  totalBytes: number;
}
