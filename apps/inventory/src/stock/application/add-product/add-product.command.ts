import { Command } from '@nestjs/cqrs';
import type { NewProduct, ProductStock } from '../../domain/product';

export class AddProductCommand extends Command<ProductStock> {
  constructor(
    /** Already validated (the HTTP layer's zod schema). */
    readonly product: NewProduct,
  ) {
    super();
  }
}
