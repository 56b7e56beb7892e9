// Login attempts counted per address or account in a time window, in the database so that every hub shares the limit.
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('login_attempt')
@Index('ix_login_attempt_window', ['windowStart'])
export class LoginAttempt {
  /** sha256 of the limiter's key ("addr:…", "acct:…"): fixed length, and no login name stored in the clear. */
  @PrimaryColumn({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column({ type: 'int' })
  hits: number;

  @Column({ name: 'window_start', type: 'bigint', transformer: bigintNumber })
  windowStart: number;
}
