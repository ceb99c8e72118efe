import { MessageProviderPact } from '@pact-foundation/pact';
import {
  CancelShipmentV1,
  ScheduleShipmentV1,
  ShipmentCancelledV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentImpossibleV1,
  ShipmentScheduledV1,
} from '@shop/contracts';
import { createEnvelope, type OutboxWriter } from '@shop/messaging';
import { pactFile, RecordingOutbox, testContext } from '@shop/messaging/testing';
import { FaultSwitch } from '@shop/platform';
import type { DataSource } from 'typeorm';
import { ShippingCommandsHandler } from '../../src/shipments/application/on-shipping-commands/shipping-commands.handler';
import type { ShipmentService } from '../../src/shipments/application/shipment.service';
import { ShippingClock } from '../../src/shipments/application/shipping-clock';

/** Shipping verifies order's pact with the messages its real handlers and its clock build. */
describe('pact: shipping as provider', () => {
  it("satisfies order's pact", async () => {
    const outbox = new RecordingOutbox('shipping');
    const timings = { dispatchAfterMs: 10_000, deliverAfterMs: 20_000 };
    const shipments = {
      schedule: jest
        .fn()
        .mockResolvedValueOnce({ status: 'SCHEDULED', dispatchDueAt: new Date('2026-11-25T12:00:10.000Z'), reason: null })
        .mockResolvedValueOnce({ status: 'IMPOSSIBLE', dispatchDueAt: null, reason: 'cannot ship to AQ' }),
      cancel: jest.fn().mockResolvedValue({ status: 'CANCELLED' }),
      advance: jest.fn().mockResolvedValue([
        { orderId: 'order-1', status: 'DISPATCHED', traceContext: null },
        { orderId: 'order-1', status: 'DELIVERED', traceContext: null },
      ]),
    };
    const handler = new ShippingCommandsHandler(shipments as unknown as ShipmentService, outbox as unknown as OutboxWriter, new FaultSwitch({ delayMs: 0, failureRate: 0 }), timings);
    const address = { name: 'Alice Example', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' };
    const schedule = createEnvelope(ScheduleShipmentV1, { orderId: 'order-1', address }, 'order');
    await handler.schedule(schedule.data, testContext(schedule));
    await handler.schedule(schedule.data, testContext(schedule));
    const cancel = createEnvelope(CancelShipmentV1, { orderId: 'order-1' }, 'order');
    await handler.cancel(cancel.data, testContext(cancel));
    const db = { transaction: (work: (m: unknown) => Promise<unknown>) => work({}) } as unknown as DataSource;
    await new ShippingClock(db, shipments as unknown as ShipmentService, outbox as unknown as OutboxWriter, 1000).tickOnce();

    const sent = [ShipmentScheduledV1, ShipmentImpossibleV1, ShipmentCancelledV1, ShipmentDispatchedV1, ShipmentDeliveredV1] as const;
    await new MessageProviderPact({
      provider: 'shipping',
      pactUrls: [pactFile('order', 'shipping')],
      messageProviders: outbox.providers(sent),
      logLevel: 'warn',
    }).verify();
  });
});
