// A site attached to a WeChat group room by an admin: the room may ask about it and receives its pushes.
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('room_subscription')
@Unique('uq_room_subscription', ['roomTopic', 'siteId'])
export class RoomSubscription {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'room_topic', type: 'varchar', length: 255 })
  roomTopic: string;

  @Column({ name: 'room_id', type: 'varchar', length: 128, nullable: true })
  roomId: string | null;

  @Column({ name: 'site_id', type: 'int' })
  siteId: number;

  @Column({ name: 'created_by', type: 'int' })
  createdBy: number;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
