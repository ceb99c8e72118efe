import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { captureTraceContext } from '@shop/messaging';
import { afterCommit } from '@shop/platform';
import type { EntityManager } from 'typeorm';
import type { Order, OrderEvent } from '../domain/order';
import { orderNotFound } from '../domain/order.errors';
import type { SagaCommand, SagaTimings } from '../saga/order-saga';
import { roleOfReply } from '../saga/order-saga.table';
import { OrderRepository } from '../infrastructure/order.repository';
import { OrderEventPublished } from './order-event-published';
import { OrderMessages } from './order-messages';
import { SAGA_TIMINGS } from './saga-timings';

/**
 * Runs one step of an order's saga inside the caller's transaction: lock the order, let the
 * aggregate decide, then record what it decided. A crash anywhere rolls all of it back, so the
 * reply is delivered again.
 */
@Injectable()
export class OrderSagaRunner {
  private readonly logger = new Logger(OrderSagaRunner.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly messages: OrderMessages,
    private readonly eventBus: EventBus,
    @Inject(SAGA_TIMINGS) readonly timings: SagaTimings,
  ) {}

  /**
   * Applies `change` to the locked order. Returns null when the order does not exist (or, with
   * skipLocked, is busy). With `commandSentIn` (a reply's causation id), `change` is also given the
   * saga command the order sent in that message (null: none), read with the lock.
   */
  async run(
    manager: EntityManager,
    orderId: string,
    change: (order: Order, commandSentIn: SagaCommand | null) => void,
    options: { causationId?: string | null; skipLocked?: boolean; commandSentIn?: string } = {},
  ): Promise<{ order: Order; events: OrderEvent[] } | null> {
    const locked =
      options.commandSentIn === undefined
        ? { order: await this.orders.lock(manager, orderId, options.skipLocked), commandSentIn: null }
        : await this.orders.lockWithCommandSentIn(manager, orderId, options.commandSentIn);
    const order = locked?.order;
    if (!locked || !order) return null;
    change(order, locked.commandSentIn);
    const events = order.pullEvents();
    await this.record(manager, order, events, options.causationId ?? null);
    return { order, events };
  }

  /** Like run, for an order that must exist (API calls): 404 otherwise. */
  async runExisting(manager: EntityManager, orderId: string, change: (order: Order) => void): Promise<Order> {
    const result = await this.run(manager, orderId, change);
    if (!result) throw orderNotFound(orderId);
    return result.order;
  }

  /**
   * Sends what the events decided (outbox), stores them (history + read model) with the id of the
   * command the saga now waits on, marks the active
   * span with the order and the saga's position, and publishes the events in-process after commit.
   */
  async record(manager: EntityManager, order: Order, events: OrderEvent[], causationId: string | null): Promise<void> {
    if (events.length === 0) return;
    const isNew = order.state.version === events.length;
    const sent = await this.messages.send(manager, order.state, events, causationId);
    await this.orders.save(manager, order, sent.events, { traceContext: isNew ? captureTraceContext() : null, commandMessageId: sent.inFlightMessageId });
    this.annotateSpan(order, events);
    const snapshot = { ...order.state };
    afterCommit(manager, () => this.eventBus.publishAll(sent.events.map((e) => new OrderEventPublished(snapshot, e))));
    for (const e of events) {
      if (e.type.startsWith('Order') || e.type === 'CancelRefused') {
        this.logger.log({ orderId: order.id, event: e.type, status: e.status }, `order ${order.id}: ${e.type}`);
      }
    }
  }

  private annotateSpan(order: Order, events: OrderEvent[]): void {
    const span = trace.getActiveSpan();
    if (!span) return;
    const { saga, status } = order.state;
    span.setAttributes({
      'shop.order_id': order.id,
      'shop.order.status': status,
      'shop.saga.status': saga.status,
      'shop.saga.step': saga.step ?? saga.pending[0] ?? 'none',
    });
    for (const e of events) {
      const failed =
        e.type === 'DeadlinePassed'
          ? `${e.data.waitingFor} got no answer in time`
          : e.type === 'ReplyReceived' && roleOfReply(e.data.reply)?.kind === 'failure' && !e.data.ignored
            ? `${e.data.reply}: ${e.data.reason ?? ''}`
            : null;
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: failed });
    }
  }
}
