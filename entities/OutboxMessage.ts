// A notification waiting to be sent, sent, or given up on: written in the transaction of the event it reports.
import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { bigintNumber } from './columns';

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed';

@Entity('outbox')
@Unique('uq_outbox_dedupe', ['dedupeKey'])
@Index('ix_outbox_due', ['status', 'nextTryAt'])
@Index('ix_outbox_site', ['siteId', 'createdAt'])
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  /** Channel name: email, wechat, wecom… */
  @Column({ type: 'varchar', length: 32 })
  channel: string;

  /** Channel-specific address: an email, room:<topic>, user:<login>, a robot name. */
  @Column({ type: 'varchar', length: 255 })
  recipient: string;

  @Column({ name: 'dedupe_key', type: 'varchar', length: 64 })
  dedupeKey: string;

  /** alarms, report, bot… (the notice kind in the payload). */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ name: 'site_id', type: 'int', nullable: true })
  siteId: number | null;

  /** The notice as JSON; channels format it when sending. */
  @Column({ type: 'text' })
  payload: string;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  /** Parts already delivered (a WeChat text before its image…): a retry, on any hub, sends only the rest. */
  @Column({ name: 'parts_sent', type: 'int', default: 0 })
  partsSent: number;

  @Column({ name: 'next_try_at', type: 'bigint', transformer: bigintNumber })
  nextTryAt: number;

  @Column({ name: 'claimed_by', type: 'varchar', length: 128, nullable: true })
  claimedBy: string | null;

  @Column({ name: 'claimed_until', type: 'bigint', nullable: true, transformer: bigintNumber })
  claimedUntil: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'bigint', transformer: bigintNumber })
  createdAt: number;

  @Column({ name: 'updated_at', type: 'bigint', transformer: bigintNumber })
  updatedAt: number;

  @Column({ name: 'sent_at', type: 'bigint', nullable: true, transformer: bigintNumber })
  sentAt: number | null;
}
