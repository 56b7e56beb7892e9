// One memory reading of one server, all figures in bytes.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('mem_sample')
export class MemSample {
  @PrimaryColumn({ name: 'server_id', type: 'int' })
  serverId: number;

  @PrimaryColumn({ name: 'sampled_at', type: 'bigint', transformer: bigintNumber })
  sampledAt: number;

  @Column({ name: 'used_bytes', type: 'bigint', transformer: bigintNumber })
  usedBytes: number;

  @Column({ name: 'free_bytes', type: 'bigint', transformer: bigintNumber })
  freeBytes: number;

  @Column({ name: 'buffer_bytes', type: 'bigint', transformer: bigintNumber })
  bufferBytes: number;

  @Column({ name: 'total_bytes', type: 'bigint', transformer: bigintNumber })
  totalBytes: number;
}
