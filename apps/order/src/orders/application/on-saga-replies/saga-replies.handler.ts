import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ShipmentDeliveredV1 } from '@shop/contracts';
import { patternOf, PoisonMessageError, type Envelope, type MessageContext } from '@shop/messaging';
import type { Order, ParticipantReply } from '../../domain/order';
import { replyAnswers, replyFromMessage, SAGA_REPLY_MESSAGES, type SagaCommand } from '../../saga/order-saga.table';
import { OrderSagaRunner } from '../order-saga.runner';

/**
 * The participants' replies drive the saga. Each reply is applied to its order in the consumer's
 * transaction (with the inbox record), so a redelivered reply changes nothing. Which replies
 * there are, and what each means, is the saga's table: one method takes them all.
 *
 * A reply is accepted only for the command it answers: its causation id must be the message id
 * of a command this order sent (its history keeps them; read with the order's lock), and one the
 * table says that reply answers. Anything else is forged: dead-lettered (PoisonMessageError
 * FORGED), never applied.
 */
@Controller()
export class SagaRepliesHandler {
  private readonly logger = new Logger(SagaRepliesHandler.name);

  constructor(private readonly saga: OrderSagaRunner) {}

  @EventPattern(SAGA_REPLY_MESSAGES.map(patternOf))
  async reply(@Payload() data: { orderId: string; reason?: string }, @Ctx() ctx: MessageContext): Promise<void> {
    const reply = replyFromMessage(ctx.envelope.type, ctx.envelope.version, data);
    if (!reply) throw new Error(`${ctx.envelope.type} v${ctx.envelope.version} is no reply of the order saga`);
    const check = (order: Order, answered: SagaCommand | null) => {
      // Checked once the order is known to exist: a reply for an order that is not here is ignored, as before.
      const forged = forgery(ctx.envelope, reply, answered);
      if (forged) throw new PoisonMessageError('FORGED', `${ctx.envelope.type} ${ctx.envelope.id} for order ${order.id}: ${forged}`);
      order.receive(reply, new Date(), this.saga.timings);
    };
    return this.apply(ctx, data.orderId, check, ctx.envelope.causationId ?? undefined);
  }

  /** Not a saga reply: the parcel arrived, after the saga completed. */
  @EventPattern(patternOf(ShipmentDeliveredV1))
  shipmentDelivered(@Payload() e: ShipmentDeliveredV1, @Ctx() ctx: MessageContext) {
    return this.apply(ctx, e.orderId, (order) => order.delivered(new Date()));
  }

  /** `commandSentIn`: the reply's causation id, whose command `change` is given (read with the lock). */
  private async apply(ctx: MessageContext, orderId: string, change: (order: Order, commandSentIn: SagaCommand | null) => void, commandSentIn?: string): Promise<void> {
    const result = await this.saga.run(ctx.manager, orderId, change, { causationId: ctx.envelope.id, commandSentIn });
    // Not ours (another shop sharing the topic, or an order whose database was reset): nothing to do.
    if (!result) this.logger.warn({ orderId, type: ctx.envelope.type }, `reply for unknown order ${orderId} ignored`);
  }
}

/** Why a reply does not answer the command its causation id names (`answered`: that command, null if none); null when it does. */
export function forgery(envelope: Pick<Envelope, 'causationId'>, reply: ParticipantReply, answered: SagaCommand | null): string | null {
  if (envelope.causationId && answered === null) return `its causation id ${envelope.causationId} is no command this order sent`;
  if (replyAnswers(reply.type, answered)) return null;
  return answered === null ? `it has no causation id: a ${reply.type} must name the command it answers` : `a ${reply.type} does not answer ${answered} (its causation id)`;
}
