// The last health a hub reported for one of its chat transports, rewritten every few seconds; the CLI and the portal read hubs' transports from here.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('transport_status')
export class TransportStatus {
  /** The hub's id (config.cluster.hubId, else host-pid-random). */
  @PrimaryColumn({ type: 'varchar', length: 128 })
  hub: string;

  /** The transport's name in the registry: wechat, wecom… */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  transport: string;

  /** A TransportState: online, authenticated, standby, reconnecting… */
  @Column({ type: 'varchar', length: 16 })
  state: string;

  /** Since when it is in this state, when known. */
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  since: number | null;

  /** The hub holding the connection while this one is on standby. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  holder: string | null;

  @Column({ name: 'last_message_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastMessageAt: number | null;

  @Column({ name: 'queue_length', type: 'int' })
  queueLength: number;

  @Column({ type: 'int' })
  restarts: number;

  /** When the hub last wrote this row: an old one means the hub stopped reporting (it died). */
  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;
}
