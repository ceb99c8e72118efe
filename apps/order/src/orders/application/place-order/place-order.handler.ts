import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IdempotencyStore, type StoredResponse } from '@shop/platform';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Order, type PricedLine } from '../../domain/order';
import { duplicateSkus, mixedCurrencies, unknownSkus } from '../../domain/order.errors';
import type { SagaTimings } from '../../saga/order-saga';
import { CatalogRepository, type CatalogProduct } from '../../infrastructure/catalog.repository';
import { OrderSagaRunner } from '../order-saga.runner';
import { SAGA_TIMINGS } from '../saga-timings';
import { PlaceOrderCommand, type PlaceOrderAnswer } from './place-order.command';

/**
 * Places an order: prices it from the local catalog copy, stores it with its first events and
 * sends OrderPlaced and ReserveStock, all in one transaction together with the Idempotency-Key
 * claim. A replayed key gets the stored answer; any failure rolls everything back.
 */
@CommandHandler(PlaceOrderCommand)
export class PlaceOrderHandler implements ICommandHandler<PlaceOrderCommand> {
  constructor(
    private readonly db: DataSource,
    private readonly idempotency: IdempotencyStore,
    private readonly catalog: CatalogRepository,
    private readonly saga: OrderSagaRunner,
    @Inject(SAGA_TIMINGS) private readonly timings: SagaTimings,
  ) {}

  execute({ idempotencyKey, customer, request }: PlaceOrderCommand): Promise<StoredResponse<PlaceOrderAnswer>> {
    return this.db.transaction((manager) =>
      this.idempotency.run(manager, customer.id, idempotencyKey, request, async () => {
        const order = Order.place(
          {
            id: randomUUID(),
            customer,
            ...(await this.price(manager, request.lines)),
            shippingAddress: request.shippingAddress,
            paymentMethod: request.paymentMethod,
          },
          new Date(),
          this.timings,
        );
        await this.saga.record(manager, order, order.pullEvents(), null);
        return { status: 202, body: { orderId: order.id, status: order.state.status } };
      }),
    );
  }

  private async price(manager: EntityManager, lines: Array<{ sku: string; quantity: number }>): Promise<{ lines: PricedLine[]; currency: string }> {
    const duplicates = [...new Set(lines.map((l) => l.sku).filter((sku, i, all) => all.indexOf(sku) !== i))];
    if (duplicates.length > 0) throw duplicateSkus(duplicates);
    const products = new Map((await this.catalog.find(manager, lines.map((l) => l.sku))).map((p) => [p.sku, p]));
    const unknown = lines.filter((l) => !products.has(l.sku)).map((l) => l.sku);
    if (unknown.length > 0) throw unknownSkus(unknown);
    const priced = lines.map((l) => ({ line: l, product: products.get(l.sku) as CatalogProduct }));
    const currencies = [...new Set(priced.map(({ product }) => product.currency))];
    if (currencies.length > 1) throw mixedCurrencies(currencies);
    return {
      lines: priced.map(({ line, product }) => ({ sku: line.sku, name: product.name, quantity: line.quantity, unitPriceCents: product.priceCents })),
      currency: currencies[0],
    };
  }
}
