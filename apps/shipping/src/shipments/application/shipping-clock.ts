import { ShipmentDeliveredV1, ShipmentDispatchedV1 } from '@shop/contracts';
import { inStoredTrace, type OutboxWriter } from '@shop/messaging';
import { BackgroundWorker, type WorkerRuntime, type WorkResult } from '@shop/platform';
import type { DataSource } from 'typeorm';
import type { ShipmentMove, ShipmentService } from './shipment.service';

/** Shipments moved per step (dispatch, delivery) and tick; a full step makes the next tick run at once. */
const MOVES_PER_TICK = 100;

/**
 * The simulated clock: every tick, shipments whose dispatch or delivery time has come move on,
 * and each move is announced (ShipmentDispatched / ShipmentDelivered) through the outbox in the
 * same transaction. A background worker (`shipping-clock`): started and stopped by Nest.
 */
export class ShippingClock extends BackgroundWorker {
  constructor(
    private readonly db: DataSource,
    private readonly shipments: ShipmentService,
    private readonly outbox: OutboxWriter,
    tickMs: number,
    runtime?: WorkerRuntime,
  ) {
    super({ name: 'shipping-clock', intervalMs: tickMs }, runtime);
  }

  /** One tick: moves what is due at `now` and announces each move, in one transaction. */
  tickOnce(now = new Date()): Promise<ShipmentMove[]> {
    return this.db.transaction(async (manager) => {
      const moves = await this.shipments.advance(manager, now, MOVES_PER_TICK);
      for (const { orderId, status, traceContext } of moves) {
        // In the order's trace (stored at scheduling), so dispatch and delivery belong to it.
        await inStoredTrace(traceContext, `shipment ${status.toLowerCase()}`, { 'shop.order_id': orderId }, () =>
          this.outbox.add(manager, status === 'DISPATCHED' ? ShipmentDispatchedV1 : ShipmentDeliveredV1, { orderId }),
        );
      }
      return moves;
    });
  }

  protected override async work(): Promise<WorkResult> {
    const moves = await this.tickOnce();
    for (const move of moves) this.logger.log({ orderId: move.orderId }, `shipment ${move.status.toLowerCase()}`);
    const full = (status: ShipmentMove['status']) => moves.filter((m) => m.status === status).length >= MOVES_PER_TICK;
    return { handled: moves.length, more: full('DISPATCHED') || full('DELIVERED') };
  }
}
