import { infra, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { decodeEnvelope, ensureTopics, messagingMigrations, OutboxRelay, OutboxWriter, RELAY_RECONNECT_BACKOFF, type Envelope } from '../../src';
import { thingMessage } from './support/thing-message';

/** Outbox -> relay -> real Kafka, against the real Postgres. Each run uses its own topic. */
describe('messaging: transactional outbox and relay', () => {
  const topic = `test.outbox.${randomUUID()}`;
  const ThingHappened = thingMessage(topic);
  const kafka = new Kafka({ clientId: 'outbox-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  let db: DataSource;
  let databaseUrl: string;
  let consumer: Consumer;
  const received: Envelope<{ thingId: string; seq: number }>[] = [];
  const writer = new OutboxWriter('test');
  const relays: OutboxRelay[] = [];
  const relay = () => {
    const r = new OutboxRelay({ service: `outbox-test-${topic}`, databaseUrl, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, pollIntervalMs: 200 });
    relays.push(r);
    return r;
  };
  const publish = (thingId: string, seq: number) => db.transaction((m) => writer.add(m, ThingHappened, { thingId, seq }));

  beforeAll(async () => {
    databaseUrl = await recreateDatabase('test_messaging_outbox');
    db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true, extra: { max: 20 } });
    await db.initialize();
    await ensureTopics(infra.kafka, [{ topic }], 3);
    consumer = kafka.consumer({ groupId: `outbox-test-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(decodeEnvelope(message) as Envelope<{ thingId: string; seq: number }>) });
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await consumer?.disconnect();
    await db?.destroy();
  });

  it('publishes a committed message with its CloudEvents headers and marks it published; a rolled-back one never leaves', async () => {
    const r = relay();
    await r.start();
    await expect(
      db.transaction(async (m) => {
        await writer.add(m, ThingHappened, { thingId: 'rolled-back', seq: 0 });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const sent = await publish('thing-1', 1);
    await waitFor('the message on Kafka', async () => received.some((e) => e.id === sent.id), 15_000);
    const got = received.find((e) => e.id === sent.id);
    expect(got).toMatchObject({ type: 'test.thing-happened', version: 1, source: 'test', subject: 'thing-1', data: { thingId: 'thing-1', seq: 1 } });
    await waitFor('the row marked published', async () => {
      const [row] = await db.query('SELECT published_at FROM outbox_message WHERE message_id = $1', [sent.id]);
      return row.published_at !== null;
    });
    expect(received.some((e) => e.subject === 'rolled-back')).toBe(false);
    expect(Number((await db.query(`SELECT count(*) FROM outbox_message WHERE message_key = 'rolled-back'`))[0].count)).toBe(0);
  });

  it('keeps per-key order for 500 messages over 10 keys written concurrently, with two relays running', async () => {
    relay().start();
    const keys = Array.from({ length: 10 }, (_, i) => `key-${i}-${randomUUID()}`);
    // Each key's messages are written in sequence (as one aggregate's would be); keys run concurrently.
    await Promise.all(keys.map(async (key) => {
      for (let seq = 0; seq < 50; seq++) await publish(key, seq);
    }));
    await waitFor('all 500 messages', async () => received.filter((e) => keys.includes(e.subject)).length >= 500, 60_000);
    for (const key of keys) {
      const seqs = received.filter((e) => e.subject === key).map((e) => e.data.seq);
      expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i));
    }
    expect(relays.filter((r) => r.isLeader)).toHaveLength(1);
  });

  it('hands over to the standby relay when the publisher stops', async () => {
    const leader = relays.find((r) => r.isLeader);
    if (!leader) throw new Error('no leader');
    await leader.stop();
    const sent = await publish('after-handover', 1);
    await waitFor('the standby to publish', async () => received.some((e) => e.id === sent.id), 20_000);
    expect(relays.filter((r) => r.isLeader)).toHaveLength(1);
  });

  it('prunes published rows once they are older than the retention, and inbox records older than theirs', async () => {
    await Promise.all(relays.map((r) => r.stop())); // the pruning relay must be the publisher
    const pruning = new OutboxRelay({
      service: `outbox-prune-${topic}`,
      databaseUrl,
      brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl,
      pollIntervalMs: 100,
      retentionMs: 1500,
      inboxRetentionMs: 60 * 60 * 1000,
      pruneIntervalMs: 100,
    });
    const inbox = `prune-${randomUUID()}`;
    await db.query(
      `INSERT INTO inbox_message (consumer, message_id, topic, received_at) VALUES ($1, 'old', 't', now() - interval '61 minutes'), ($1, 'recent', 't', now() - interval '59 minutes')`,
      [inbox],
    );
    const kept = async () => (await db.query('SELECT message_id FROM inbox_message WHERE consumer = $1 ORDER BY message_id', [inbox])).map((r: { message_id: string }) => r.message_id);
    relays.push(pruning);
    await pruning.start();
    const sent = await publish('to-prune', 1);
    const count = async () => Number((await db.query('SELECT count(*) FROM outbox_message WHERE message_id = $1', [sent.id]))[0].count);
    await waitFor('published', async () => received.some((e) => e.id === sent.id), 15_000);
    expect(await count()).toBe(1); // younger than the retention: kept
    await waitFor('pruned', async () => (await count()) === 0, 15_000);
    expect(pruning.isLeader).toBe(true);
    expect(await kept()).toEqual(['recent']);
    await pruning.stop();
  });

  it('backs off while its database is unreachable (100 ms doubled per failure), and stops at once meanwhile', async () => {
    // A "database" on 127.0.0.1 that hangs up on every connection: each is one reconnect attempt.
    const attempts: number[] = [];
    const server = createServer((socket) => {
      attempts.push(Date.now());
      socket.destroy();
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const { port } = server.address() as AddressInfo;
    const unreachable = new OutboxRelay({ service: `outbox-down-${topic}`, databaseUrl: `postgres://nobody@127.0.0.1:${port}/none`, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl });
    try {
      await unreachable.start();
      await waitFor('five attempts', async () => attempts.length >= 5, 10_000);
      const gaps = attempts.slice(1, 5).map((at, i) => at - attempts[i]);
      const waits = gaps.map((_, i) => Math.min(RELAY_RECONNECT_BACKOFF.maxMs, RELAY_RECONNECT_BACKOFF.baseMs * 2 ** i));
      expect(waits).toEqual([100, 200, 400, 800]);
      // Each gap is the backoff plus the attempt itself (a timer never fires early; 5 ms for clock rounding).
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(waits[i] - 5));
      const stopping = Date.now();
      await unreachable.stop();
      expect(Date.now() - stopping).toBeLessThan(500); // the fifth wait is 1,600 ms: stop() cut it short
    } finally {
      await unreachable.stop();
      await new Promise((closed) => server.close(closed));
    }
  });
});
