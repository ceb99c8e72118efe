import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Order, OrderEvent } from '../domain/order';
import { orderNotFound } from '../domain/order.errors';
import type { SagaTimings } from '../saga/order-saga';
import { OrderRepository } from '../infrastructure/order.repository';
import { OrderMessages } from './order-messages';
import { SAGA_TIMINGS } from './saga-timings';

/**
 * Runs one step of an order's saga inside the caller's transaction: lock the order, let the
 * aggregate decide, then store its events (history + read model) and send what it decided
 * (outbox). A crash anywhere rolls all of it back, so the reply is delivered again.
 */
@Injectable()
export class OrderSagaRunner {
  private readonly logger = new Logger(OrderSagaRunner.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly messages: OrderMessages,
    @Inject(SAGA_TIMINGS) readonly timings: SagaTimings,
  ) {}

  /** Applies `change` to the locked order. Returns null when the order does not exist (or, with skipLocked, is busy). */
  async run(
    manager: EntityManager,
    orderId: string,
    change: (order: Order) => void,
    options: { causationId?: string | null; skipLocked?: boolean } = {},
  ): Promise<{ order: Order; events: OrderEvent[] } | null> {
    const order = await this.orders.lock(manager, orderId, options.skipLocked);
    if (!order) return null;
    change(order);
    const events = order.pullEvents();
    await this.orders.save(manager, order, events);
    await this.messages.send(manager, order.state, events, options.causationId ?? null);
    for (const e of events) {
      if (e.type.startsWith('Order') || e.type === 'CancelRefused') {
        this.logger.log({ orderId, event: e.type, status: e.status }, `order ${orderId}: ${e.type}`);
      }
    }
    return { order, events };
  }

  /** Like run, for an order that must exist (API calls): 404 otherwise. */
  async runExisting(manager: EntityManager, orderId: string, change: (order: Order) => void): Promise<Order> {
    const result = await this.run(manager, orderId, change);
    if (!result) throw orderNotFound(orderId);
    return result.order;
  }
}
