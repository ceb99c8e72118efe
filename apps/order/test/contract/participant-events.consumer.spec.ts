import { MessageConsumerPact } from '@pact-foundation/pact';
import {
  PaymentChargedV1,
  PaymentDeclinedV1,
  PaymentRefundedV1,
  ProductCatalogUpdatedV1,
  ShipmentCancelledV1,
  ShipmentDeliveredV1,
  ShipmentDispatchedV1,
  ShipmentImpossibleV1,
  ShipmentScheduledV1,
  StockReleasedV1,
  StockReservationFailedV1,
  StockReservedV1,
  type MessageDefinition,
} from '@shop/contracts';
import { contractDescription, envelopeFromPact, matching, messagesHandledBy, PACT_DIR, pactFile, pactInteractions, pactMetadata, testContext } from '@shop/messaging/testing';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { OrderSagaRunner } from '../../src/orders/application/order-saga.runner';
import { CatalogUpdatedHandler } from '../../src/orders/application/on-catalog-updated/catalog-updated.handler';
import { SagaRepliesHandler } from '../../src/orders/application/on-saga-replies/saga-replies.handler';
import type { Order } from '../../src/orders/domain/order';
import type { CatalogRepository } from '../../src/orders/infrastructure/catalog.repository';
import type { SagaCommand } from '../../src/orders/saga/order-saga';

/**
 * Order's expectations of what inventory, payment and shipping send it. Each example goes to
 * the real handler, which must turn it into the right saga event for the right order. A saga
 * reply must carry a causation id (ce_causationid: the id of the command it answers, which the
 * order's history is asked for); only shipping's dispatch news may come without one.
 */
describe('pact: order consumes participant events', () => {
  const order = { receive: jest.fn(), delivered: jest.fn() };
  /** The command the order's history names for the reply's causation id, per case. */
  let sentIn: SagaCommand | null = null;
  const runner = {
    timings: { stepTimeoutMs: 10_000, compensationRetryMs: 1_000, compensationRetryMaxMs: 10_000 },
    run: jest.fn(async (_m: unknown, _id: string, change: (o: Order, sentIn: SagaCommand | null) => void, options: { commandSentIn?: string }) => (
      change(order as unknown as Order, options.commandSentIn ? sentIn : null), { order, events: [] }
    )),
  };
  const replies = new SagaRepliesHandler(runner as unknown as OrderSagaRunner);
  const catalog = { upsert: jest.fn() };
  const catalogHandler = new CatalogUpdatedHandler(catalog as unknown as CatalogRepository);

  /** The last element: the command the reply answers (its causation id is required); absent for what needs no causation id. */
  type Case = [MessageDefinition<never>, Record<string, unknown>, (data: never, ctx: never) => Promise<void>, () => void, SagaCommand?];
  const saga = (event: Record<string, unknown>) => () => {
    expect(runner.run).toHaveBeenLastCalledWith(expect.anything(), 'order-1', expect.any(Function), expect.objectContaining({ causationId: expect.any(String) }));
    expect(order.receive).toHaveBeenLastCalledWith(event, expect.any(Date), runner.timings);
  };
  const call = (fn: (data: never, ctx: never) => Promise<void>) => fn;

  const byProvider: Record<string, Case[]> = {
    inventory: [
      [StockReservedV1 as never, { orderId: 'order-1', lines: [{ sku: 'MUG-LOGO', quantity: 2 }] }, call(replies.reply.bind(replies) as never), saga({ type: 'StockReserved' }), 'RESERVE_STOCK'],
      [StockReservationFailedV1 as never, { orderId: 'order-1', reason: 'OUT_OF_STOCK: SOLD-OUT-CAP' }, call(replies.reply.bind(replies) as never), saga({ type: 'StockReservationFailed', reason: 'OUT_OF_STOCK: SOLD-OUT-CAP' }), 'RESERVE_STOCK'],
      [StockReleasedV1 as never, { orderId: 'order-1' }, call(replies.reply.bind(replies) as never), saga({ type: 'StockReleased' }), 'RELEASE_STOCK'],
      [
        ProductCatalogUpdatedV1 as never,
        { sku: 'MUG-LOGO', name: 'Mug with logo', priceCents: 1250, currency: 'EUR', available: 200 },
        call(catalogHandler.updated.bind(catalogHandler) as never),
        () => expect(catalog.upsert).toHaveBeenLastCalledWith(expect.anything(), { sku: 'MUG-LOGO', name: 'Mug with logo', priceCents: 1250, currency: 'EUR', available: 200 }),
      ],
    ],
    payment: [
      [PaymentChargedV1 as never, { orderId: 'order-1', amountCents: 2500, currency: 'EUR' }, call(replies.reply.bind(replies) as never), saga({ type: 'PaymentCharged' }), 'CHARGE_PAYMENT'],
      [PaymentDeclinedV1 as never, { orderId: 'order-1', reason: 'CARD_DECLINED' }, call(replies.reply.bind(replies) as never), saga({ type: 'PaymentDeclined', reason: 'CARD_DECLINED' }), 'CHARGE_PAYMENT'],
      [PaymentRefundedV1 as never, { orderId: 'order-1', amountCents: 2500, currency: 'EUR' }, call(replies.reply.bind(replies) as never), saga({ type: 'PaymentRefunded' }), 'REFUND_PAYMENT'],
    ],
    shipping: [
      [ShipmentScheduledV1 as never, { orderId: 'order-1', dispatchDueAt: '2026-11-25T12:00:10.000Z' }, call(replies.reply.bind(replies) as never), saga({ type: 'ShipmentScheduled' }), 'SCHEDULE_SHIPMENT'],
      [ShipmentImpossibleV1 as never, { orderId: 'order-1', reason: 'cannot ship to AQ' }, call(replies.reply.bind(replies) as never), saga({ type: 'ShipmentImpossible', reason: 'cannot ship to AQ' }), 'SCHEDULE_SHIPMENT'],
      [ShipmentCancelledV1 as never, { orderId: 'order-1' }, call(replies.reply.bind(replies) as never), saga({ type: 'ShipmentCancelled' }), 'CANCEL_SHIPMENT'],
      [ShipmentDispatchedV1 as never, { orderId: 'order-1' }, call(replies.reply.bind(replies) as never), saga({ type: 'ShipmentDispatched' })],
      [ShipmentDeliveredV1 as never, { orderId: 'order-1' }, call(replies.shipmentDelivered.bind(replies) as never), () => expect(order.delivered).toHaveBeenCalled()],
    ],
  };

  for (const [provider, cases] of Object.entries(byProvider)) {
    describe(`from ${provider}`, () => {
      const pact = new MessageConsumerPact({ consumer: 'order', provider, dir: PACT_DIR, logLevel: 'warn' });
      beforeAll(() => rmSync(pactFile('order', provider), { force: true }));

      for (const [definition, example, handle, check, answers] of cases) {
        it(contractDescription(definition), () =>
          pact
            .expectsToReceive(contractDescription(definition))
            .withContent(matching(example))
            .withMetadata(pactMetadata(definition, { causation: answers !== undefined }))
            .verify(async (message) => {
              const envelope = envelopeFromPact(definition, message);
              sentIn = answers ?? null;
              await handle(envelope.data, testContext(envelope) as never);
              check();
              // A reply's command is looked up by its causation id, with the order's lock.
              if (answers) expect(runner.run.mock.lastCall?.[3]).toMatchObject({ commandSentIn: envelope.causationId });
            }),
        );
      }
    });
  }

  // Last: the pacts written above must cover every message type this service handles.
  it('covers every message order handles', () => {
    const handled = [...messagesHandledBy(SagaRepliesHandler), ...messagesHandledBy(CatalogUpdatedHandler)].map(contractDescription).sort();
    const files = readdirSync(PACT_DIR).filter((f) => f.startsWith('order-'));
    expect(files.flatMap((f) => pactInteractions(join(PACT_DIR, f))).sort()).toEqual(handled);
  });
});
