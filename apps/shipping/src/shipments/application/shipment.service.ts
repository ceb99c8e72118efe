import { Injectable } from '@nestjs/common';
import { execute } from '@shop/platform';
import type { EntityManager } from 'typeorm';
import { unshippableReason, type ShippingAddress } from '../domain/address';
import { ShipmentEntity } from '../infrastructure/shipment.entity';

export interface ShippingTimings {
  /** Simulated time from scheduling to dispatch, and from dispatch to delivery. */
  dispatchAfterMs: number;
  deliverAfterMs: number;
}

export interface ShipmentMove {
  orderId: string;
  status: 'DISPATCHED' | 'DELIVERED';
  traceContext: string | null;
}

/**
 * Shipments, one per order, in the caller's transaction. Every operation is idempotent: the
 * order id is the key, and a second request returns the first outcome.
 */
@Injectable()
export class ShipmentService {
  async schedule(
    manager: EntityManager,
    orderId: string,
    address: ShippingAddress,
    now: Date,
    timings: ShippingTimings,
    traceContext: string | null = null,
  ): Promise<ShipmentEntity> {
    const reason = unshippableReason(address);
    const dispatchDueAt = reason ? null : new Date(now.getTime() + timings.dispatchAfterMs);
    const deliverDueAt = dispatchDueAt ? new Date(dispatchDueAt.getTime() + timings.deliverAfterMs) : null;
    await manager
      .createQueryBuilder()
      .insert()
      .into(ShipmentEntity)
      .values({ orderId, status: reason ? 'IMPOSSIBLE' : 'SCHEDULED', address, reason, dispatchDueAt, deliverDueAt, updatedAt: now, traceContext })
      .orIgnore()
      .execute();
    // A repeat, or a ScheduleShipment after its CancelShipment, finds the first outcome.
    return manager.findOneByOrFail(ShipmentEntity, { orderId });
  }

  /**
   * Cancels a shipment that has not left yet. A dispatched one cannot be called back (returned
   * as it is); cancelling one never scheduled leaves a tombstone that refuses a late schedule.
   */
  async cancel(manager: EntityManager, orderId: string, now: Date): Promise<ShipmentEntity> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(ShipmentEntity)
      .values({ orderId, status: 'CANCELLED', address: null, reason: 'cancelled before it was scheduled', updatedAt: now })
      .orIgnore()
      .execute();
    const shipment = await manager.findOneOrFail(ShipmentEntity, { where: { orderId }, lock: { mode: 'pessimistic_write' } });
    if (shipment.status !== 'SCHEDULED') return shipment;
    await manager.update(ShipmentEntity, { orderId }, { status: 'CANCELLED', reason: 'cancelled', updatedAt: now });
    return manager.findOneByOrFail(ShipmentEntity, { orderId });
  }

  /**
   * The simulated clock's tick: dispatches what is due, delivers what is due. Rows are locked
   * with SKIP LOCKED, so two replicas ticking at once never move the same shipment twice.
   */
  async advance(manager: EntityManager, now: Date, limit = 100): Promise<ShipmentMove[]> {
    const dispatched = await this.move(manager, 'SCHEDULED', 'dispatch_due_at', 'DISPATCHED', now, limit);
    const delivered = await this.move(manager, 'DISPATCHED', 'deliver_due_at', 'DELIVERED', now, limit);
    return [...dispatched, ...delivered];
  }

  private async move(
    manager: EntityManager,
    from: 'SCHEDULED' | 'DISPATCHED',
    dueColumn: 'dispatch_due_at' | 'deliver_due_at',
    to: 'DISPATCHED' | 'DELIVERED',
    now: Date,
    limit: number,
  ): Promise<ShipmentMove[]> {
    const { rows } = await execute<{ order_id: string; trace_context: string | null }>(
      manager,
      `UPDATE shipment SET status = $2, updated_at = $3
       WHERE order_id IN (
         SELECT order_id FROM shipment WHERE status = $1 AND ${dueColumn} <= $3
         ORDER BY ${dueColumn} LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING order_id, trace_context`,
      [from, to, now, limit],
    );
    return rows.map((r) => ({ orderId: r.order_id, status: to, traceContext: r.trace_context }));
  }
}
