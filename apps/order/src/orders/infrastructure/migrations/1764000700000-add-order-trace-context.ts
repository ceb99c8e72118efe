import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context (W3C traceparent) of the request that placed the order. Work the order
 * starts on its own later (a deadline passing) continues that trace, so one order is one trace.
 */
export class AddOrderTraceContext1764000700000 implements MigrationInterface {
  name = 'AddOrderTraceContext1764000700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN trace_context text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN trace_context`);
  }
}
