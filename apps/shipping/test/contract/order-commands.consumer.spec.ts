import { MessageConsumerPact } from '@pact-foundation/pact';
import { CancelShipmentV1, ScheduleShipmentV1, ShipmentCancelledV1, ShipmentScheduledV1 } from '@shop/contracts';
import type { OutboxWriter } from '@shop/messaging';
import { contractDescription, envelopeFromPact, matching, messagesHandledBy, PACT_DIR, pactFile, pactInteractions, pactMetadata, RecordingOutbox, testContext } from '@shop/messaging/testing';
import { FaultSwitch } from '@shop/platform';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ShippingCommandsHandler } from '../../src/shipments/application/on-shipping-commands/shipping-commands.handler';
import type { ShipmentService } from '../../src/shipments/application/shipment.service';

/** Shipping's expectations of the commands order sends it; each example is fed to the real handler. */
describe('pact: shipping consumes order commands', () => {
  const pact = new MessageConsumerPact({ consumer: 'shipping', provider: 'order', dir: PACT_DIR, logLevel: 'warn' });
  const shipments = { schedule: jest.fn(), cancel: jest.fn() };
  const outbox = new RecordingOutbox('shipping');
  const timings = { dispatchAfterMs: 10_000, deliverAfterMs: 20_000 };
  const handler = new ShippingCommandsHandler(
    shipments as unknown as ShipmentService,
    outbox as unknown as OutboxWriter,
    new FaultSwitch({ delayMs: 0, failureRate: 0 }),
    timings,
  );

  beforeAll(() => rmSync(pactFile('shipping', 'order'), { force: true }));

  it(contractDescription(ScheduleShipmentV1), () => {
    const dispatchDueAt = new Date('2026-11-25T12:00:10.000Z');
    shipments.schedule.mockResolvedValue({ status: 'SCHEDULED', dispatchDueAt, reason: null });
    const address = { name: 'Alice Example', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' };
    return pact
      .expectsToReceive(contractDescription(ScheduleShipmentV1))
      .withContent(matching({ orderId: 'order-1', address }))
      .withMetadata(pactMetadata(ScheduleShipmentV1))
      .verify(async (message) => {
        const envelope = envelopeFromPact(ScheduleShipmentV1, message);
        await handler.schedule(envelope.data, testContext(envelope));
        expect(shipments.schedule).toHaveBeenCalledWith(expect.anything(), 'order-1', address, expect.any(Date), timings, null);
        expect(outbox.last(ShipmentScheduledV1).data).toEqual({ orderId: 'order-1', dispatchDueAt: dispatchDueAt.toISOString() });
      });
  });

  it(contractDescription(CancelShipmentV1), () => {
    shipments.cancel.mockResolvedValue({ status: 'CANCELLED' });
    return pact
      .expectsToReceive(contractDescription(CancelShipmentV1))
      .withContent(matching({ orderId: 'order-1' }))
      .withMetadata(pactMetadata(CancelShipmentV1))
      .verify(async (message) => {
        const envelope = envelopeFromPact(CancelShipmentV1, message);
        await handler.cancel(envelope.data, testContext(envelope));
        expect(shipments.cancel).toHaveBeenCalledWith(expect.anything(), 'order-1', expect.any(Date));
        expect(outbox.last(ShipmentCancelledV1).data).toEqual({ orderId: 'order-1' });
      });
  });

  // Last: the pacts written above must cover every message type this service handles.
  it('covers every message shipping handles', () => {
    const handled = [...messagesHandledBy(ShippingCommandsHandler)].map(contractDescription).sort();
    const files = readdirSync(PACT_DIR).filter((f) => f.startsWith('shipping-'));
    expect(files.flatMap((f) => pactInteractions(join(PACT_DIR, f))).sort()).toEqual(handled);
  });
});
