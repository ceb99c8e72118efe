import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { ChargePaymentV1, PaymentChargedV1, PaymentDeclinedV1, PaymentRefundedV1, RefundPaymentV1 } from '@shop/contracts';
import { causedBy, OutboxWriter, patternOf, type MessageContext } from '@shop/messaging';
import { FaultSwitch } from '@shop/platform';
import { AccountService } from '../account.service';

/**
 * Payment's part in the order saga. The account's new events and the reply are written in the
 * handler's one transaction (with the inbox record). Charge and refund are idempotent per order,
 * so a repeated command gets the same answer again. A concurrent writer on the same account
 * makes the append fail (ConcurrencyError): the messaging layer retries the whole message.
 */
@Controller()
export class PaymentCommandsHandler {
  private readonly logger = new Logger(PaymentCommandsHandler.name);

  constructor(
    private readonly accounts: AccountService,
    private readonly outbox: OutboxWriter,
    private readonly faults: FaultSwitch,
  ) {}

  @EventPattern(patternOf(ChargePaymentV1))
  async charge(@Payload() command: ChargePaymentV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.faults.apply(ctx.heartbeat);
    const charge = await this.accounts.charge(ctx.manager, command);
    if (charge.status === 'CHARGED' || charge.status === 'REFUNDED') {
      this.logger.log(`charged ${charge.amountCents} ${command.currency} for order ${command.orderId}`);
      // REFUNDED: this is a repeat of a charge that was later refunded; it did succeed at the time.
      await this.outbox.add(ctx.manager, PaymentChargedV1, { orderId: command.orderId, amountCents: charge.amountCents, currency: command.currency }, causedBy(ctx.envelope));
    } else {
      const reason = charge.reason ?? charge.status;
      this.logger.log(`payment declined for order ${command.orderId}: ${reason}`);
      trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: `payment declined: ${reason}` });
      await this.outbox.add(ctx.manager, PaymentDeclinedV1, { orderId: command.orderId, reason }, causedBy(ctx.envelope));
    }
  }

  @EventPattern(patternOf(RefundPaymentV1))
  async refund(@Payload() command: RefundPaymentV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.faults.apply(ctx.heartbeat);
    const charge = await this.accounts.refund(ctx.manager, command.customerId, command.orderId, command.currency);
    // Nothing was taken (declined, or voided because the refund came first): refunded 0.
    const amountCents = charge.status === 'REFUNDED' ? charge.amountCents : 0;
    this.logger.log(`refunded ${amountCents} ${command.currency} for order ${command.orderId}`);
    await this.outbox.add(ctx.manager, PaymentRefundedV1, { orderId: command.orderId, amountCents, currency: command.currency }, causedBy(ctx.envelope));
  }
}
