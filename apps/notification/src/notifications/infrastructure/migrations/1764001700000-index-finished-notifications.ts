import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The pruner deletes finished emails (SENT, FAILED) past their retention by `created_at`: this
 * index holds only those, so a pass reads the oldest finished rows, not every row of the table.
 */
export class IndexFinishedNotifications1764001700000 implements MigrationInterface {
  name = 'IndexFinishedNotifications1764001700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX notification_finished ON notification (created_at) WHERE status IN ('SENT', 'FAILED')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notification_finished`);
  }
}
