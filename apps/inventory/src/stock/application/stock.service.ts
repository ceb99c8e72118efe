import { Injectable } from '@nestjs/common';
import { execute } from '@shop/platform';
import type { EntityManager } from 'typeorm';
import { ProductEntity } from '../infrastructure/product.entity';
import { lockOrderLines, type ReservationLine } from '../domain/reservation-lines';
import { ReservationEntity } from '../infrastructure/reservation.entity';

export interface ProductSeed {
  sku: string;
  name: string;
  priceCents: number;
  currency: string;
  stock: number;
}

/**
 * Stock reservations that never oversell. Each line is taken with one conditional UPDATE
 * (`available >= quantity`), so concurrent orders for the last units cannot both succeed, and a
 * CHECK constraint makes a negative stock impossible even for a bug. An order's lines are
 * reserved all or nothing; lines are locked in SKU order so two orders never deadlock.
 * Everything runs in the caller's transaction (the one that records the command as handled).
 */
@Injectable()
export class StockService {
  /** Reserves an order's lines once; a repeat returns the first outcome. */
  async reserve(manager: EntityManager, orderId: string, lines: ReservationLine[]): Promise<ReservationEntity> {
    const wanted = lockOrderLines(lines);
    // Claim the order first: a concurrent duplicate waits here, then sees the claim and returns it.
    const claimed = await rowCount(
      manager,
      `INSERT INTO reservation (order_id, status, lines) VALUES ($1, 'RESERVED', $2)
       ON CONFLICT (order_id) DO NOTHING RETURNING order_id`,
      [orderId, JSON.stringify(wanted)],
    );
    if (claimed === 0) return manager.findOneByOrFail(ReservationEntity, { orderId });

    await manager.query('SAVEPOINT reserve_lines');
    for (const line of wanted) {
      const taken = await rowCount(
        manager,
        `UPDATE product SET available = available - $2, reserved = reserved + $2 WHERE sku = $1 AND available >= $2`,
        [line.sku, line.quantity],
      );
      if (taken === 0) {
        await manager.query('ROLLBACK TO SAVEPOINT reserve_lines');
        const known = await manager.existsBy(ProductEntity, { sku: line.sku });
        const reason = known ? 'OUT_OF_STOCK' : 'UNKNOWN_SKU';
        await manager.update(ReservationEntity, { orderId }, { status: 'REJECTED', reason: `${reason}: ${line.sku}`, updatedAt: new Date() });
        return manager.findOneByOrFail(ReservationEntity, { orderId });
      }
    }
    await manager.query('RELEASE SAVEPOINT reserve_lines');
    return manager.findOneByOrFail(ReservationEntity, { orderId });
  }

  /**
   * Gives an order's reserved units back, once. Releasing an order never reserved leaves a
   * tombstone, so a ReserveStock that arrives after its ReleaseStock is refused.
   */
  async release(manager: EntityManager, orderId: string): Promise<ReservationEntity> {
    const tombstone = await rowCount(
      manager,
      `INSERT INTO reservation (order_id, status, lines, reason) VALUES ($1, 'RELEASED', '[]', 'released before any reservation')
       ON CONFLICT (order_id) DO NOTHING`,
      [orderId],
    );
    const reservation = await manager.findOneOrFail(ReservationEntity, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
    if (tombstone > 0 || reservation.status !== 'RESERVED') return reservation;
    for (const line of reservation.lines) {
      await manager.query(`UPDATE product SET available = available + $2, reserved = reserved - $2 WHERE sku = $1`, [line.sku, line.quantity]);
    }
    await manager.update(ReservationEntity, { orderId }, { status: 'RELEASED', updatedAt: new Date() });
    return manager.findOneByOrFail(ReservationEntity, { orderId });
  }

  async reservationOf(manager: EntityManager, orderId: string): Promise<ReservationEntity | null> {
    return manager.findOneBy(ReservationEntity, { orderId });
  }

  /** Adds the products of the seed file that are missing; never overwrites stock already there. */
  async seed(manager: EntityManager, products: readonly ProductSeed[]): Promise<number> {
    if (products.length === 0) return 0;
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ProductEntity)
      .values(products.map((p) => ({ sku: p.sku, name: p.name, priceCents: p.priceCents, currency: p.currency, available: p.stock, reserved: 0 })))
      .orIgnore()
      .returning(['sku'])
      .execute();
    return (result.raw as unknown[]).length;
  }
}

async function rowCount(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await execute(manager, sql, params)).affected;
}
