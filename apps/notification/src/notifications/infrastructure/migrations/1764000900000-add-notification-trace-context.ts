import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The traceparent of the event that asked for the email: the later send continues the order's trace. */
export class AddNotificationTraceContext1764000900000 implements MigrationInterface {
  name = 'AddNotificationTraceContext1764000900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification ADD COLUMN trace_context text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification DROP COLUMN trace_context`);
  }
}
