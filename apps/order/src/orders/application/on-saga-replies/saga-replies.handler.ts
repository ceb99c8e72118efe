import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ShipmentDeliveredV1 } from '@shop/contracts';
import { patternOf, type MessageContext } from '@shop/messaging';
import type { Order } from '../../domain/order';
import { replyFromMessage, SAGA_REPLY_MESSAGES } from '../../saga/order-saga.table';
import { OrderSagaRunner } from '../order-saga.runner';

/**
 * The participants' replies drive the saga. Each reply is applied to its order in the consumer's
 * transaction (with the inbox record), so a redelivered reply changes nothing. Which replies
 * there are, and what each means, is the saga's table: one method takes them all.
 */
@Controller()
export class SagaRepliesHandler {
  private readonly logger = new Logger(SagaRepliesHandler.name);

  constructor(private readonly saga: OrderSagaRunner) {}

  @EventPattern(SAGA_REPLY_MESSAGES.map(patternOf))
  reply(@Payload() data: { orderId: string; reason?: string }, @Ctx() ctx: MessageContext) {
    const reply = replyFromMessage(ctx.envelope.type, ctx.envelope.version, data);
    if (!reply) throw new Error(`${ctx.envelope.type} v${ctx.envelope.version} is no reply of the order saga`);
    return this.apply(ctx, data.orderId, (order) => order.receive(reply, new Date(), this.saga.timings));
  }

  /** Not a saga reply: the parcel arrived, after the saga completed. */
  @EventPattern(patternOf(ShipmentDeliveredV1))
  shipmentDelivered(@Payload() e: ShipmentDeliveredV1, @Ctx() ctx: MessageContext) {
    return this.apply(ctx, e.orderId, (order) => order.delivered(new Date()));
  }

  private async apply(ctx: MessageContext, orderId: string, change: (order: Order) => void): Promise<void> {
    const result = await this.saga.run(ctx.manager, orderId, change, { causationId: ctx.envelope.id });
    // Not ours (another shop sharing the topic, or an order whose database was reset): nothing to do.
    if (!result) this.logger.warn({ orderId, type: ctx.envelope.type }, `reply for unknown order ${orderId} ignored`);
  }
}
