import { Logger } from '@nestjs/common';
import { ShipmentDeliveredV1, ShipmentDispatchedV1 } from '@shop/contracts';
import { inStoredTrace, type OutboxWriter } from '@shop/messaging';
import type { DataSource } from 'typeorm';
import type { ShipmentMove, ShipmentService } from './shipment.service';

/**
 * The simulated clock: every tick, shipments whose dispatch or delivery time has come move on,
 * and each move is announced (ShipmentDispatched / ShipmentDelivered) through the outbox in the
 * same transaction.
 */
export class ShippingClock {
  private readonly logger = new Logger(ShippingClock.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ShipmentMove[]>;

  constructor(
    private readonly db: DataSource,
    private readonly shipments: ShipmentService,
    private readonly outbox: OutboxWriter,
    private readonly tickMs: number,
  ) {}

  start(): void {
    const tick = async () => {
      this.running = this.tickOnce().catch((error: unknown) => {
        this.logger.error({ err: error }, 'shipping clock tick failed');
        return [];
      });
      for (const move of await this.running) this.logger.log({ orderId: move.orderId }, `shipment ${move.status.toLowerCase()}`);
      if (this.timer) this.timer = setTimeout(tick, this.tickMs);
    };
    this.timer = setTimeout(tick, this.tickMs);
  }

  /** One tick: moves what is due at `now` and announces each move, in one transaction. */
  tickOnce(now = new Date()): Promise<ShipmentMove[]> {
    return this.db.transaction(async (manager) => {
      const moves = await this.shipments.advance(manager, now);
      for (const { orderId, status, traceContext } of moves) {
        // In the order's trace (stored at scheduling), so dispatch and delivery belong to it.
        await inStoredTrace(traceContext, `shipment ${status.toLowerCase()}`, { 'shop.order_id': orderId }, () =>
          this.outbox.add(manager, status === 'DISPATCHED' ? ShipmentDispatchedV1 : ShipmentDeliveredV1, { orderId }),
        );
      }
      return moves;
    });
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
