import { Injectable, Logger } from '@nestjs/common';
import { cancelsAtOnce, sagaSteps, slowParticipantOf, testOrderBody, type OrderAccepted, type ShopService, type TestOrderPath } from '@shop/console-api';
import type { Session } from '../auth/sessions';
import { ShopServices } from '../operations/shop-services';
import { OrderApiClient } from './order-api.client';

/** How long the slow participant's delay may stay on at most if its step never closes. */
const SLOW_STEP_WATCH_MS = 60_000;
const WATCH_INTERVAL_MS = 250;

/**
 * Places a test order down a path as the signed-in admin. The slow-participant path turns on the
 * participant's delay (its fault switch) first and off again once the order's step has closed:
 * the switch is per service, so it slows every order in between, which is why it is on only that long.
 * The cancel path cancels the order right after placing it.
 */
@Injectable()
export class TestOrderRunner {
  private readonly logger = new Logger(TestOrderRunner.name);

  constructor(
    private readonly orders: OrderApiClient,
    private readonly services: ShopServices,
  ) {}

  async place(session: Session, path: TestOrderPath, customer: { name: string }): Promise<OrderAccepted> {
    const slow = slowParticipantOf(path);
    if (slow) await this.services.setFaults(slow.service as ShopService, session.accessToken, { delayMs: slow.delayMs });
    let placed: OrderAccepted;
    try {
      placed = await this.orders.place(session.accessToken, testOrderBody(path, customer));
    } catch (error) {
      if (slow) await this.slowOff(slow.service as ShopService, session);
      throw error;
    }
    if (slow) void this.offOnceClosed(placed.orderId, slow.step, slow.service as ShopService, session);
    if (cancelsAtOnce(path)) return this.orders.cancel(session.accessToken, placed.orderId);
    return placed;
  }

  /** Waits (polling the order API) until the order's `step` has closed or the order is final, then turns the delay off. */
  private async offOnceClosed(orderId: string, step: string, service: ShopService, session: Session): Promise<void> {
    try {
      for (const deadline = Date.now() + SLOW_STEP_WATCH_MS; Date.now() < deadline; ) {
        const order = await this.orders.order(session.accessToken, orderId);
        const closed = sagaSteps(order.timeline).some((s) => s.command === step && s.outcome !== 'in flight');
        if (closed || order.status !== 'PENDING') break;
        await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS)); // polling interval
      }
    } catch (error) {
      this.logger.warn(`watching test order ${orderId} failed: ${(error as Error).message}; turning ${service}'s delay off now`);
    }
    await this.slowOff(service, session);
  }

  private async slowOff(service: ShopService, session: Session): Promise<void> {
    await this.services.setFaults(service, session.accessToken, { delayMs: 0 }).catch((error: Error) => this.logger.error(`could not turn ${service}'s delay off: ${error.message}`));
  }
}
