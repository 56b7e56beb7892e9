// Latest up/down state of a process or node on a server (only the newest report is kept).
import { Column, Entity, Unique, PrimaryGeneratedColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('server_node')
@Unique('uq_server_node', ['serverId', 'name'])
export class ServerNode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'server_id', type: 'int' })
  serverId: number;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  status: 'up' | 'down';

  @Column({ name: 'reported_at', type: 'bigint', transformer: bigintNumber })
  reportedAt: number;
}
