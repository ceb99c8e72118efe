import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ThrottlerModule } from '@nestjs/throttler';
import { IdempotencyStore } from '@shop/platform';
import { rateLimitTracker } from './http/rate-limit';
import { CancelOrderHandler } from './application/cancel-order/cancel-order.handler';
import { DEADLINE_TICK_MS, DeadlineWatcher } from './application/deadlines/deadline-watcher';
import { SagaMetricsHandler } from './application/metrics/saga-metrics.handler';
import { CatalogUpdatedHandler } from './application/on-catalog-updated/catalog-updated.handler';
import { SagaRepliesHandler } from './application/on-saga-replies/saga-replies.handler';
import { OrderMessages } from './application/order-messages';
import { OrderSagaRunner } from './application/order-saga.runner';
import { PlaceOrderHandler } from './application/place-order/place-order.handler';
import { GetOrderHandler, GetOrderHistoryHandler, ListOrdersHandler } from './application/queries/order-query.handlers';
import { SAGA_TIMINGS } from './application/saga-timings';
import { OrdersController } from './http/orders.controller';
import { ProductsController } from './http/products.controller';
import { CatalogRepository } from './infrastructure/catalog.repository';
import { OrderRepository } from './infrastructure/order.repository';
import { OrderViewRepository } from './infrastructure/order-view.repository';
import type { SagaTimings } from './saga/order-saga';

/** Orders: the REST API (commands and queries over @nestjs/cqrs), the saga, the read model, the catalog copy. */
@Module({})
export class OrdersModule {
  static forRoot(options: { timings: SagaTimings; deadlineTickMs: number; idempotencyKeyRetentionMs?: number; rateLimitPerMinute?: number }): DynamicModule {
    const limit = options.rateLimitPerMinute ?? 0;
    return {
      module: OrdersModule,
      imports: [
        CqrsModule.forRoot(),
        // The order API's rate limit per signed-in customer (per client address on the public
        // routes; its controllers opt in with ThrottlerGuard, which runs after sign-in), counted in
        // this process's memory: each replica counts its own share.
        // One count per client across the API's routes (the library counts per route by default); the
        // throttler is named 'default' so the answers carry plain Retry-After and X-RateLimit-* headers.
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(limit, 1) }],
          skipIf: () => limit === 0,
          getTracker: rateLimitTracker,
          generateKey: (_context, tracker, name) => `${name}:${tracker}`,
        }),
      ],
      controllers: [OrdersController, ProductsController, SagaRepliesHandler, CatalogUpdatedHandler],
      providers: [
        { provide: SAGA_TIMINGS, useValue: options.timings },
        { provide: DEADLINE_TICK_MS, useValue: options.deadlineTickMs },
        { provide: IdempotencyStore, useValue: new IdempotencyStore({ retentionMs: options.idempotencyKeyRetentionMs }) },
        OrderRepository,
        OrderViewRepository,
        CatalogRepository,
        OrderMessages,
        OrderSagaRunner,
        PlaceOrderHandler,
        CancelOrderHandler,
        GetOrderHandler,
        ListOrdersHandler,
        GetOrderHistoryHandler,
        DeadlineWatcher,
        SagaMetricsHandler,
      ],
    };
  }
}
