import { ReleaseStockV1, ReserveStockV1 } from '@shop/contracts';
import { createEnvelope, decodeEnvelope, encodeEnvelope, type Envelope } from '@shop/messaging';
import { infra, queryDatabase, recreateDatabase, startServiceProcess, waitFor, type ServiceProcess } from '@shop/testing';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

/** The built inventory service as a saga participant: commands in on Kafka, replies out through its outbox. */
describe('inventory: ReserveStock and ReleaseStock over Kafka', () => {
  const kafka = new Kafka({ clientId: 'inventory-commands-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  let proc: ServiceProcess;
  let databaseUrl: string;
  let producer: Producer;
  let events: Consumer;
  const replies: Envelope[] = [];

  const send = async (envelope: Envelope) => producer.send({ topic: 'inventory.commands', messages: [encodeEnvelope(envelope)] });
  const replyTo = async (command: Envelope) => {
    await waitFor(`a reply to ${command.type} ${command.subject}`, async () => replies.some((r) => r.causationId === command.id), 60_000, 250);
    return replies.find((r) => r.causationId === command.id) as Envelope;
  };
  const available = async (sku: string) =>
    (await queryDatabase<{ available: number }>(databaseUrl, 'SELECT available FROM product WHERE sku = $1', [sku]))[0].available;

  beforeAll(async () => {
    databaseUrl = await recreateDatabase('test_inventory_commands');
    proc = startServiceProcess('inventory', { PORT: '3131', DATABASE_URL: databaseUrl, ...infra.kafkaEnv('inventory'), OIDC_ISSUER: infra.oidcIssuer() });
    await proc.waitUntilReady();
    // The service creates every contract topic before its consumer starts (a fresh broker has none).
    await waitFor('the consumer to start', async () => proc.stdout().includes('consumer inventory handles'), 60_000);
    producer = kafka.producer();
    await producer.connect();
    events = kafka.consumer({ groupId: `inventory-events-reader-${randomUUID()}` });
    await events.connect();
    await events.subscribe({ topic: 'inventory.events', fromBeginning: true });
    await events.run({ eachMessage: async ({ message }) => void replies.push(decodeEnvelope(message)) });
  }, 180_000);

  afterAll(async () => {
    await events?.disconnect();
    await producer?.disconnect();
    await proc?.stop();
  });

  it('reserves stock and answers StockReserved, with the command as its cause', async () => {
    const orderId = `o-${randomUUID()}`;
    const command = createEnvelope(ReserveStockV1, { orderId, lines: [{ sku: 'POSTER-LIMITED', quantity: 2 }] }, 'order');
    await send(command);
    const reply = await replyTo(command);
    expect(reply).toMatchObject({
      type: 'inventory.stock-reserved',
      source: 'inventory',
      subject: orderId,
      correlationId: command.correlationId,
      data: { orderId, lines: [{ sku: 'POSTER-LIMITED', quantity: 2 }] },
    });
    expect(await available('POSTER-LIMITED')).toBe(3);

    // ReleaseStock gives them back and answers StockReleased
    const release = createEnvelope(ReleaseStockV1, { orderId }, 'order', { correlationId: command.correlationId, causationId: command.id });
    await send(release);
    expect(await replyTo(release)).toMatchObject({ type: 'inventory.stock-released', data: { orderId } });
    expect(await available('POSTER-LIMITED')).toBe(5);
  });

  it('answers StockReservationFailed naming the SKU when there is not enough', async () => {
    const command = createEnvelope(ReserveStockV1, { orderId: `o-${randomUUID()}`, lines: [{ sku: 'SOLD-OUT-CAP', quantity: 1 }] }, 'order');
    await send(command);
    expect(await replyTo(command)).toMatchObject({ type: 'inventory.stock-reservation-failed', data: { reason: 'OUT_OF_STOCK: SOLD-OUT-CAP' } });
  });
});
