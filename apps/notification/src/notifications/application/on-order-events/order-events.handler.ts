import { Injectable, Logger } from '@nestjs/common';
import { OrderCancelledV1, OrderConfirmedV1, OrderDeliveredV1, OrderRejectedV1, OrderShippedV1 } from '@shop/contracts';
import { MessageHandler, type MessageContext } from '@shop/messaging';
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
@Injectable()
export class OrderEventsHandler {
  private readonly logger = new Logger(OrderEventsHandler.name);

  constructor(private readonly notifications: NotificationService) {}

  @MessageHandler(OrderConfirmedV1)
  async confirmed(event: OrderConfirmedV1, ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_CONFIRMED', event, `Total: ${formatMoney(event.totalCents, event.currency)}`);
  }

  @MessageHandler(OrderRejectedV1)
  async rejected(event: OrderRejectedV1, ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_REJECTED', event, `Reason: ${event.reason}`);
  }

  @MessageHandler(OrderCancelledV1)
  async cancelled(event: OrderCancelledV1, ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_CANCELLED', event);
  }

  @MessageHandler(OrderShippedV1)
  async shipped(event: OrderShippedV1, ctx: MessageContext): Promise<void> {
    await this.enqueue(ctx, 'ORDER_SHIPPED', event);
  }

  @MessageHandler(OrderDeliveredV1)
  async delivered(event: OrderDeliveredV1, ctx: MessageContext): Promise<void> {
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
