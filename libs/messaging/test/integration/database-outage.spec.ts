import { ReserveStockV1 } from '@shop/contracts';
import { CuttablePostgres, infra, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createEnvelope, encodeEnvelope, ensureTopics, MessageConsumer, messagingMigrations, NonRetryableError, type Outcome } from '../../src';
import { readDeadLetters } from './support/dead-letters';

/** The consumer side when its database cannot be reached, against the real Kafka and Postgres. */
describe('messaging: a consumer whose database is unreachable', () => {
  const topic = `test.db-outage.${randomUUID()}`;
  const Reserve = { ...ReserveStockV1, topic };
  const kafka = new Kafka({ clientId: 'db-outage-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  const proxy = new CuttablePostgres();
  const outcomes: Outcome[] = [];
  const dlq: KafkaMessage[] = [];
  let direct: DataSource;
  let proxied: DataSource;
  let producer: Producer;
  let dlqReader: Consumer;
  let consumer: MessageConsumer;

  const reserve = (orderId: string) => encodeEnvelope(createEnvelope(ReserveStockV1, { orderId, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }, 'test'));
  const effects = async (orderId: string) => Number((await direct.query('SELECT count(*) FROM effect WHERE order_id = $1', [orderId]))[0].count);

  beforeAll(async () => {
    const url = await recreateDatabase('test_messaging_db_outage');
    direct = new DataSource({ type: 'postgres', url, migrations: messagingMigrations, migrationsRun: true });
    await direct.initialize();
    await direct.query('CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL)');
    const port = await proxy.listen();
    proxied = new DataSource({ type: 'postgres', url: url.replace(`:${infra.pgPort}/`, `:${port}/`) });
    await proxied.initialize();
    await ensureTopics(infra.kafka, [{ topic }], 1);
    producer = kafka.producer();
    await producer.connect();
    // A budget of 3 quick attempts: before the database counted as unavailable, a cut of more
    // than a few hundred milliseconds dead-lettered the message. The breaker probes as quickly.
    consumer = new MessageConsumer({ consumer: `db-outage-test-${randomUUID()}`, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, db: proxied, topics: [topic], retry: { attempts: 3, baseMs: 20, maxMs: 100 }, breaker: { probeBaseMs: 20, probeMaxMs: 100 }, onOutcome: (outcome) => outcomes.push(outcome) }).on(
      Reserve,
      async (data, ctx) => {
        if (data.orderId.startsWith('fatal-')) throw new NonRetryableError('this order can never be handled');
        await ctx.manager.query('INSERT INTO effect (order_id) VALUES ($1)', [data.orderId]);
      },
    );
    await consumer.start();
    dlqReader = await readDeadLetters(kafka, topic, dlq);
  });

  afterAll(async () => {
    await consumer?.stop();
    await dlqReader?.disconnect();
    await producer?.disconnect();
    await proxied?.destroy();
    await proxy.close();
    await direct?.destroy();
  });

  it('waits for the database without spending the retry budget: nothing dead-lettered, one effect once it answers', async () => {
    const first = reserve(`first-${randomUUID()}`);
    await producer.send({ topic, messages: [first] });
    await waitFor('the first message handled through the proxy', async () => (await effects(first.key)) === 1, 30_000);

    proxy.cut();
    const during = reserve(`during-${randomUUID()}`);
    await producer.send({ topic, messages: [during] });
    // Ten tries to reach the database (the breaker's probes): over three times the retry budget.
    await waitFor('the consumer tried to reach the database 10 times', async () => proxy.refused >= 10, 60_000);
    expect(outcomes).toEqual(['handled']);
    proxy.restore();
    await waitFor('the message handled once the database answers', async () => (await effects(during.key)) === 1, 30_000);
    expect(outcomes).toEqual(['handled', 'handled']);

    // The DLQ reader has caught up once it holds a message sent after: only that one is there.
    const fatal = reserve(`fatal-${randomUUID()}`);
    await producer.send({ topic, messages: [fatal] });
    await waitFor('the NonRetryableError dead-lettered', async () => dlq.some((m) => String(m.key) === fatal.key), 30_000);
    expect(dlq.map((m) => String(m.key))).toEqual([fatal.key]);
  });
});
