import { MessageProviderPact } from '@pact-foundation/pact';
import {
  CancelShipmentV1,
  ChargePaymentV1,
  OrderCancelledV1,
  OrderConfirmedV1,
  OrderDeliveredV1,
  OrderRejectedV1,
  OrderShippedV1,
  RefundPaymentV1,
  ReleaseStockV1,
  ReserveStockV1,
  ScheduleShipmentV1,
  type MessageDefinition,
} from '@shop/contracts';
import type { Envelope, OutboxWriter } from '@shop/messaging';
import { PACT_DIR, pactInteractions, RecordingOutbox } from '@shop/messaging/testing';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { OrderMessages } from '../../src/orders/application/order-messages';
import { Order, type ParticipantReply } from '../../src/orders/domain/order';
import type { SagaTimings } from '../../src/orders/saga/order-saga';

/**
 * Order verifies every pact that names it as provider. The messages come from the real code:
 * orders driven through the saga by the Order aggregate, turned into wire messages by
 * OrderMessages, captured by a recording outbox.
 */
const timings: SagaTimings = { stepTimeoutMs: 10_000, compensationRetryMs: 1_000, compensationRetryMaxMs: 10_000 };
const pacts = readdirSync(PACT_DIR)
  .filter((f) => f.endsWith('-order.json'))
  .map((f) => join(PACT_DIR, f));

/** Runs orders through the saga (confirmed and delivered, cancelled, rejected) and keeps every message sent. */
async function sendEverything(): Promise<RecordingOutbox> {
  const outbox = new RecordingOutbox('order');
  const messages = new OrderMessages(outbox as unknown as OutboxWriter);
  const manager = {} as never;
  let n = 0;
  const place = async () => {
    const order = Order.place(
      {
        id: `order-${++n}`,
        customer: { id: 'alice', email: 'alice@example.com', name: 'Alice Example' },
        lines: [{ sku: 'MUG-LOGO', name: 'Mug with logo', quantity: 2, unitPriceCents: 1250 }],
        currency: 'EUR',
        shippingAddress: { name: 'Alice Example', street: '1 Main Street', city: 'Springfield', postalCode: '12345', country: 'DE' },
        paymentMethod: 'card',
      },
      new Date(),
      timings,
    );
    await messages.send(manager, order.state, order.pullEvents());
    return order;
  };
  const step = async (order: Order, change: (o: Order) => void) => {
    change(order);
    await messages.send(manager, order.state, order.pullEvents());
  };
  const reply = (r: ParticipantReply) => (o: Order) => o.receive(r, new Date(), timings);

  const delivered = await place();
  for (const r of [{ type: 'StockReserved' }, { type: 'PaymentCharged' }, { type: 'ShipmentScheduled' }, { type: 'ShipmentDispatched' }] as ParticipantReply[]) {
    await step(delivered, reply(r));
  }
  await step(delivered, (o) => o.delivered(new Date()));

  const cancelled = await place();
  for (const r of [{ type: 'StockReserved' }, { type: 'PaymentCharged' }, { type: 'ShipmentScheduled' }] as ParticipantReply[]) await step(cancelled, reply(r));
  await step(cancelled, (o) => o.cancel(new Date(), timings));
  for (const r of [{ type: 'ShipmentCancelled' }, { type: 'PaymentRefunded' }, { type: 'StockReleased' }] as ParticipantReply[]) await step(cancelled, reply(r));

  const rejected = await place();
  await step(rejected, reply({ type: 'StockReservationFailed', reason: 'OUT_OF_STOCK: MUG-LOGO' }));
  return outbox;
}

const SENT: ReadonlyArray<MessageDefinition<never>> = [
  ReserveStockV1,
  ReleaseStockV1,
  ChargePaymentV1,
  RefundPaymentV1,
  ScheduleShipmentV1,
  CancelShipmentV1,
  OrderConfirmedV1,
  OrderRejectedV1,
  OrderCancelledV1,
  OrderShippedV1,
  OrderDeliveredV1,
] as never;


describe('pact: order as provider', () => {
  it('finds the pacts of inventory, payment, shipping and notification', () => {
    expect(pacts.map((p) => p.split('/').pop()).sort()).toEqual(['inventory-order.json', 'notification-order.json', 'payment-order.json', 'shipping-order.json']);
  });

  it('satisfies every pact that names it, with the messages its real code builds', async () => {
    const outbox = await sendEverything();
    const expected = pacts.flatMap(pactInteractions);
    expect(expected.length).toBeGreaterThanOrEqual(11);
    await new MessageProviderPact({ provider: 'order', pactUrls: pacts, messageProviders: outbox.providers(SENT), logLevel: 'warn' }).verify();
  });

  it('fails verification, naming the field, when a message loses a field its consumer needs', async () => {
    const outbox = await sendEverything();
    const dropLines = (e: Envelope) => (e.type === ReserveStockV1.type ? { ...e, data: { orderId: (e.data as { orderId: string }).orderId } } : e);
    const verification = new MessageProviderPact({
      provider: 'order',
      pactUrls: pacts.filter((p) => p.endsWith('inventory-order.json')),
      messageProviders: outbox.providers(SENT, dropLines),
      logLevel: 'warn',
    }).verify();
    await expect(verification).rejects.toThrow(/lines/);
  });
});
