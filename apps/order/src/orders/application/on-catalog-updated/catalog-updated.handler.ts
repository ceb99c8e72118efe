import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ProductCatalogUpdatedV1 } from '@shop/contracts';
import { patternOf, type MessageContext } from '@shop/messaging';
import { CatalogRepository } from '../../infrastructure/catalog.repository';

/** Keeps the local catalog copy current from inventory's compacted catalog topic. */
@Controller()
export class CatalogUpdatedHandler {
  constructor(private readonly catalog: CatalogRepository) {}

  @EventPattern(patternOf(ProductCatalogUpdatedV1))
  async updated(@Payload() product: ProductCatalogUpdatedV1, @Ctx() ctx: MessageContext): Promise<void> {
    await this.catalog.upsert(ctx.manager, product);
  }
}
