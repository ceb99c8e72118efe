import { ReserveStockV1 } from '@shop/contracts';
import { infra, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { createEnvelope, encodeEnvelope, ensureTopics, MessageConsumer, MessagingMetrics, messagingMigrations, OutboxRelay, OutboxWriter } from '../../src';

/** The messaging metrics, read the way Prometheus reads them, after real traffic. */
describe('messaging: Prometheus metrics', () => {
  const topic = `test.metrics.${randomUUID()}`;
  const group = `metrics-${randomUUID()}`;
  const definition = { ...ReserveStockV1, topic };
  const registry = new Registry();
  let db: DataSource;
  let databaseUrl: string;
  let metrics: MessagingMetrics;
  let relay: OutboxRelay;
  let consumer: MessageConsumer;
  let producer: Producer;

  /** The value of one sample in the exposition text, summed over the samples matching `labels`. */
  async function sample(name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await registry.metrics();
    let total = 0;
    for (const line of text.split('\n')) {
      const m = line.match(/^([a-z_]+)(\{[^}]*\})? (\S+)$/);
      if (!m || m[1] !== name) continue;
      if (Object.entries(labels).every(([k, v]) => (m[2] ?? '').includes(`${k}="${v}"`))) total += Number(m[3]);
    }
    return total;
  }

  beforeAll(async () => {
    databaseUrl = await recreateDatabase('test_messaging_metrics');
    db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true });
    await db.initialize();
    await db.query('CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL)');
    await ensureTopics(infra.kafka, [{ topic }, { topic: `${topic}.dlq` }], 2);
    metrics = new MessagingMetrics({ registry, db, kafka: infra.kafka, consumerGroups: [{ groupId: group, topics: [topic] }] });
    producer = new Kafka({ clientId: 'metrics-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await producer?.disconnect();
    await metrics?.close();
    await db?.destroy();
  });

  it('reports backlog, publish latency, lag, outcomes, duplicates and dead letters', async () => {
    const writer = new OutboxWriter('metrics-test');
    for (let i = 0; i < 5; i++) await db.transaction((m) => writer.add(m, definition, { orderId: `o-${i}`, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }));
    expect(await sample('shop_outbox_backlog')).toBe(5);
    // The age grows while nothing publishes: it passes one second without a relay running.
    await waitFor('the oldest unpublished message older than 1 s', async () => (await sample('shop_outbox_oldest_unpublished_age_seconds')) > 1, 5_000, 100);
    expect(await sample('shop_outbox_backlog')).toBe(5);

    relay = new OutboxRelay({ service: `metrics-${topic}`, databaseUrl, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, pollIntervalMs: 200, onPublished: (b) => metrics.observePublished(b), onKafkaRequest: (api) => metrics.observeKafkaRequest('relay', api) });
    await relay.start();
    await waitFor('the backlog published', async () => (await sample('shop_outbox_backlog')) === 0, 15_000);
    expect(await sample('shop_outbox_oldest_unpublished_age_seconds')).toBe(0);
    expect(await sample('shop_outbox_publish_latency_seconds_count', { topic })).toBe(5);
    // nothing consumed yet: the group lags by all five
    await waitFor('lag of 5', async () => (await sample('shop_consumer_lag', { group, topic })) === 5, 15_000);

    // a duplicate and a poison message on top
    const dup = encodeEnvelope(createEnvelope(ReserveStockV1, { orderId: 'dup', lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }, 'test'));
    await producer.send({ topic, messages: [dup, dup, { ...dup, value: 'not json' }] });

    consumer = new MessageConsumer({
      consumer: group,
      brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl,
      db,
      topics: [topic],
      onOutcome: (outcome, type, ms, t) => metrics.observeOutcome(group, outcome, type, ms, t),
      onKafkaRequest: (client, api) => metrics.observeKafkaRequest(client, api),
    }).on(definition, async (data, ctx) => void (await ctx.manager.query('INSERT INTO effect (order_id) VALUES ($1)', [data.orderId])));
    await consumer.start();

    const type = 'inventory.reserve-stock';
    await waitFor('all deliveries counted', async () => (await sample('shop_messages_handled_total', { consumer: group })) === 8, 30_000);
    expect(await sample('shop_messages_handled_total', { consumer: group, type, outcome: 'handled' })).toBe(6);
    expect(await sample('shop_messages_handled_total', { consumer: group, outcome: 'duplicate' })).toBe(1);
    expect(await sample('shop_inbox_duplicates_total', { consumer: group })).toBe(1);
    expect(await sample('shop_dlq_messages_total', { consumer: group, topic })).toBe(1);
    // every delivery is timed, whatever its outcome (the poison one carried the same ce_type)
    expect(await sample('shop_message_handler_duration_seconds_count', { consumer: group, type })).toBe(8);
    await waitFor('no lag', async () => (await sample('shop_consumer_lag', { group, topic })) === 0, 15_000);
    // The requests each client sent to Kafka: the relay produced, the consumer fetched and
    // committed, the dead-letter producer sent the poison message.
    expect(await sample('shop_kafka_requests_total', { client: 'relay', api: 'Produce' })).toBeGreaterThanOrEqual(1);
    expect(await sample('shop_kafka_requests_total', { client: 'consumer', api: 'Fetch' })).toBeGreaterThanOrEqual(1);
    expect(await sample('shop_kafka_requests_total', { client: 'consumer', api: 'OffsetCommit' })).toBeGreaterThanOrEqual(1);
    expect(await sample('shop_kafka_requests_total', { client: 'dead-letter', api: 'Produce' })).toBe(1);
  });

  it('reports Kafka reachable (1) when it answers, and 0 with no lag samples when it does not, within a scrape', async () => {
    expect(await sample('shop_kafka_reachable')).toBe(1);
    // Nothing listens on port 1 of this machine: Kafka "down" for this registry.
    const down = new Registry();
    const unreachable = new MessagingMetrics({ registry: down, kafka: { brokers: ['127.0.0.1:1'], tls: infra.kafkaTls, sasl: infra.kafkaSasl }, consumerGroups: [{ groupId: group, topics: [topic] }] });
    try {
      const started = Date.now();
      const text = await down.metrics();
      expect(Date.now() - started).toBeLessThan(10_000); // Prometheus' default scrape timeout
      expect(text).toMatch(/^shop_kafka_reachable 0$/m);
      expect(text).not.toMatch(/^shop_consumer_lag\{/m);
    } finally {
      await unreachable.close();
    }
  });
});
