import { DynamicModule, Module } from '@nestjs/common';
import { OutboxWriter } from '@shop/messaging';
import { WorkerRuntime } from '@shop/platform';
import { DataSource } from 'typeorm';
import { ShippingCommandsHandler } from './application/on-shipping-commands/shipping-commands.handler';
import { ShipmentService, type ShippingTimings } from './application/shipment.service';
import { ShippingClock } from './application/shipping-clock';
import { SHIPPING_TIMINGS } from './application/shipping-timings';

export { SHIPPING_TIMINGS };

@Module({})
export class ShipmentsModule {
  static forRoot(options: { timings: ShippingTimings; tickMs: number }): DynamicModule {
    return {
      module: ShipmentsModule,
      // Message handlers are controllers of the messaging transport (@EventPattern methods).
      controllers: [ShippingCommandsHandler],
      providers: [
        ShipmentService,
        { provide: SHIPPING_TIMINGS, useValue: options.timings },
        // A background worker: Nest starts it at bootstrap and stops it at shutdown.
        {
          provide: ShippingClock,
          inject: [DataSource, ShipmentService, OutboxWriter, WorkerRuntime],
          useFactory: (db: DataSource, shipments: ShipmentService, outbox: OutboxWriter, runtime: WorkerRuntime) =>
            new ShippingClock(db, shipments, outbox, options.tickMs, runtime),
        },
      ],
      exports: [ShipmentService, SHIPPING_TIMINGS],
    };
  }
}
