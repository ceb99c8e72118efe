import { DynamicModule, Module } from '@nestjs/common';
import { CreateIdempotencyKeys1764000500000, IndexIdempotencyKeyCreatedAt1764001100000, PlatformModule } from '@shop/platform';
import type { OrderConfig } from './config';
import { CreateOrders1764000600000 } from './orders/infrastructure/migrations/1764000600000-create-orders';
import { AddOrderTraceContext1764000700000 } from './orders/infrastructure/migrations/1764000700000-add-order-trace-context';
import { AddOrderCommandMessageId1764001300000 } from './orders/infrastructure/migrations/1764001300000-add-order-command-message-id';
import { OrdersModule } from './orders/orders.module';

export const orderMigrations = [
  CreateIdempotencyKeys1764000500000,
  CreateOrders1764000600000,
  AddOrderTraceContext1764000700000,
  IndexIdempotencyKeyCreatedAt1764001100000,
  AddOrderCommandMessageId1764001300000,
];

@Module({})
export class AppModule {
  static forRoot(config: OrderConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'order', config, migrations: orderMigrations }),
        OrdersModule.forRoot({
          timings: {
            stepTimeoutMs: config.ORDER_STEP_TIMEOUT_MS,
            compensationRetryMs: config.ORDER_COMPENSATION_RETRY_MS,
            compensationRetryMaxMs: config.ORDER_COMPENSATION_RETRY_MAX_MS,
          },
          deadlineTickMs: config.ORDER_DEADLINE_TICK_MS,
          idempotencyKeyRetentionMs: config.IDEMPOTENCY_KEY_RETENTION_HOURS * 60 * 60 * 1000,
          rateLimitPerMinute: config.ORDER_RATE_LIMIT_PER_MINUTE,
        }),
      ],
    };
  }
}
