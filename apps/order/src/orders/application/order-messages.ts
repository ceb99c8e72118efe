import { Injectable } from '@nestjs/common';
import { OrderCancelledV1, OrderConfirmedV1, OrderConfirmedV2, OrderDeliveredV1, OrderPlacedV1, OrderRejectedV1, OrderShippedV1 } from '@shop/contracts';
import { OutboxWriter, type Causes } from '@shop/messaging';
import type { EntityManager } from 'typeorm';
import type { OrderEvent, OrderProps } from '../domain/order';
import { commandMessage, type SagaCommand } from '../saga/order-saga.table';

/**
 * The one place where the order's domain events become wire messages: saga commands to the
 * participants' command topics (message and data from the saga's table), and the order's own
 * integration events on order.events. Written
 * to the outbox in the caller's transaction. Every message of an order's saga shares one
 * correlation id: the order id.
 */
@Injectable()
export class OrderMessages {
  constructor(private readonly outbox: OutboxWriter) {}

  /**
   * Writes the messages the events call for. Returns the events to store, each CommandSent with
   * the message id of its command (the causation id a reply to it carries), and the message id of
   * the command the saga now waits on, if these events sent it (the deadline watcher follows it to
   * Kafka), else null.
   */
  async send(manager: EntityManager, order: Readonly<OrderProps>, events: OrderEvent[], causationId: string | null = null): Promise<SentMessages> {
    const causes: Causes = { correlationId: order.id, causationId };
    const inFlight = order.saga.step ?? order.saga.pending[0];
    let inFlightMessageId: string | null = null;
    const stored: OrderEvent[] = [];
    for (const event of events) {
      stored.push(event);
      switch (event.type) {
        case 'CommandSent': {
          const messageId = await this.command(manager, order, event.data.command, causes);
          if (event.data.command === inFlight) inFlightMessageId = messageId;
          stored[stored.length - 1] = { ...event, data: { ...event.data, messageId } };
          break;
        }
        case 'OrderPlaced':
          await this.outbox.add(manager, OrderPlacedV1, {
            ...customer(order),
            lines: order.lines,
            totalCents: order.totalCents,
            currency: order.currency,
            placedAt: order.placedAt.toISOString(),
          }, causes);
          break;
        case 'OrderConfirmed':
          // v1 and v2 side by side until every consumer reads v2 (notification still reads v1).
          await this.outbox.add(manager, OrderConfirmedV1, { ...customer(order), totalCents: order.totalCents, currency: order.currency }, causes);
          await this.outbox.add(manager, OrderConfirmedV2, {
            orderId: order.id,
            customer: { id: order.customer.id, email: order.customer.email, name: order.customer.name },
            total: { amountCents: order.totalCents, currency: order.currency },
            lines: order.lines.map(({ sku, quantity, unitPriceCents }) => ({ sku, quantity, unitPriceCents })),
            confirmedAt: event.at.toISOString(),
          }, causes);
          break;
        case 'OrderRejected':
          await this.outbox.add(manager, OrderRejectedV1, { ...customer(order), reason: event.data.reason }, causes);
          break;
        case 'OrderCancelled':
          await this.outbox.add(manager, OrderCancelledV1, customer(order), causes);
          break;
        case 'OrderShipped':
          await this.outbox.add(manager, OrderShippedV1, customer(order), causes);
          break;
        case 'OrderDelivered':
          await this.outbox.add(manager, OrderDeliveredV1, customer(order), causes);
          break;
        default:
          // ReplyReceived, DeadlinePassed, DeadlinePostponed, CancelRequested, CancelRefused: history only.
          break;
      }
    }
    return { events: stored, inFlightMessageId };
  }

  /** Writes one saga command, as the saga's table builds it; returns its message id. */
  private async command(manager: EntityManager, order: Readonly<OrderProps>, command: SagaCommand, causes: Causes): Promise<string> {
    const { message, data } = commandMessage(command, order);
    return (await this.outbox.add(manager, message, data as never, causes)).id;
  }
}

export interface SentMessages {
  /** The events as they are to be stored: each CommandSent with its command's message id. */
  events: OrderEvent[];
  inFlightMessageId: string | null;
}

function customer(order: Readonly<OrderProps>) {
  return { orderId: order.id, customerId: order.customer.id, customerEmail: order.customer.email, customerName: order.customer.name };
}
