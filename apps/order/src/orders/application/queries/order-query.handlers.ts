import { BadRequestException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isAdmin } from '@shop/platform';
import { DataSource } from 'typeorm';
import { isOrderId } from '../../domain/order';
import { orderNotFound } from '../../domain/order.errors';
import { OrderRepository } from '../../infrastructure/order.repository';
import { OrderViewRepository } from '../../infrastructure/order-view.repository';
import type { OrderView, StoredOrderEvent } from '../../domain/order-projection';
import { maySee } from '../order-access';
import { GetOrderHistoryQuery, GetOrderQuery, ListOrdersQuery, type OrderPage } from './order-queries';

/** The query side reads the read model (order_view) and the history (order_event), never the write model. */
@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  constructor(
    private readonly db: DataSource,
    private readonly views: OrderViewRepository,
  ) {}

  async execute({ orderId, viewer }: GetOrderQuery): Promise<OrderView> {
    const view = await this.views.find(this.db.manager, orderId);
    if (!view || !maySee(viewer, view.customerId)) throw orderNotFound(orderId);
    return view;
  }
}

@QueryHandler(ListOrdersQuery)
export class ListOrdersHandler implements IQueryHandler<ListOrdersQuery> {
  constructor(
    private readonly db: DataSource,
    private readonly views: OrderViewRepository,
  ) {}

  async execute({ filter, viewer }: ListOrdersQuery): Promise<OrderPage> {
    const limit = filter.limit ?? 20;
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    // A customer asking for another customer's orders gets none of them: the page is empty.
    if (filter.customerId !== undefined && !maySee(viewer, filter.customerId)) return { items: [], nextCursor: null };
    const customerId = isAdmin(viewer) ? filter.customerId : viewer.subject;
    const rows = await this.views.list(this.db.manager, { customerId, status: filter.status, after, limit: limit + 1 });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.placedAt, last.id) : null };
  }
}

@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryHandler implements IQueryHandler<GetOrderHistoryQuery> {
  constructor(
    private readonly db: DataSource,
    private readonly orders: OrderRepository,
    private readonly views: OrderViewRepository,
  ) {}

  async execute({ orderId, viewer }: GetOrderHistoryQuery): Promise<StoredOrderEvent[]> {
    const view = await this.views.find(this.db.manager, orderId);
    if (!view || !maySee(viewer, view.customerId)) throw orderNotFound(orderId);
    return this.orders.history(this.db.manager, orderId);
  }
}

/** Opaque keyset cursor: the position (placedAt, id) of the last order returned. */
export function encodeCursor(placedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([placedAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): { placedAt: Date; id: string } {
  try {
    const [placedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(placedAt);
    if (typeof id !== 'string' || !isOrderId(id) || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { placedAt: date, id };
  } catch {
    throw new BadRequestException({ code: 'REQUEST.INVALID_CURSOR', message: 'cursor is not one this API returned (use nextCursor as given)' });
  }
}
