import { BackgroundWorker, type WorkerRuntime, type WorkResult } from '@shop/platform';
import type { DataSource } from 'typeorm';

export interface PrunerOptions {
  /** Finished emails (SENT, FAILED) created longer ago than this are deleted. */
  retentionMs: number;
  /** How often the pruner looks (default one minute). */
  intervalMs?: number;
  /** Rows deleted per statement (default 1000): a pass never holds many row locks at once. */
  batchSize?: number;
}

/**
 * Deletes finished emails past their retention: a row SENT or FAILED and created more than
 * `retentionMs` ago (NOTIFICATION_RETENTION_HOURS), in batches of `batchSize`, the next batch at
 * once while batches come back full. A PENDING or SENDING row is never deleted, whatever its age:
 * it is still to be sent. Each row holds the customer's address and the email's text, so it is
 * kept only as long as it is useful: its unique (order, kind) key is what makes a repeated event
 * a no-op, which is why the retention is at least the inbox's (config.ts): a redelivery the
 * inbox no longer recognises finds no row to stop it only after both have forgotten it.
 * Replicas may prune at once: SKIP LOCKED lets each take rows the other is not deleting.
 */
export class NotificationPruner extends BackgroundWorker {
  private readonly batchSize: number;

  constructor(
    private readonly db: DataSource,
    private readonly options: PrunerOptions,
    runtime?: WorkerRuntime,
  ) {
    super({ name: 'notification-pruner', intervalMs: options.intervalMs ?? 60_000 }, runtime);
    this.batchSize = options.batchSize ?? 1000;
  }

  /** Deletes one batch; returns how many rows went, and whether more may be due (a full batch). */
  async pruneBatch(): Promise<{ handled: number; more: boolean }> {
    // TypeORM answers a DELETE with [rows, affected].
    const [, deleted]: [unknown[], number] = await this.db.query(
      `DELETE FROM notification WHERE id IN (
         SELECT id FROM notification
         WHERE status IN ('SENT', 'FAILED') AND created_at < now() - make_interval(secs => $1)
         ORDER BY created_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)`,
      [this.options.retentionMs / 1000, this.batchSize],
    );
    return { handled: deleted, more: deleted === this.batchSize };
  }

  protected override work(): Promise<WorkResult> {
    return this.pruneBatch();
  }
}
