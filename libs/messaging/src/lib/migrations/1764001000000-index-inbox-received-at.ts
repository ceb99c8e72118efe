import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The relay prunes inbox records past their retention by `received_at`: without an index, a scan of the whole inbox every minute. */
export class IndexInboxReceivedAt1764001000000 implements MigrationInterface {
  name = 'IndexInboxReceivedAt1764001000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX inbox_message_received_at ON inbox_message (received_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX inbox_message_received_at`);
  }
}
