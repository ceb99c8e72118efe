import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
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
import { patternOf, type MessageContext } from '@shop/messaging';
import type { Order, ParticipantReply } from '../../domain/order';
import { OrderSagaRunner } from '../order-saga.runner';

/**
 * The participants' replies drive the saga. Each reply is applied to its order in the consumer's
 * transaction (with the inbox record), so a redelivered reply changes nothing.
 */
@Controller()
export class SagaRepliesHandler {
  private readonly logger = new Logger(SagaRepliesHandler.name);

  constructor(private readonly saga: OrderSagaRunner) {}

  @EventPattern(patternOf(StockReservedV1))
  stockReserved(@Payload() e: StockReservedV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'StockReserved' });
  }

  @EventPattern(patternOf(StockReservationFailedV1))
  stockReservationFailed(@Payload() e: StockReservationFailedV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'StockReservationFailed', reason: e.reason });
  }

  @EventPattern(patternOf(StockReleasedV1))
  stockReleased(@Payload() e: StockReleasedV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'StockReleased' });
  }

  @EventPattern(patternOf(PaymentChargedV1))
  paymentCharged(@Payload() e: PaymentChargedV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'PaymentCharged' });
  }

  @EventPattern(patternOf(PaymentDeclinedV1))
  paymentDeclined(@Payload() e: PaymentDeclinedV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'PaymentDeclined', reason: e.reason });
  }

  @EventPattern(patternOf(PaymentRefundedV1))
  paymentRefunded(@Payload() e: PaymentRefundedV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'PaymentRefunded' });
  }

  @EventPattern(patternOf(ShipmentScheduledV1))
  shipmentScheduled(@Payload() e: ShipmentScheduledV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentScheduled' });
  }

  @EventPattern(patternOf(ShipmentImpossibleV1))
  shipmentImpossible(@Payload() e: ShipmentImpossibleV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentImpossible', reason: e.reason });
  }

  @EventPattern(patternOf(ShipmentCancelledV1))
  shipmentCancelled(@Payload() e: ShipmentCancelledV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentCancelled' });
  }

  @EventPattern(patternOf(ShipmentDispatchedV1))
  shipmentDispatched(@Payload() e: ShipmentDispatchedV1, @Ctx() ctx: MessageContext) {
    return this.reply(ctx, e.orderId, { type: 'ShipmentDispatched' });
  }

  @EventPattern(patternOf(ShipmentDeliveredV1))
  shipmentDelivered(@Payload() e: ShipmentDeliveredV1, @Ctx() ctx: MessageContext) {
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
