import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { OrderCancelledV1, OrderConfirmedV1, OrderDeliveredV1, OrderRejectedV1, OrderShippedV1 } from '@shop/contracts';
import { patternOf, type MessageContext } from '@shop/messaging';
import type { NotificationKind } from '../../domain/notification';
import { NotificationService } from '../notification.service';

interface CustomerFacts {
  orderId: string;
  customerEmail: string;
  customerName: string;
}

/**
 * Turns the order's outcome events into notifications to send. Enqueuing is idempotent per
 * (order, kind), in the same transaction as the inbox record; the sender delivers them by SMTP.
 */
@Controller()
export class OrderEventsHandler {
  private readonly logger = new Logger(OrderEventsHandler.name);

  constructor(private readonly notifications: NotificationService) {}

  @EventPattern(patternOf(OrderConfirmedV1))
  async confirmed(@Payload() event: OrderConfirmedV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_CONFIRMED', event, `Total: ${formatMoney(event.totalCents, event.currency)}`);
  }

  @EventPattern(patternOf(OrderRejectedV1))
  async rejected(@Payload() event: OrderRejectedV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_REJECTED', event, `Reason: ${event.reason}`);
  }

  @EventPattern(patternOf(OrderCancelledV1))
  async cancelled(@Payload() event: OrderCancelledV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_CANCELLED', event);
  }

  @EventPattern(patternOf(OrderShippedV1))
  async shipped(@Payload() event: OrderShippedV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_SHIPPED', event);
  }

  @EventPattern(patternOf(OrderDeliveredV1))
  async delivered(@Payload() event: OrderDeliveredV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_DELIVERED', event);
  }

  private async enqueue(ctx: MessageContext, kind: NotificationKind, event: CustomerFacts, detail?: string): Promise<void> {
    this.logger.log(`${kind} email queued for order ${event.orderId}`);
    await this.notifications.enqueue(ctx.manager, {
      orderId: event.orderId,
      kind,
      recipient: event.customerEmail,
      customerName: event.customerName,
      ...(detail ? { detail } : {}),
    });
  }
}

function formatMoney(cents: number, currency: string): string {
  return `${(cents / 100).toFixed(2)} ${currency}`;
}
