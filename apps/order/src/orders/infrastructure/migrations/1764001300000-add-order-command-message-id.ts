import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox message id of the command the saga waits on. The deadline watcher joins it to
 * outbox_message to learn whether (and when) that command reached Kafka: a step's clock starts
 * there, not when the command was written (see DeadlineWatcher).
 */
export class AddOrderCommandMessageId1764001300000 implements MigrationInterface {
  name = 'AddOrderCommandMessageId1764001300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN command_message_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN command_message_id`);
  }
}
