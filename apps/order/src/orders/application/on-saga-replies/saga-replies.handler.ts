import { Injectable, Logger } from '@nestjs/common';
import {
  PaymentChargedV1,
  PaymentDeclinedV1,
  PaymentRefundedV1,
  ShipmentCancelledV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentImpossibleV1,
  ShipmentScheduledV1,
  StockReleasedV1,
  StockReservationFailedV1,
  StockReservedV1,
} from '@shop/contracts';
import { MessageHandler, type MessageContext } from '@shop/messaging';
import type { Order, ParticipantReply } from '../../domain/order';
import { OrderSagaRunner } from '../order-saga.runner';

/**
 * The participants' replies drive the saga. Each reply is applied to its order in the consumer's
 * transaction (with the inbox record), so a redelivered reply changes nothing.
 */
@Injectable()
export class SagaRepliesHandler {
  private readonly logger = new Logger(SagaRepliesHandler.name);

  constructor(private readonly saga: OrderSagaRunner) {}

  @MessageHandler(StockReservedV1)
  stockReserved(e: StockReservedV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'StockReserved' });
  }

  @MessageHandler(StockReservationFailedV1)
  stockReservationFailed(e: StockReservationFailedV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'StockReservationFailed', reason: e.reason });
  }

  @MessageHandler(StockReleasedV1)
  stockReleased(e: StockReleasedV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'StockReleased' });
  }

  @MessageHandler(PaymentChargedV1)
  paymentCharged(e: PaymentChargedV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'PaymentCharged' });
  }

  @MessageHandler(PaymentDeclinedV1)
  paymentDeclined(e: PaymentDeclinedV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'PaymentDeclined', reason: e.reason });
  }

  @MessageHandler(PaymentRefundedV1)
  paymentRefunded(e: PaymentRefundedV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'PaymentRefunded' });
  }

  @MessageHandler(ShipmentScheduledV1)
  shipmentScheduled(e: ShipmentScheduledV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentScheduled' });
  }

  @MessageHandler(ShipmentImpossibleV1)
  shipmentImpossible(e: ShipmentImpossibleV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentImpossible', reason: e.reason });
  }

  @MessageHandler(ShipmentCancelledV1)
  shipmentCancelled(e: ShipmentCancelledV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentCancelled' });
  }

  @MessageHandler(ShipmentDispatchedV1)
  shipmentDispatched(e: ShipmentDispatchedV1, ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentDispatched' });
  }

  @MessageHandler(ShipmentDeliveredV1)
  shipmentDelivered(e: ShipmentDeliveredV1, ctx: MessageContext) {
    return this.apply(ctx, e.orderId, (order) => order.delivered(new Date()));
  }

  private reply(ctx: MessageContext, orderId: string, reply: ParticipantReply): Promise<void> {
    return this.apply(ctx, orderId, (order) => order.receive(reply, new Date(), this.saga.timings));
  }

  private async apply(ctx: MessageContext, orderId: string, change: (order: Order) => void): Promise<void> {
    const result = await this.saga.run(ctx.manager, orderId, change, { causationId: ctx.envelope.id });
    // Not ours (another shop sharing the topic, or an order whose database was reset): nothing to do.
    if (!result) this.logger.warn({ orderId, type: ctx.envelope.type }, `reply for unknown order ${orderId} ignored`);
  }
}
