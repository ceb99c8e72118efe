import { Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import products from '../../seed/products.json';
import { StockCommandsHandler } from './application/on-stock-commands/stock-commands.handler';
import { StockService } from './application/stock.service';

/** Stock and reservations, and the saga's stock commands. On boot, adds the products of seed/products.json that are missing. */
@Module({
  providers: [StockService, StockCommandsHandler],
  exports: [StockService],
})
export class StockModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(StockModule.name);

  constructor(
    private readonly db: DataSource,
    private readonly stock: StockService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const added = await this.db.transaction((manager) => this.stock.seed(manager, products));
    this.logger.log(`catalog seeded: ${added} of ${products.length} products added (existing stock is never overwritten)`);
  }
}
