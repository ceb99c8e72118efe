import { ProductCatalogUpdatedV1, ShipmentDispatchedV1 } from '@shop/contracts';
import { createEnvelope, DeadLetterQueue, encodeEnvelope, summarizeDeadLetter, type DeadLetterSummary } from '@shop/messaging';
import { publishForTest } from '@shop/messaging/testing';
import { httpGet, infra, kafkaUser, recreateDatabase, startServiceProcess, waitFor, type ServiceProcess } from '@shop/testing';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { publishCatalog } from './support/catalog';

/**
 * The issue's probe, against the real broker: payment's own principal may write payment.events,
 * which order reads (with inventory's and shipping's topics, in one consumer). A catalog update
 * or a shipment event published there is forged: order dead-letters it (FORGED), counts it, and
 * never applies it; the price it quotes stays what inventory published.
 */
describe('order: messages on a topic their contract does not name are refused as forged', () => {
  const sku = `FORGERY-MUG-${randomUUID().slice(0, 8).toUpperCase()}`;
  const product = { sku, name: 'Forgery test mug', priceCents: 1250, currency: 'EUR', available: 10 };
  let proc: ServiceProcess;
  const dlq = new DeadLetterQueue(infra.kafka, { clientId: 'forgery-test', groupPrefix: 'forgery-test' });

  const price = async () => ((await httpGet(`${proc.url}/products`)).body as Array<{ sku: string; priceCents: number }>).find((p) => p.sku === sku)?.priceCents;
  /** The sum of a metric's samples whose labels include every `label="value"` given. */
  const metric = async (name: string, labels: string[]) => {
    const text = String((await httpGet(`${proc.url}/metrics`)).body);
    const samples = text.split('\n').filter((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
    return samples.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  };

  beforeAll(async () => {
    const databaseUrl = await recreateDatabase('test_order_forgery');
    await publishCatalog(infra.kafkaBrokers);
    await publishForTest(infra.kafka, ProductCatalogUpdatedV1, [product]);
    proc = startServiceProcess('order', { PORT: '3150', DATABASE_URL: databaseUrl, ...infra.kafkaEnv('order'), OIDC_ISSUER: infra.oidcIssuer() });
    await proc.waitUntilReady();
    await waitFor(`${sku} in order's catalog`, async () => (await price()) === 1250, 30_000);
  });

  afterAll(async () => {
    await dlq.close();
    await proc?.stop();
  });

  it("as payment's principal on payment.events, a catalog update and a shipment event: both dead-lettered as FORGED and counted, the price unchanged", async () => {
    const catalogUpdate = createEnvelope(ProductCatalogUpdatedV1, { ...product, priceCents: 1 }, 'inventory');
    const shipment = createEnvelope(ShipmentDispatchedV1, { orderId: randomUUID() }, 'shipping');
    const payment = new Kafka({ clientId: 'forger', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: kafkaUser('payment'), logLevel: logLevel.NOTHING }).producer();
    await payment.connect();
    try {
      await payment.send({ topic: 'payment.events', acks: -1, messages: [encodeEnvelope(catalogUpdate), encodeEnvelope(shipment)] });
    } finally {
      await payment.disconnect();
    }

    let letters: DeadLetterSummary[] = [];
    await waitFor(
      'both in payment.events.dlq',
      async () => {
        letters = (await dlq.readAll('payment.events.dlq')).map(summarizeDeadLetter).filter((l) => [catalogUpdate.id, shipment.id].includes(l.messageId ?? ''));
        return letters.length === 2;
      },
      60_000,
      500,
    );
    const refused = { consumer: 'order', originalTopic: 'payment.events', errorClass: 'PoisonMessageError', attempts: 0 };
    expect(letters.find((l) => l.messageId === catalogUpdate.id)).toMatchObject({
      ...refused,
      type: 'inventory.product-catalog-updated',
      error: 'FORGED: inventory.product-catalog-updated@1 travels only on inventory.catalog, not on payment.events',
    });
    expect(letters.find((l) => l.messageId === shipment.id)).toMatchObject({
      ...refused,
      type: 'shipping.shipment-dispatched',
      error: 'FORGED: shipping.shipment-dispatched@1 travels only on shipping.events, not on payment.events',
    });
    expect(await price()).toBe(1250);
    const forged = ['consumer="order"', 'topic="payment.events"'];
    expect(await metric('shop_forged_messages_total', [...forged, 'type="inventory.product-catalog-updated"'])).toBe(1);
    expect(await metric('shop_forged_messages_total', [...forged, 'type="shipping.shipment-dispatched"'])).toBe(1);
    expect(await metric('shop_messages_handled_total', ['consumer="order"', 'outcome="forged"'])).toBe(2);

    // The consumer goes on: the same update on the topic its contract names is applied.
    await publishForTest(infra.kafka, ProductCatalogUpdatedV1, [{ ...product, priceCents: 1300 }]);
    await waitFor('the genuine update applied', async () => (await price()) === 1300, 30_000);
  });
});
