import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { ProductStock } from '../../domain/product';
import { ProductEntity } from '../../infrastructure/product.entity';
import { ListProductsQuery } from './list-products.query';

@QueryHandler(ListProductsQuery)
export class ListProductsHandler implements IQueryHandler<ListProductsQuery> {
  constructor(private readonly db: DataSource) {}

  async execute(): Promise<ProductStock[]> {
    const products = await this.db.manager.find(ProductEntity, { order: { sku: 'ASC' } });
    return products.map(({ sku, name, priceCents, currency, available, reserved }) => ({ sku, name, priceCents, currency, available, reserved }));
  }
}
