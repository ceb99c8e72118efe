import { Injectable } from '@nestjs/common';
import { ProductCatalogUpdatedV1 } from '@shop/contracts';
import { OutboxWriter, type Causes } from '@shop/messaging';
import { In, type EntityManager } from 'typeorm';
import { ProductEntity } from '../infrastructure/product.entity';

/**
 * Event-carried state transfer: the current state of a product goes to the log-compacted
 * `inventory.catalog` topic (key = SKU, so Kafka keeps the latest per product), through the
 * outbox in the caller's transaction. The order service keeps a local copy to validate and price orders.
 */
@Injectable()
export class CatalogPublisher {
  constructor(private readonly outbox: OutboxWriter) {}

  /** Publishes the given SKUs, or every product when `skus` is omitted. */
  async publish(manager: EntityManager, skus?: string[], cause?: Causes): Promise<number> {
    const products = await manager.find(ProductEntity, { where: skus ? { sku: In(skus) } : {}, order: { sku: 'ASC' } });
    for (const p of products) {
      await this.outbox.add(manager, ProductCatalogUpdatedV1, { sku: p.sku, name: p.name, priceCents: p.priceCents, currency: p.currency, available: p.available }, cause);
    }
    return products.length;
  }
}
