import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-email retries: an address the SMTP server refuses is tried again later (next_attempt_at,
 * with backoff) and, after the last attempt, ends FAILED, while the other emails go on.
 */
export class AddNotificationRetry1764001200000 implements MigrationInterface {
  name = 'AddNotificationRetry1764001200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now()`);
    // Refusals only: attempts made while the server was unreachable do not count towards FAILED.
    await q.query(`ALTER TABLE notification ADD COLUMN refusals integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_status_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('PENDING', 'SENT', 'FAILED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_status_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('PENDING', 'SENT'))`);
    await q.query(`ALTER TABLE notification DROP COLUMN refusals`);
    await q.query(`ALTER TABLE notification DROP COLUMN next_attempt_at`);
  }
}
