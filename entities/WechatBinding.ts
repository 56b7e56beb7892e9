// A WeChat contact bound to a Sitewatch user; found again after a re-login by the alias set at binding.
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('wechat_binding')
@Unique('uq_wechat_binding_user', ['userId'])
@Unique('uq_wechat_binding_alias', ['alias'])
@Index('ix_wechat_binding_contact', ['contactId'])
export class WechatBinding {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  /** Contact alias set by the bot when binding, e.g. sw-li.lei. */
  @Column({ type: 'varchar', length: 64 })
  alias: string;

  /** Last known contact id (ids change between logins). */
  @Column({ name: 'contact_id', type: 'varchar', length: 128, nullable: true })
  contactId: string | null;

  @Column({ name: 'contact_name', type: 'varchar', length: 128 })
  contactName: string;

  @Column({ name: 'bound_at', type: 'bigint', transformer: bigintNumber })
  boundAt: number;

  @Column({ name: 'last_seen_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastSeenAt: number | null;
}
