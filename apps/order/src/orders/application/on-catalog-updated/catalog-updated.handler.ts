import { Injectable } from '@nestjs/common';
import { ProductCatalogUpdatedV1 } from '@shop/contracts';
import { MessageHandler, type MessageContext } from '@shop/messaging';
import { CatalogRepository } from '../../infrastructure/catalog.repository';

/** Keeps the local catalog copy current from inventory's compacted catalog topic. */
@Injectable()
export class CatalogUpdatedHandler {
  constructor(private readonly catalog: CatalogRepository) {}

  @MessageHandler(ProductCatalogUpdatedV1)
  async updated(product: ProductCatalogUpdatedV1, ctx: MessageContext): Promise<void> {
    await this.catalog.upsert(ctx.manager, product);
  }
}
