// A one-time code (stored hashed) that binds a WeChat contact to a user; valid 10 minutes, single use.
import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

@Entity('bind_code')
@Unique('uq_bind_code_hash', ['codeHash'])
export class BindCode {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ name: 'expires_at', type: 'bigint', transformer: bigintNumber })
  expiresAt: number;

  @Column({ name: 'used_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  usedAt: number | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;
}
