// A chat (a WeCom group by chatid, or a person by userid) that talked to a transport's bot: WeCom lets the bot push only to those.
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('chat_seen')
export class ChatSeen {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  transport: string;

  @PrimaryColumn({ name: 'chat_id', type: 'varchar', length: 128 })
  chatId: string;

  /** 'group' or 'single'. */
  @Column({ name: 'chat_type', type: 'varchar', length: 16 })
  chatType: string;

  @Column({ name: 'first_seen_at', type: 'bigint', transformer: bigintNumber })
  firstSeenAt: number;

  @Column({ name: 'last_seen_at', type: 'bigint', transformer: bigintNumber })
  lastSeenAt: number;
}
