import { recreateDatabase, waitFor } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { notificationMigrations } from '../../src/app.module';
import { NotificationPruner } from '../../src/notifications/application/notification-pruner';
import { NotificationEntity, type NotificationStatus } from '../../src/notifications/infrastructure/notification.entity';

const HOUR_MS = 60 * 60 * 1000;

describe('notification retention: finished emails past the retention are deleted, nothing else', () => {
  let db: DataSource;

  beforeAll(async () => {
    db = new DataSource({
      type: 'postgres',
      url: await recreateDatabase('test_notification_pruner'),
      entities: [NotificationEntity],
      migrations: notificationMigrations,
      migrationsRun: true,
    });
    await db.initialize();
  });

  afterAll(() => db?.destroy());

  /** Rows of one run, `hoursAgo` old (by created_at), in `status`. */
  async function rows(run: string, status: NotificationStatus, hoursAgo: number, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await db.query(
        `INSERT INTO notification (order_id, kind, recipient, subject, body, message_id, status, created_at, sent_at)
         VALUES ($1, 'ORDER_CONFIRMED', 'ada@example.test', 'Your order', 'Hello Ada', $2, $3, now() - $4 * interval '1 hour', CASE WHEN $3 = 'SENT' THEN now() END)`,
        [`${run}-${status}-${hoursAgo}-${i}`, `<${randomUUID()}@shop.local>`, status, hoursAgo],
      );
    }
  }

  const left = async (run: string) =>
    db.query<Array<{ status: string; old: boolean; n: number }>>(
      `SELECT status, created_at < now() - interval '24 hours' AS old, count(*)::int AS n FROM notification WHERE order_id LIKE $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [`${run}-%`],
    );

  it('deletes SENT and FAILED rows older than the retention, in batches; keeps PENDING and SENDING rows of any age and recent finished ones', async () => {
    const run = `r-${randomUUID()}`;
    await rows(run, 'SENT', 48, 5);
    await rows(run, 'FAILED', 48, 2);
    await rows(run, 'PENDING', 48, 2);
    await rows(run, 'SENDING', 48, 1);
    await rows(run, 'SENT', 1, 3);
    await rows(run, 'FAILED', 1, 1);

    const pruner = new NotificationPruner(db, { retentionMs: 24 * HOUR_MS, batchSize: 3 });
    // 7 old finished rows, 3 a batch: two full batches, then the rest.
    expect(await pruner.pruneBatch()).toEqual({ handled: 3, more: true });
    expect(await pruner.pruneBatch()).toEqual({ handled: 3, more: true });
    expect(await pruner.pruneBatch()).toEqual({ handled: 1, more: false });
    expect(await pruner.pruneBatch()).toEqual({ handled: 0, more: false });

    expect(await left(run)).toEqual([
      { status: 'FAILED', old: false, n: 1 },
      { status: 'PENDING', old: true, n: 2 },
      { status: 'SENDING', old: true, n: 1 },
      { status: 'SENT', old: false, n: 3 },
    ]);
  });

  it('as a background worker: started, it empties the backlog of old finished rows without waiting for its interval between full batches', async () => {
    const run = `w-${randomUUID()}`;
    await rows(run, 'SENT', 30, 25);
    await rows(run, 'PENDING', 30, 1);
    const pruner = new NotificationPruner(db, { retentionMs: 24 * HOUR_MS, batchSize: 10, intervalMs: 60 * 60 * 1000 });
    pruner.start();
    try {
      // An hour between passes unless a batch came back full: only `more` can finish this in time.
      await waitFor('the old SENT rows deleted', async () => !(await left(run)).some((r) => r.status === 'SENT'), 10_000, 50);
    } finally {
      await pruner.stop();
    }
    expect(await left(run)).toEqual([{ status: 'PENDING', old: true, n: 1 }]);
  });
});
