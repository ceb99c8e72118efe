import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Stock receipts: one row per delivery, keyed by the receipt id the admin sends (the idempotency key). */
export class CreateStockReceipts1764001800000 implements MigrationInterface {
  name = 'CreateStockReceipts1764001800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stock_receipt (
        receipt_id       text         PRIMARY KEY,
        sku              text         NOT NULL REFERENCES product (sku),
        quantity         integer      NOT NULL CHECK (quantity > 0),
        available_after  integer      NOT NULL,
        received_by      text         NOT NULL,
        received_at      timestamptz  NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stock_receipt`);
  }
}
