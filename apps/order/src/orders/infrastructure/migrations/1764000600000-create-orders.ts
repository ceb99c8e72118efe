import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order service's tables:
 * - orders: the write side, one row per order aggregate (with its saga state and next deadline);
 * - order_event: every domain event of every order, append-only (the audit trail, and the
 *   source the read model is rebuilt from);
 * - order_view: the read model the query side and the API read;
 * - catalog_product: the local copy of inventory's catalog (event-carried state transfer).
 */
export class CreateOrders1764000600000 implements MigrationInterface {
  name = 'CreateOrders1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE orders (
        id                text         PRIMARY KEY,
        customer_id       text         NOT NULL,
        customer_email    text         NOT NULL,
        customer_name     text         NOT NULL,
        lines             jsonb        NOT NULL,
        total_cents       integer      NOT NULL CHECK (total_cents >= 0),
        currency          text         NOT NULL,
        shipping_address  jsonb        NOT NULL,
        payment_method    text         NOT NULL,
        status            text         NOT NULL,
        saga              jsonb        NOT NULL,
        deadline_at       timestamptz,
        failure_reason    text,
        placed_at         timestamptz  NOT NULL,
        version           integer      NOT NULL,
        updated_at        timestamptz  NOT NULL
      )`);
    await q.query(`CREATE INDEX orders_deadline ON orders (deadline_at) WHERE deadline_at IS NOT NULL`);
    await q.query(`
      CREATE TABLE order_event (
        id           bigserial    PRIMARY KEY,
        order_id     text         NOT NULL REFERENCES orders (id),
        seq          integer      NOT NULL,
        type         text         NOT NULL,
        order_status text         NOT NULL,
        data         jsonb        NOT NULL,
        occurred_at  timestamptz  NOT NULL,
        UNIQUE (order_id, seq)
      )`);
    await q.query(`
      CREATE TABLE order_view (
        id              text         PRIMARY KEY,
        customer_id     text         NOT NULL,
        status          text         NOT NULL,
        lines           jsonb        NOT NULL,
        total_cents     integer      NOT NULL,
        currency        text         NOT NULL,
        failure_reason  text,
        timeline        jsonb        NOT NULL,
        placed_at       timestamptz  NOT NULL,
        updated_at      timestamptz  NOT NULL,
        version         integer      NOT NULL
      )`);
    await q.query(`CREATE INDEX order_view_customer ON order_view (customer_id, placed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX order_view_status ON order_view (status, placed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX order_view_placed ON order_view (placed_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE catalog_product (
        sku          text         PRIMARY KEY,
        name         text         NOT NULL,
        price_cents  integer      NOT NULL,
        currency     text         NOT NULL,
        available    integer      NOT NULL,
        updated_at   timestamptz  NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE catalog_product`);
    await q.query(`DROP TABLE order_view`);
    await q.query(`DROP TABLE order_event`);
    await q.query(`DROP TABLE orders`);
  }
}
