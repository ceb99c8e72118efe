import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdempotencyKeys1764000500000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_key (
        key           text         PRIMARY KEY,
        request_hash  text         NOT NULL,
        status_code   integer,
        response      jsonb,
        created_at    timestamptz  NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_key`);
  }
}
