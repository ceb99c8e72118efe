import { DynamicModule, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ShipmentService, type ShippingTimings } from './application/shipment.service';
import { ShippingClock } from './application/shipping-clock';

export const SHIPPING_TIMINGS = Symbol('SHIPPING_TIMINGS');

@Module({})
export class ShipmentsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  static forRoot(options: { timings: ShippingTimings; tickMs: number }): DynamicModule {
    return {
      module: ShipmentsModule,
      providers: [
        ShipmentService,
        { provide: SHIPPING_TIMINGS, useValue: options.timings },
        {
          provide: ShippingClock,
          inject: [DataSource, ShipmentService],
          useFactory: (db: DataSource, shipments: ShipmentService) => new ShippingClock(db, shipments, options.tickMs),
        },
      ],
      exports: [ShipmentService, SHIPPING_TIMINGS],
    };
  }

  constructor(private readonly clock: ShippingClock) {}

  onApplicationBootstrap(): void {
    this.clock.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.clock.stop();
  }
}
