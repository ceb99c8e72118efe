import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStock1764000300000 implements MigrationInterface {
  name = 'CreateStock1764000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE product (
        sku          text     PRIMARY KEY,
        name         text     NOT NULL,
        price_cents  integer  NOT NULL CHECK (price_cents >= 0),
        currency     text     NOT NULL,
        available    integer  NOT NULL,
        reserved     integer  NOT NULL DEFAULT 0 CHECK (reserved >= 0),
        CONSTRAINT product_available_never_negative CHECK (available >= 0)
      )`);
    await q.query(`
      CREATE TABLE reservation (
        order_id    text         PRIMARY KEY,
        status      text         NOT NULL CHECK (status IN ('RESERVED', 'REJECTED', 'RELEASED')),
        lines       jsonb        NOT NULL,
        reason      text,
        updated_at  timestamptz  NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reservation`);
    await q.query(`DROP TABLE product`);
  }
}
