import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { execute } from '@shop/platform';
import { DataSource } from 'typeorm';
import type { ProductStock } from '../../domain/product';
import { productExists } from '../../domain/stock.errors';
import { CatalogPublisher } from '../catalog-publisher';
import { AddProductCommand } from './add-product.command';

/**
 * Adds a product with no stock and publishes it to the catalog topic in the same transaction (the
 * order service can price it from then on; orders for it are refused as out of stock until a
 * receipt adds units). A SKU that exists is refused, whatever its other fields.
 */
@CommandHandler(AddProductCommand)
export class AddProductHandler implements ICommandHandler<AddProductCommand> {
  constructor(
    private readonly db: DataSource,
    private readonly catalog: CatalogPublisher,
  ) {}

  execute({ product }: AddProductCommand): Promise<ProductStock> {
    const { sku, name, priceCents, currency } = product;
    return this.db.transaction(async (manager) => {
      const added = await execute(
        manager,
        `INSERT INTO product (sku, name, price_cents, currency, available, reserved) VALUES ($1, $2, $3, $4, 0, 0)
         ON CONFLICT (sku) DO NOTHING RETURNING sku`,
        [sku, name, priceCents, currency],
      );
      if (added.affected === 0) throw productExists(sku);
      await this.catalog.publish(manager, [sku]);
      return { sku, name, priceCents, currency, available: 0, reserved: 0 };
    });
  }
}
