import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ShipmentMove, ShipmentService } from './shipment.service';

/**
 * The simulated clock: every tick, shipments whose dispatch or delivery time has come move on.
 * (Publishing ShipmentDispatched / ShipmentDelivered from these moves comes with the messaging wiring.)
 */
export class ShippingClock {
  private readonly logger = new Logger(ShippingClock.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ShipmentMove[]>;

  constructor(
    private readonly db: DataSource,
    private readonly shipments: ShipmentService,
    private readonly tickMs: number,
  ) {}

  start(): void {
    const tick = async () => {
      this.running = this.db
        .transaction((manager) => this.shipments.advance(manager, new Date()))
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'shipping clock tick failed');
          return [];
        });
      for (const move of await this.running) this.logger.log({ orderId: move.orderId }, `shipment ${move.status.toLowerCase()}`);
      if (this.timer) this.timer = setTimeout(tick, this.tickMs);
    };
    this.timer = setTimeout(tick, this.tickMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
