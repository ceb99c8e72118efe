import { DynamicModule, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ShipmentService, type ShippingTimings } from './application/shipment.service';
import { OutboxWriter } from '@shop/messaging';
import { ShippingCommandsHandler } from './application/on-shipping-commands/shipping-commands.handler';
import { ShippingClock } from './application/shipping-clock';
import { SHIPPING_TIMINGS } from './application/shipping-timings';

export { SHIPPING_TIMINGS };

@Module({})
export class ShipmentsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  static forRoot(options: { timings: ShippingTimings; tickMs: number }): DynamicModule {
    return {
      module: ShipmentsModule,
      providers: [
        ShipmentService,
        ShippingCommandsHandler,
        { provide: SHIPPING_TIMINGS, useValue: options.timings },
        {
          provide: ShippingClock,
          inject: [DataSource, ShipmentService, OutboxWriter],
          useFactory: (db: DataSource, shipments: ShipmentService, outbox: OutboxWriter) => new ShippingClock(db, shipments, outbox, options.tickMs),
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
