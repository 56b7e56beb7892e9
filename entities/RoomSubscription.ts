// A site attached to a group room of a chat transport (a WeChat topic, a WeCom chatid) by an admin: the room may ask about it and receives its pushes.
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('room_subscription')
@Unique('uq_room_subscription_transport', ['transport', 'roomTopic', 'siteId'])
export class RoomSubscription {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** The chat transport the room is on ('wechat', 'wecom'). */
  @Column({ type: 'varchar', length: 32, default: 'wechat' })
  transport: string;

  /** The room's topic on WeChat; on WeCom, which shows the bot no names, its chatid. */
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
