// One cpu reading of one server: user / sys / iowait / idle percentages.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('cpu_sample')
export class CpuSample {
  @PrimaryColumn({ name: 'server_id', type: 'int' })
  serverId: number;

  @PrimaryColumn({ name: 'sampled_at', type: 'bigint', transformer: bigintNumber })
  sampledAt: number;

  @Column({ name: 'user_pct', type: 'double' })
  userPct: number;

  @Column({ name: 'sys_pct', type: 'double' })
  sysPct: number;

  @Column({ name: 'io_pct', type: 'double' })
  ioPct: number;

  @Column({ name: 'idle_pct', type: 'double' })
  idlePct: number;
}
