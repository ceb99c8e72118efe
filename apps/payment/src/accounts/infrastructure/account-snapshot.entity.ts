import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AccountState } from '../domain/account';

/** The folded state at `version`, so loading replays only the events after it. Derived data: can be deleted. */
@Entity('account_snapshot')
export class AccountSnapshotEntity {
  @PrimaryColumn({ name: 'account_id', type: 'text' })
  accountId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  state: AccountState;

  @Column({ name: 'taken_at', type: 'timestamptz', default: () => 'now()' })
  takenAt: Date;
}
