import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateShipment1764000400000 implements MigrationInterface {
  name = 'CreateShipment1764000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE shipment (
        order_id         text         PRIMARY KEY,
        status           text         NOT NULL CHECK (status IN ('SCHEDULED', 'DISPATCHED', 'DELIVERED', 'CANCELLED', 'IMPOSSIBLE')),
        address          jsonb,
        reason           text,
        dispatch_due_at  timestamptz,
        deliver_due_at   timestamptz,
        updated_at       timestamptz  NOT NULL
      )`);
    // The clock looks for work by due time.
    await q.query(`CREATE INDEX shipment_dispatch_due ON shipment (dispatch_due_at) WHERE status = 'SCHEDULED'`);
    await q.query(`CREATE INDEX shipment_deliver_due ON shipment (deliver_due_at) WHERE status = 'DISPATCHED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE shipment`);
  }
}
