import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SENDING: a sender has claimed the email (committed) and is handing it to the SMTP server; its
 * next_attempt_at is the claim's lease. The pending index covers both states the sender polls.
 */
export class AddNotificationSending1764001500000 implements MigrationInterface {
  name = 'AddNotificationSending1764001500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_status_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED'))`);
    await q.query(`DROP INDEX notification_pending`);
    await q.query(`CREATE INDEX notification_pending ON notification (id) WHERE status IN ('PENDING', 'SENDING')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE notification SET status = 'PENDING' WHERE status = 'SENDING'`);
    await q.query(`DROP INDEX notification_pending`);
    await q.query(`CREATE INDEX notification_pending ON notification (id) WHERE status = 'PENDING'`);
    await q.query(`ALTER TABLE notification DROP CONSTRAINT notification_status_check`);
    await q.query(`ALTER TABLE notification ADD CONSTRAINT notification_status_check CHECK (status IN ('PENDING', 'SENT', 'FAILED'))`);
  }
}
