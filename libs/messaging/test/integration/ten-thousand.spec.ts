import { ReserveStockV1 } from '@shop/contracts';
import { infra, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ensureTopics, MessageConsumer, messagingMigrations, OutboxRelay, OutboxWriter } from '../../src';
import { consumerLag } from '../../src/lib/kafka/consumer-lag';

/**
 * 10,000 messages over 50 keys through two relay instances and two consumer instances (one
 * group): nothing lost, nothing applied twice, and every key's messages applied in order.
 */
describe('messaging: 10,000 messages, two relays, two consumers', () => {
  const topic = `test.volume.${randomUUID()}`;
  const definition = { ...ReserveStockV1, topic };
  const KEYS = 50;
  const PER_KEY = 200;
  let db: DataSource;
  let databaseUrl: string;
  let admin: Admin;
  const relays: OutboxRelay[] = [];
  const consumers: MessageConsumer[] = [];

  beforeAll(async () => {
    databaseUrl = await recreateDatabase('test_messaging_volume');
    db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true, extra: { max: 20 } });
    await db.initialize();
    await db.query('CREATE TABLE effect (id bigserial PRIMARY KEY, order_id text NOT NULL, seq integer NOT NULL)');
    await ensureTopics(infra.kafka, [{ topic }], 6);
    admin = new Kafka({ clientId: 'volume-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await Promise.all([...relays.map((r) => r.stop()), ...consumers.map((c) => c.stop())]);
    await admin?.disconnect();
    await db?.destroy();
  });

  it('delivers all of them once, in order per key', async () => {
    const group = `volume-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const consumer = new MessageConsumer({ consumer: group, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, db, topics: [topic] }).on(definition, async (data, ctx) => {
        // the sequence number rides in the quantity: 1..PER_KEY
        await ctx.manager.query('INSERT INTO effect (order_id, seq) VALUES ($1, $2)', [data.orderId, data.lines[0].quantity]);
      });
      consumers.push(consumer);
      await consumer.start();
      const relay = new OutboxRelay({ service: `volume-${topic}`, databaseUrl, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, pollIntervalMs: 200 });
      relays.push(relay);
      await relay.start();
    }

    // 200 transactions, each adding the next message of every key: per key, id order = sequence order.
    const writer = new OutboxWriter('volume-test');
    const keys = Array.from({ length: KEYS }, (_, k) => `key-${k}`);
    for (let seq = 1; seq <= PER_KEY; seq++) {
      await db.transaction(async (m) => {
        for (const orderId of keys) await writer.add(m, definition, { orderId, lines: [{ sku: 'MUG-LOGO', quantity: seq }] });
      });
    }

    const total = KEYS * PER_KEY;
    await waitFor(`${total} effects`, async () => Number((await db.query('SELECT count(*) FROM effect'))[0].count) >= total, 240_000, 1000);
    // A late duplicate would come from a message still unpublished or on the topic but not yet
    // consumed: wait until neither exists, so whatever was going to be applied has been.
    await waitFor(
      'every outbox row published and every message on the topic committed by the group',
      async () =>
        Number((await db.query('SELECT count(*) FROM outbox_message WHERE published_at IS NULL'))[0].count) === 0 &&
        (await consumerLag(admin, [{ groupId: group, topics: [topic] }])).every((p) => p.lag === 0),
      60_000,
      500,
    );

    const rows: Array<{ order_id: string; seq: number }> = await db.query('SELECT order_id, seq FROM effect ORDER BY id');
    expect(rows).toHaveLength(total);
    for (const orderId of keys) {
      const seqs = rows.filter((r) => r.order_id === orderId).map((r) => r.seq);
      expect({ orderId, inOrder: seqs.every((s, i) => s === i + 1), count: seqs.length }).toEqual({ orderId, inOrder: true, count: PER_KEY });
    }
    expect(relays.filter((r) => r.isLeader)).toHaveLength(1);
    expect(Number((await db.query('SELECT count(*) FROM outbox_message WHERE published_at IS NULL'))[0].count)).toBe(0);
  }, 300_000);
});
