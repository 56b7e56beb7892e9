// A portal session kept server-side (so every hub sees it, and logout really ends it); the cookie holds only its id.
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('web_session')
@Index('ix_web_session_expires', ['expiresAt'])
@Index('ix_web_session_user', ['userId'])
export class WebSession {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  sid: string;

  /** The session object as JSON. */
  @Column({ type: 'text' })
  data: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt: number;

  /** The signed-in user of the session (from `data`), null before sign-in: their sessions are ended by it. */
  @Column({ name: 'user_id', type: 'int', nullable: true })
  userId: number | null;
}
