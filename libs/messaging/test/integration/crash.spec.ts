import { Headers, ReserveStockV1 } from '@shop/contracts';
import { infra, recreateDatabase, waitFor } from '@shop/testing';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ensureTopics, headerStrings, MessageConsumer, messagingMigrations, OutboxWriter, type Outcome } from '../../src';
import { child } from './support/child';

/** Crashes at the two dangerous points of the outbox, with real processes killed by SIGKILL. */
describe('messaging: crash safety of the outbox', () => {
  const topic = `test.crash.${randomUUID()}`;
  const service = `crash-test-${randomUUID()}`;
  const definition = { ...ReserveStockV1, topic };
  let db: DataSource;
  let databaseUrl: string;
  let consumer: MessageConsumer;
  let counter: Consumer;
  const outcomes: Outcome[] = [];
  const copiesOnKafka = new Map<string, number>();
  const children: ChildProcess[] = [];
  const start = (...args: string[]) => {
    const c = child(...args);
    children.push(c.proc);
    return c;
  };
  const effects = async (orderId: string) => Number((await db.query('SELECT count(*) FROM effect WHERE order_id = $1', [orderId]))[0].count);
  const unpublished = async (orderId: string) =>
    Number((await db.query('SELECT count(*) FROM outbox_message WHERE message_key = $1 AND published_at IS NULL', [orderId]))[0].count);

  beforeAll(async () => {
    databaseUrl = await recreateDatabase('test_messaging_crash');
    db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true });
    await db.initialize();
    await db.query('CREATE TABLE business (order_id text PRIMARY KEY)');
    await db.query('CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL)');
    await ensureTopics(infra.kafka, [{ topic }], 3);

    // The consumer shares the database only for convenience: its inbox and effects are what we check.
    consumer = new MessageConsumer({ consumer: `crash-consumer-${randomUUID()}`, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, db, topics: [topic], onOutcome: (o) => outcomes.push(o) }).on(
      definition,
      async (data, ctx) => void (await ctx.manager.query('INSERT INTO effect (order_id) VALUES ($1)', [data.orderId])),
    );
    await consumer.start();
    // Counts raw copies on the topic, duplicates included.
    counter = new Kafka({ clientId: 'crash-counter', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING }).consumer({ groupId: `crash-counter-${randomUUID()}` });
    await counter.connect();
    await counter.subscribe({ topic, fromBeginning: true });
    await counter.run({
      eachMessage: async ({ message }) => {
        const id = headerStrings(message)[Headers.id];
        copiesOnKafka.set(id, (copiesOnKafka.get(id) ?? 0) + 1);
      },
    });
  }, 120_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await consumer?.stop();
    await counter?.disconnect();
    await db?.destroy();
  });

  it('killed between the business commit and the publish: published after restart, one effect', async () => {
    const orderId = `killed-before-publish-${randomUUID()}`;
    const writer = start('write-and-die', databaseUrl, topic, orderId);
    expect(await writer.ended).toBe('SIGKILL');
    expect(writer.output()).toContain('committed');
    expect(Number((await db.query('SELECT count(*) FROM business WHERE order_id = $1', [orderId]))[0].count)).toBe(1);
    expect(await unpublished(orderId)).toBe(1);

    const relay = start('relay', databaseUrl, infra.kafkaBrokers, service);
    await waitFor('the effect', async () => (await effects(orderId)) === 1, 30_000);
    await waitFor('the row marked published', async () => (await unpublished(orderId)) === 0);
    relay.proc.kill('SIGTERM');
    expect(await relay.ended).toBe('0');
    expect(await effects(orderId)).toBe(1);
  });

  it('relay killed after the broker ack, before marking: published twice, one effect', async () => {
    const orderId = `killed-after-ack-${randomUUID()}`;
    const sent = await db.transaction((m) => new OutboxWriter('crash-test').add(m, definition, { orderId, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }));

    const dying = start('relay', databaseUrl, infra.kafkaBrokers, service, 'die-after-ack');
    expect(await dying.ended).toBe('SIGKILL');
    expect(await unpublished(orderId)).toBe(1); // acked by Kafka, never marked

    const relay = start('relay', databaseUrl, infra.kafkaBrokers, service);
    await waitFor('two copies on Kafka', async () => copiesOnKafka.get(sent.id) === 2, 30_000);
    await waitFor('the row marked published', async () => (await unpublished(orderId)) === 0);
    await waitFor('both copies consumed', async () => outcomes.includes('duplicate'), 30_000);
    relay.proc.kill('SIGTERM');
    await relay.ended;
    expect(await effects(orderId)).toBe(1);
  });
});
