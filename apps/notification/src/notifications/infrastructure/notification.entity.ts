import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import type { NotificationKind } from '../domain/notification';

/**
 * SENDING: claimed by a sender, which is handing it to the SMTP server (until next_attempt_at, its lease).
 * FAILED: the SMTP server refused the address on every attempt; nothing retries it any more.
 */
export type NotificationStatus = 'PENDING' | 'SENDING' | 'SENT' | 'FAILED';

/** An email to send: written in the transaction of the event that caused it, sent afterwards. */
@Entity('notification')
@Unique('notification_once_per_order_and_kind', ['orderId', 'kind'])
export class NotificationEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ name: 'order_id', type: 'text' })
  orderId: string;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  @Column({ type: 'text', default: 'PENDING' })
  status: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** How many attempts the SMTP server refused (attempts while it was unreachable are not counted). */
  @Column({ type: 'integer', default: 0 })
  refusals: number;

  /** A PENDING email is not tried before this (backoff after a refused address); a SENDING one is claimed until this. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt: Date;

  /** traceparent of the event that asked for it: the send continues that trace. */
  @Column({ name: 'trace_context', type: 'text', nullable: true })
  traceContext: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
