// A chat contact bound to a Sitewatch user, per transport (the table keeps its first name); WeChat finds it again after a re-login by the alias set at binding.
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('wechat_binding')
@Unique('uq_wechat_binding_user_transport', ['userId', 'transport'])
@Unique('uq_wechat_binding_transport_alias', ['transport', 'alias'])
@Index('ix_wechat_binding_transport_contact', ['transport', 'contactId'])
export class WechatBinding {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** The chat transport the contact is on: 'wechat' (Wechaty), next 'wecom'. */
  @Column({ type: 'varchar', length: 32, default: 'wechat' })
  transport: string;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  /** Contact alias set by the bot when binding, e.g. sw-li.lei. */
  @Column({ type: 'varchar', length: 64 })
  alias: string;

  /** Last known contact id on the transport (WeChat ids change between logins). */
  @Column({ name: 'contact_id', type: 'varchar', length: 128, nullable: true })
  contactId: string | null;

  @Column({ name: 'contact_name', type: 'varchar', length: 128 })
  contactName: string;

  @Column({ name: 'bound_at', type: 'bigint', transformer: bigintNumber })
  boundAt: number;

  @Column({ name: 'last_seen_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  lastSeenAt: number | null;
}
