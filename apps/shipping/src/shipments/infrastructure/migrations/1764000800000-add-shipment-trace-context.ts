import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The traceparent of the ScheduleShipment: the clock's later dispatch and delivery continue the order's trace. */
export class AddShipmentTraceContext1764000800000 implements MigrationInterface {
  name = 'AddShipmentTraceContext1764000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipment ADD COLUMN trace_context text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE shipment DROP COLUMN trace_context`);
  }
}
