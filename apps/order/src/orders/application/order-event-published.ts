import type { OrderEvent, OrderState } from '../domain/order';

/**
 * An order's domain event, published on the @nestjs/cqrs EventBus once its transaction has
 * committed (never for a rolled-back one). In-process reactions (the saga metrics) hang off it;
 * other services learn about orders only through Kafka.
 */
export class OrderEventPublished {
  constructor(
    readonly order: Readonly<OrderState>,
    readonly event: OrderEvent,
  ) {}
}
