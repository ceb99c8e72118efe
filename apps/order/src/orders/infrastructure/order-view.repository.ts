import { Injectable } from '@nestjs/common';
import { execute, select } from '@shop/platform';
import type { EntityManager } from 'typeorm';
import type { OrderStatus } from '../domain/order';
import { projectEvent, type OrderView, type StoredOrderEvent } from '../domain/order-projection';

interface ViewRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  lines: OrderView['lines'];
  total_cents: number;
  currency: string;
  failure_reason: string | null;
  timeline: OrderView['timeline'];
  placed_at: Date;
  updated_at: Date;
  version: number;
}

export interface ListFilter {
  customerId?: string;
  status?: OrderStatus;
  /** Keyset position: return orders placed before this one (newest first). */
  after?: { placedAt: Date; id: string };
  limit: number;
}

/** The read model (order_view): queried by the API, written only through the projection. */
@Injectable()
export class OrderViewRepository {
  async find(manager: EntityManager, orderId: string): Promise<OrderView | null> {
    const rows = await select<ViewRow>(manager, `SELECT * FROM order_view WHERE id = $1`, [orderId]);
    return rows[0] ? toView(rows[0]) : null;
  }

  async list(manager: EntityManager, filter: ListFilter): Promise<OrderView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.customerId) where.push(`customer_id = $${params.push(filter.customerId)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.after) where.push(`(placed_at, id) < ($${params.push(filter.after.placedAt)}, $${params.push(filter.after.id)})`);
    const sql = `SELECT * FROM order_view ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY placed_at DESC, id DESC LIMIT $${params.push(filter.limit)}`;
    return (await select<ViewRow>(manager, sql, params)).map(toView);
  }

  async upsert(manager: EntityManager, v: OrderView): Promise<void> {
    await execute(
      manager,
      `INSERT INTO order_view (id, customer_id, status, lines, total_cents, currency, failure_reason, timeline, placed_at, updated_at, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, failure_reason = EXCLUDED.failure_reason,
         timeline = EXCLUDED.timeline, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version`,
      [v.id, v.customerId, v.status, JSON.stringify(v.lines), v.totalCents, v.currency, v.failureReason, JSON.stringify(v.timeline), v.placedAt, v.updatedAt, v.version],
    );
  }

  /**
   * Throws the read model away and rebuilds it by replaying every order's events through the
   * projection. Runs in the caller's transaction: readers see the old view until it commits.
   */
  async rebuild(manager: EntityManager, batchSize = 500): Promise<{ orders: number; events: number }> {
    await manager.query('LOCK TABLE order_view IN EXCLUSIVE MODE');
    await manager.query('DELETE FROM order_view');
    let orders = 0;
    let events = 0;
    let lastId = '';
    for (;;) {
      const ids = await select<{ id: string }>(manager, `SELECT id FROM orders WHERE id > $1 ORDER BY id LIMIT $2`, [lastId, batchSize]);
      if (ids.length === 0) break;
      const rows = await select<{ order_id: string; seq: number; type: string; order_status: OrderStatus; data: Record<string, unknown>; occurred_at: Date }>(
        manager,
        `SELECT order_id, seq, type, order_status, data, occurred_at FROM order_event WHERE order_id = ANY($1) ORDER BY order_id, seq`,
        [ids.map((r) => r.id)],
      );
      const views = new Map<string, OrderView>();
      for (const r of rows) {
        const event: StoredOrderEvent = { orderId: r.order_id, seq: r.seq, type: r.type, status: r.order_status, data: r.data, at: r.occurred_at };
        views.set(r.order_id, projectEvent(views.get(r.order_id) ?? null, event));
      }
      for (const view of views.values()) await this.upsert(manager, view);
      orders += views.size;
      events += rows.length;
      lastId = ids[ids.length - 1].id;
    }
    return { orders, events };
  }
}

function toView(r: ViewRow): OrderView {
  return {
    id: r.id,
    customerId: r.customer_id,
    status: r.status,
    lines: r.lines,
    totalCents: r.total_cents,
    currency: r.currency,
    failureReason: r.failure_reason,
    timeline: r.timeline,
    placedAt: r.placed_at,
    updatedAt: r.updated_at,
    version: r.version,
  };
}
