import { Injectable } from '@nestjs/common';
import { execute, select } from '@shop/platform';
import type { EntityManager } from 'typeorm';
import { Order, type OrderEvent, type OrderProps, type OrderStatus, type ShipmentProgress } from '../domain/order';
import type { SagaCommand, SagaState } from '../saga/order-saga';
import { projectEvent, type OrderView, type StoredOrderEvent } from '../domain/order-projection';
import { OrderViewRepository } from './order-view.repository';

/** Another writer changed the order first: the caller's transaction rolls back and is retried. */
export class OrderConcurrencyError extends Error {
  constructor(orderId: string) {
    super(`order ${orderId} was changed concurrently`);
    this.name = 'OrderConcurrencyError';
  }
}

/** An order whose deadline has passed (see dueForDeadline). */
export interface DueOrder {
  id: string;
  traceContext: string | null;
  commandWaiting: boolean;
  commandPublishedAt: Date | null;
}

interface OrderRow {
  id: string;
  customer_id: string;
  customer_email: string;
  customer_name: string;
  lines: OrderProps['lines'];
  total_cents: number;
  currency: string;
  shipping_address: OrderProps['shippingAddress'];
  payment_method: string;
  status: OrderStatus;
  saga: SagaState;
  placed_at: Date;
  version: number;
}

/**
 * Stores the order aggregate: its row, its new events (the history), and the read model, all in
 * the caller's transaction. Orders are loaded with a row lock, so one order's replies, deadline
 * and cancellation are applied one at a time; the version check guards anything that did not lock.
 */
@Injectable()
export class OrderRepository {
  constructor(private readonly views: OrderViewRepository) {}

  async lock(manager: EntityManager, orderId: string, skipLocked = false): Promise<Order | null> {
    const rows = await select<OrderRow>(manager, `SELECT * FROM orders WHERE id = $1 FOR UPDATE${skipLocked ? ' SKIP LOCKED' : ''}`, [orderId]);
    return rows[0] ? Order.restore(toProps(rows[0])) : null;
  }

  /**
   * lock(), and in the same statement the saga command the order sent in the message `messageId`
   * (what a reply's causation id names), from its history: null when it sent none in such a message.
   */
  async lockWithCommandSentIn(manager: EntityManager, orderId: string, messageId: string): Promise<{ order: Order; commandSentIn: SagaCommand | null } | null> {
    const rows = await select<OrderRow & { command_sent_in: SagaCommand | null }>(
      manager,
      `SELECT o.*, (SELECT e.data->>'command' FROM order_event e
                     WHERE e.order_id = o.id AND e.type = 'CommandSent' AND e.data->>'messageId' = $2 LIMIT 1) AS command_sent_in
         FROM orders o WHERE o.id = $1 FOR UPDATE OF o`,
      [orderId, messageId],
    );
    return rows[0] ? { order: Order.restore(toProps(rows[0])), commandSentIn: rows[0].command_sent_in } : null;
  }

  /**
   * Orders whose deadline has passed, oldest first, with the trace context they were placed in
   * and where the command they wait on is: still in the outbox (`commandWaiting`), or published
   * at `commandPublishedAt` (null as well when its outbox row is gone: published long ago).
   */
  async dueForDeadline(manager: EntityManager, now: Date, limit: number): Promise<DueOrder[]> {
    const rows = await select<{ id: string; trace_context: string | null; command_waiting: boolean; command_published_at: Date | null }>(
      manager,
      `SELECT o.id, o.trace_context, (m.id IS NOT NULL AND m.published_at IS NULL) AS command_waiting, m.published_at AS command_published_at
         FROM orders o LEFT JOIN outbox_message m ON m.message_id = o.command_message_id
        WHERE o.deadline_at <= $1 ORDER BY o.deadline_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id, traceContext: r.trace_context, commandWaiting: r.command_waiting, commandPublishedAt: r.command_published_at }));
  }

  /**
   * Saves the order and the events it recorded; returns those events as stored.
   * `traceContext`: for a new order, the traceparent of the request placing it.
   * `commandMessageId`: the outbox id of the command the saga now waits on, when these events sent it.
   */
  async save(
    manager: EntityManager,
    order: Order,
    events: OrderEvent[],
    { traceContext = null, commandMessageId = null }: { traceContext?: string | null; commandMessageId?: string | null } = {},
  ): Promise<StoredOrderEvent[]> {
    if (events.length === 0) return [];
    const o = order.state;
    const previousVersion = o.version - events.length;
    const deadlineAt = o.saga.deadlineAt === null ? null : new Date(o.saga.deadlineAt);
    const now = events[events.length - 1].at;
    if (previousVersion === 0) {
      await execute(
        manager,
        `INSERT INTO orders (id, customer_id, customer_email, customer_name, lines, total_cents, currency, shipping_address,
                             payment_method, status, saga, deadline_at, failure_reason, placed_at, version, updated_at, trace_context, command_message_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`,
        [o.id, o.customer.id, o.customer.email, o.customer.name, JSON.stringify(o.lines), o.totalCents, o.currency,
          JSON.stringify(o.shippingAddress), o.paymentMethod, o.status, JSON.stringify(o.saga), deadlineAt, o.failureReason, o.placedAt, o.version, now, traceContext,
          commandMessageId],
      );
    } else {
      const updated = await execute(
        manager,
        `UPDATE orders SET status = $2, saga = $3, deadline_at = $4, failure_reason = $5, version = $6, updated_at = $7,
                           command_message_id = coalesce($9::uuid, command_message_id)
         WHERE id = $1 AND version = $8`,
        [o.id, o.status, JSON.stringify(o.saga), deadlineAt, o.failureReason, o.version, now, previousVersion, commandMessageId],
      );
      if (updated.affected !== 1) throw new OrderConcurrencyError(o.id);
    }
    const stored = events.map((e, i) => ({ orderId: o.id, seq: previousVersion + i + 1, type: e.type, status: e.status, data: e.data as Record<string, unknown>, at: e.at }));
    await execute(
      manager,
      `INSERT INTO order_event (order_id, seq, type, order_status, data, occurred_at)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[], $6::timestamptz[])`,
      [o.id, stored.map((e) => e.seq), stored.map((e) => e.type), stored.map((e) => e.status), stored.map((e) => JSON.stringify(e.data)), stored.map((e) => e.at)],
    );
    // The read model follows in the same transaction: the API reads its own writes.
    const view = stored.reduce<OrderView | null>(projectEvent, previousVersion === 0 ? null : await this.views.find(manager, o.id));
    if (view) await this.views.upsert(manager, view);
    return stored;
  }

  async history(manager: EntityManager, orderId: string): Promise<StoredOrderEvent[]> {
    const rows = await select<{ order_id: string; seq: number; type: string; order_status: OrderStatus; data: Record<string, unknown>; occurred_at: Date }>(
      manager,
      `SELECT order_id, seq, type, order_status, data, occurred_at FROM order_event WHERE order_id = $1 ORDER BY seq`,
      [orderId],
    );
    return rows.map((r) => ({ orderId: r.order_id, seq: r.seq, type: r.type, status: r.order_status, data: r.data, at: r.occurred_at }));
  }
}

/**
 * The status column holds the order's derived status, for queries and for whoever reads the
 * table. Shipping's progress is the one fact in it that the saga state does not hold, so it is
 * read back from there rather than kept in a column of its own.
 */
const SHIPMENT_OF: Partial<Record<OrderStatus, ShipmentProgress>> = { SHIPPED: 'DISPATCHED', DELIVERED: 'DELIVERED' };

function toProps(row: OrderRow): OrderProps {
  return {
    id: row.id,
    customer: { id: row.customer_id, email: row.customer_email, name: row.customer_name },
    lines: row.lines,
    totalCents: row.total_cents,
    currency: row.currency,
    shippingAddress: row.shipping_address,
    paymentMethod: row.payment_method,
    saga: row.saga,
    shipment: SHIPMENT_OF[row.status] ?? 'NOT_DISPATCHED',
    placedAt: row.placed_at,
    version: row.version,
  };
}
