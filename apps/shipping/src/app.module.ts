import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@shop/platform';
import type { ShippingConfig } from './config';
import { CreateShipment1764000400000 } from './shipments/infrastructure/migrations/1764000400000-create-shipment';
import { AddShipmentTraceContext1764000800000 } from './shipments/infrastructure/migrations/1764000800000-add-shipment-trace-context';
import { ShipmentEntity } from './shipments/infrastructure/shipment.entity';
import { ShipmentsModule } from './shipments/shipments.module';

export const shippingMigrations = [CreateShipment1764000400000, AddShipmentTraceContext1764000800000];

@Module({})
export class AppModule {
  static forRoot(config: ShippingConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({ service: 'shipping', config, entities: [ShipmentEntity], migrations: shippingMigrations }),
        ShipmentsModule.forRoot({
          timings: { dispatchAfterMs: config.SHIPPING_DISPATCH_AFTER_MS, deliverAfterMs: config.SHIPPING_DELIVER_AFTER_MS },
          tickMs: config.SHIPPING_CLOCK_TICK_MS,
        }),
      ],
    };
  }
}
