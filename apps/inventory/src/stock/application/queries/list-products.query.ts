import { Query } from '@nestjs/cqrs';
import type { ProductStock } from '../../domain/product';

/** Every product with its stock, by SKU. */
export class ListProductsQuery extends Query<ProductStock[]> {}
