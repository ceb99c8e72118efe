import { MessageConsumerPact } from '@pact-foundation/pact';
import { OrderCancelledV1, OrderConfirmedV1, OrderDeliveredV1, OrderRejectedV1, OrderShippedV1, type MessageDefinition } from '@shop/contracts';
import { contractDescription, envelopeFromPact, matching, messagesHandledBy, PACT_DIR, pactFile, pactInteractions, pactMetadata, testContext } from '@shop/messaging/testing';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NotificationService } from '../../src/notifications/application/notification.service';
import { OrderEventsHandler } from '../../src/notifications/application/on-order-events/order-events.handler';

/** Notification's expectations of order's outcome events; each example is fed to the real handler. */
describe('pact: notification consumes order events', () => {
  const pact = new MessageConsumerPact({ consumer: 'notification', provider: 'order', dir: PACT_DIR, logLevel: 'warn' });
  const notifications = { enqueue: jest.fn() };
  const handler = new OrderEventsHandler(notifications as unknown as NotificationService);
  const customer = { orderId: 'order-1', customerId: 'alice', customerEmail: 'alice@example.com', customerName: 'Alice Example' };

  beforeAll(() => rmSync(pactFile('notification', 'order'), { force: true }));

  const cases: Array<[MessageDefinition<never>, Record<string, unknown>, (e: never, ctx: never) => Promise<void>, string, string | undefined]> = [
    [OrderConfirmedV1 as never, { ...customer, totalCents: 2500, currency: 'EUR' }, handler.confirmed.bind(handler) as never, 'ORDER_CONFIRMED', 'Total: 25.00 EUR'],
    [OrderRejectedV1 as never, { ...customer, reason: 'OUT_OF_STOCK: SOLD-OUT-CAP' }, handler.rejected.bind(handler) as never, 'ORDER_REJECTED', 'Reason: OUT_OF_STOCK: SOLD-OUT-CAP'],
    [OrderCancelledV1 as never, customer, handler.cancelled.bind(handler) as never, 'ORDER_CANCELLED', undefined],
    [OrderShippedV1 as never, customer, handler.shipped.bind(handler) as never, 'ORDER_SHIPPED', undefined],
    [OrderDeliveredV1 as never, customer, handler.delivered.bind(handler) as never, 'ORDER_DELIVERED', undefined],
  ];

  for (const [definition, example, handle, kind, detail] of cases) {
    it(contractDescription(definition), () =>
    pact
      .expectsToReceive(contractDescription(definition))
      .withContent(matching(example))
      .withMetadata(pactMetadata(definition))
      .verify(async (message) => {
        const envelope = envelopeFromPact(definition, message);
        await handle(envelope.data, testContext(envelope) as never);
        expect(notifications.enqueue).toHaveBeenLastCalledWith(expect.anything(), {
          orderId: 'order-1',
          kind,
          recipient: 'alice@example.com',
          customerName: 'Alice Example',
          ...(detail ? { detail } : {}),
        });
      }),
    );
  }

  // Last: the pacts written above must cover every message type this service handles.
  it('covers every message notification handles', () => {
    const handled = [...messagesHandledBy(OrderEventsHandler)].map(contractDescription).sort();
    const files = readdirSync(PACT_DIR).filter((f) => f.startsWith('notification-'));
    expect(files.flatMap((f) => pactInteractions(join(PACT_DIR, f))).sort()).toEqual(handled);
  });
});
