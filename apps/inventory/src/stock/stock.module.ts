import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import products from '../../seed/products.json';
import { AddProductHandler } from './application/add-product/add-product.handler';
import { CatalogPublisher } from './application/catalog-publisher';
import { ListProductsHandler } from './application/queries/list-products.handler';
import { ReceiveStockHandler } from './application/receive-stock/receive-stock.handler';
import { StockCommandsHandler } from './application/on-stock-commands/stock-commands.handler';
import { StockService } from './application/stock.service';
import { ProductsController } from './http/products.controller';
import { StockReceiptsController } from './http/stock-receipts.controller';

/**
 * Stock and reservations, the saga's stock commands, and the admin API that adds products and
 * receives stock (commands and queries over @nestjs/cqrs). On boot, adds the products of
 * seed/products.json that are missing and publishes the whole catalog (a new order service,
 * or one whose copy was lost, gets every product from the compacted topic).
 */
@Module({
  imports: [CqrsModule.forRoot()],
  // Message handlers are controllers of the messaging transport (@EventPattern methods).
  controllers: [StockCommandsHandler, StockReceiptsController, ProductsController],
  providers: [StockService, CatalogPublisher, ReceiveStockHandler, AddProductHandler, ListProductsHandler],
  exports: [StockService],
})
export class StockModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(StockModule.name);

  constructor(
    private readonly db: DataSource,
    private readonly stock: StockService,
    private readonly catalog: CatalogPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { added, published } = await this.db.transaction(async (manager) => ({
      added: await this.stock.seed(manager, products),
      published: await this.catalog.publish(manager),
    }));
    this.logger.log(`catalog seeded: ${added} of ${products.length} products added (existing stock is never overwritten); ${published} published to inventory.catalog`);
  }
}
