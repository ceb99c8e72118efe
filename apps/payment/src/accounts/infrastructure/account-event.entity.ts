import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per event, append-only. The primary key (account, version) is the optimistic lock. */
@Entity('account_event')
export class AccountEventEntity {
  @PrimaryColumn({ name: 'account_id', type: 'text' })
  accountId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  data: Record<string, unknown>;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt: Date;
}
