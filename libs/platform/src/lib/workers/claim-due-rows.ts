import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

export interface ClaimDueRowsOptions<Row extends ObjectLiteral, Result> {
  /** The due rows, oldest first: a query with its WHERE and ORDER BY, but no LIMIT and no lock (added here). */
  due: (manager: EntityManager) => SelectQueryBuilder<Row>;
  /** At most this many rows per transaction. */
  limit: number;
  /** Handles the claimed rows in the claiming transaction; what it writes commits with the claim. */
  handle: (rows: Row[], manager: EntityManager) => Promise<Result>;
}

/**
 * The claim step of a worker that polls a table, in one transaction: selects up to `limit` due
 * rows FOR UPDATE SKIP LOCKED (rows another replica has claimed are skipped, not waited for),
 * hands them to `handle`, and commits. A crash before the commit leaves the rows as they were,
 * for the next pass. `full` (as many rows as `limit`) means more may be due: the worker's
 * `work()` returns `more: full` so its next pass runs at once.
 *
 * Per-row retries live in the rows themselves, so one failing row delays no other: an
 * `attempts` count and a `next_attempt_at` time, `next_attempt_at <= now()` in the `due` query;
 * on a failure `handle` writes `attempts + 1` and `next_attempt_at = now + exponentialDelay(...)` (@shop/messaging's backoff), or
 * a final status once the attempts are used up (the notification sender does this).
 */
export async function claimDueRows<Row extends ObjectLiteral, Result>(
  db: DataSource,
  options: ClaimDueRowsOptions<Row, Result>,
): Promise<{ result: Result; full: boolean }> {
  return db.transaction(async (manager) => {
    const rows = await options.due(manager).limit(options.limit).setLock('pessimistic_write').setOnLocked('skip_locked').getMany();
    return { result: await options.handle(rows, manager), full: rows.length === options.limit };
  });
}
