import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@shop/platform';
import type { InventoryConfig } from './config';
import { CreateStock1764000300000 } from './stock/infrastructure/migrations/1764000300000-create-stock';
import { ProductEntity } from './stock/infrastructure/product.entity';
import { ReservationEntity } from './stock/infrastructure/reservation.entity';
import { CreateStockReceipts1764001800000 } from './stock/infrastructure/migrations/1764001800000-create-stock-receipts';
import { StockReceiptEntity } from './stock/infrastructure/stock-receipt.entity';
import { StockModule } from './stock/stock.module';

export const inventoryMigrations = [CreateStock1764000300000, CreateStockReceipts1764001800000];

@Module({})
export class AppModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'inventory',
          config,
          entities: [ProductEntity, ReservationEntity, StockReceiptEntity],
          migrations: inventoryMigrations,
        }),
        StockModule,
      ],
    };
  }
}
