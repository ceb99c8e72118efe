import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Keys past their retention are deleted by `created_at` (see IdempotencyStore): indexed, so that is not a scan of every key. */
export class IndexIdempotencyKeyCreatedAt1764001100000 implements MigrationInterface {
  name = 'IndexIdempotencyKeyCreatedAt1764001100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idempotency_key_created_at ON idempotency_key (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idempotency_key_created_at`);
  }
}
