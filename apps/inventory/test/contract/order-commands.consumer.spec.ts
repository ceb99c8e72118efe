import { MessageConsumerPact } from '@pact-foundation/pact';
import { ReleaseStockV1, ReserveStockV1, StockReleasedV1, StockReservedV1 } from '@shop/contracts';
import type { OutboxWriter } from '@shop/messaging';
import { contractDescription, envelopeFromPact, matching, messagesHandledBy, PACT_DIR, pactFile, pactInteractions, pactMetadata, RecordingOutbox, testContext } from '@shop/messaging/testing';
import { FaultSwitch } from '@shop/platform';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogPublisher } from '../../src/stock/application/catalog-publisher';
import { StockCommandsHandler } from '../../src/stock/application/on-stock-commands/stock-commands.handler';
import type { StockService } from '../../src/stock/application/stock.service';

/** Inventory's expectations of the commands order sends it; each example is fed to the real handler. */
describe('pact: inventory consumes order commands', () => {
  const pact = new MessageConsumerPact({ consumer: 'inventory', provider: 'order', dir: PACT_DIR, logLevel: 'warn' });
  const stock = { reserve: jest.fn(), release: jest.fn(), reservationOf: jest.fn() };
  const catalog = { publish: jest.fn() };
  const outbox = new RecordingOutbox('inventory');
  const handler = new StockCommandsHandler(
    stock as unknown as StockService,
    outbox as unknown as OutboxWriter,
    catalog as unknown as CatalogPublisher,
    new FaultSwitch({ delayMs: 0, failureRate: 0 }),
  );

  beforeAll(() => rmSync(pactFile('inventory', 'order'), { force: true }));

  it(contractDescription(ReserveStockV1), () => {
    const lines = [{ sku: 'MUG-LOGO', quantity: 2 }];
    stock.reserve.mockResolvedValue({ status: 'RESERVED', lines });
    return pact
      .expectsToReceive(contractDescription(ReserveStockV1))
      .withContent(matching({ orderId: 'order-1', lines }))
      .withMetadata(pactMetadata(ReserveStockV1))
      .verify(async (message) => {
        const envelope = envelopeFromPact(ReserveStockV1, message);
        await handler.reserve(envelope.data, testContext(envelope));
        expect(stock.reserve).toHaveBeenCalledWith(expect.anything(), 'order-1', lines);
        expect(outbox.last(StockReservedV1).data).toEqual({ orderId: 'order-1', lines });
      });
  });

  it(contractDescription(ReleaseStockV1), () => {
    stock.reservationOf.mockResolvedValue({ status: 'RESERVED' });
    stock.release.mockResolvedValue({ status: 'RELEASED', lines: [{ sku: 'MUG-LOGO', quantity: 2 }] });
    return pact
      .expectsToReceive(contractDescription(ReleaseStockV1))
      .withContent(matching({ orderId: 'order-1' }))
      .withMetadata(pactMetadata(ReleaseStockV1))
      .verify(async (message) => {
        const envelope = envelopeFromPact(ReleaseStockV1, message);
        await handler.release(envelope.data, testContext(envelope));
        expect(stock.release).toHaveBeenCalledWith(expect.anything(), 'order-1');
        expect(outbox.last(StockReleasedV1).data).toEqual({ orderId: 'order-1' });
      });
  });

  // Last: the pacts written above must cover every message type this service handles.
  it('covers every message inventory handles', () => {
    const handled = [...messagesHandledBy(StockCommandsHandler)].map(contractDescription).sort();
    const files = readdirSync(PACT_DIR).filter((f) => f.startsWith('inventory-'));
    expect(files.flatMap((f) => pactInteractions(join(PACT_DIR, f))).sort()).toEqual(handled);
  });
});
