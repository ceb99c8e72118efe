import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, MoreThan, QueryFailedError } from 'typeorm';
import { replay, type AccountEvent, type AccountState } from '../domain/account';
import { AccountEventEntity } from './account-event.entity';
import { AccountSnapshotEntity } from './account-snapshot.entity';

export const SNAPSHOT_EVERY = Symbol('SNAPSHOT_EVERY');

/** Someone else appended to the stream since it was loaded: reload and decide again. */
export class ConcurrencyError extends Error {
  constructor(accountId: string, expectedVersion: number) {
    super(`account ${accountId} changed after version ${expectedVersion}`);
    this.name = 'ConcurrencyError';
  }
}

export interface LoadedAccount {
  state: AccountState | null;
  version: number;
}

const UNIQUE_VIOLATION = '23505';

/**
 * The event store for payment accounts. Works inside the caller's transaction (the
 * EntityManager it is given), so an append commits together with the caller's other writes.
 */
@Injectable()
export class AccountRepository {
  constructor(@Inject(SNAPSHOT_EVERY) private readonly snapshotEvery: number) {}

  async load(manager: EntityManager, accountId: string): Promise<LoadedAccount> {
    const snapshot = await manager.findOneBy(AccountSnapshotEntity, { accountId });
    const from = snapshot?.version ?? 0;
    const rows = await manager.find(AccountEventEntity, {
      where: { accountId, version: MoreThan(from) },
      order: { version: 'ASC' },
    });
    return {
      state: replay(rows.map(toEvent), snapshot?.state ?? null),
      version: rows.at(-1)?.version ?? from,
    };
  }

  /** Every event of the stream, oldest first (audits, and checking snapshots against a full replay). */
  async history(manager: EntityManager, accountId: string): Promise<AccountEvent[]> {
    const rows = await manager.find(AccountEventEntity, { where: { accountId }, order: { version: 'ASC' } });
    return rows.map(toEvent);
  }

  /**
   * Appends `events` after `expectedVersion`. Fails with ConcurrencyError if another writer got
   * there first (the primary key refuses the duplicate version). Takes a snapshot each time
   * the stream crosses a multiple of `snapshotEvery`.
   */
  async append(
    manager: EntityManager,
    accountId: string,
    expectedVersion: number,
    events: AccountEvent[],
    stateAfter: AccountState,
  ): Promise<number> {
    if (events.length === 0) return expectedVersion;
    const rows = events.map((event, i) => {
      const { type, ...data } = event;
      return { accountId, version: expectedVersion + i + 1, type, data };
    });
    try {
      await manager.insert(AccountEventEntity, rows);
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConcurrencyError(accountId, expectedVersion);
      }
      throw error;
    }
    const version = expectedVersion + events.length;
    if (Math.floor(version / this.snapshotEvery) > Math.floor(expectedVersion / this.snapshotEvery)) {
      await manager.upsert(AccountSnapshotEntity, { accountId, version, state: stateAfter }, ['accountId']);
    }
    return version;
  }
}

function toEvent(row: AccountEventEntity): AccountEvent {
  return { type: row.type, ...row.data } as AccountEvent;
}
