import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox and the idempotent inbox. Every service runs this migration in
 * its own database: outbox rows are written in the same transaction as the business change,
 * inbox rows in the same transaction as a handler's effect.
 */
export class CreateMessagingTables1764000000000 implements MigrationInterface {
  name = 'CreateMessagingTables1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_message (
        id            bigserial    PRIMARY KEY,
        message_id    uuid         NOT NULL UNIQUE,
        topic         text         NOT NULL,
        message_key   text         NOT NULL,
        headers       jsonb        NOT NULL,
        payload       jsonb        NOT NULL,
        created_at    timestamptz  NOT NULL DEFAULT now(),
        published_at  timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_message_unpublished ON outbox_message (id) WHERE published_at IS NULL`);
    await q.query(`
      CREATE TABLE inbox_message (
        consumer     text         NOT NULL,
        message_id   text         NOT NULL,
        topic        text         NOT NULL,
        received_at  timestamptz  NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_message`);
    await q.query(`DROP TABLE outbox_message`);
  }
}
