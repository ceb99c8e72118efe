import { MessageProviderPact } from '@pact-foundation/pact';
import { ProductCatalogUpdatedV1, ReleaseStockV1, ReserveStockV1, StockReleasedV1, StockReservationFailedV1, StockReservedV1 } from '@shop/contracts';
import { createEnvelope, type OutboxWriter } from '@shop/messaging';
import { pactFile, RecordingOutbox, testContext } from '@shop/messaging/testing';
import { FaultSwitch } from '@shop/platform';
import { CatalogPublisher } from '../../src/stock/application/catalog-publisher';
import { StockCommandsHandler } from '../../src/stock/application/on-stock-commands/stock-commands.handler';
import type { StockService } from '../../src/stock/application/stock.service';

/** Inventory verifies order's pact with the messages its real handlers and catalog publisher build. */
describe('pact: inventory as provider', () => {
  it("satisfies order's pact", async () => {
    const outbox = new RecordingOutbox('inventory');
    const lines = [{ sku: 'MUG-LOGO', quantity: 2 }];
    const stock = {
      reserve: jest.fn().mockResolvedValueOnce({ status: 'RESERVED', lines }).mockResolvedValueOnce({ status: 'REJECTED', reason: 'OUT_OF_STOCK: SOLD-OUT-CAP', lines }),
      reservationOf: jest.fn().mockResolvedValue({ status: 'RESERVED' }),
      release: jest.fn().mockResolvedValue({ status: 'RELEASED', lines }),
    };
    const products = [{ sku: 'MUG-LOGO', name: 'Mug with logo', priceCents: 1250, currency: 'EUR', available: 198, reserved: 2 }];
    const manager = { find: jest.fn().mockResolvedValue(products) };
    const catalog = new CatalogPublisher(outbox as unknown as OutboxWriter);
    const handler = new StockCommandsHandler(stock as unknown as StockService, outbox as unknown as OutboxWriter, catalog, new FaultSwitch({ delayMs: 0, failureRate: 0 }));

    const reserve = createEnvelope(ReserveStockV1, { orderId: 'order-1', lines }, 'order');
    await handler.reserve(reserve.data, testContext(reserve, manager));
    await handler.reserve(reserve.data, testContext(reserve, manager));
    const release = createEnvelope(ReleaseStockV1, { orderId: 'order-1' }, 'order');
    await handler.release(release.data, testContext(release, manager));

    const sent = [StockReservedV1, StockReservationFailedV1, StockReleasedV1, ProductCatalogUpdatedV1] as const;
    await new MessageProviderPact({
      provider: 'inventory',
      pactUrls: [pactFile('order', 'inventory')],
      messageProviders: outbox.providers(sent),
      logLevel: 'warn',
    }).verify();
  });
});
