import { infra, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { decodeEnvelope, ensureTopics, messagingMigrations, OutboxRelay, OutboxWriter, type Envelope } from '../../src';
import { child } from './support/child';
import { thingMessage } from './support/thing-message';

type Thing = { thingId: string; seq: number };

/**
 * Relay leases and shards against the real Postgres and Kafka: replicas share the outbox's
 * shards and publish in parallel; a frozen publisher (SIGSTOP, a real process) loses its shards
 * to another replica within 5 s; per-key order holds throughout.
 */
describe('messaging: outbox shards and relay leases', () => {
  const kafka = new Kafka({ clientId: 'relay-shards-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  const writer = new OutboxWriter('test');
  const relays: OutboxRelay[] = [];
  const children: ChildProcess[] = [];
  const consumers: Consumer[] = [];
  const dbs: DataSource[] = [];

  /** A database, a topic and a consumer collecting what reaches the topic. */
  async function setup(name: string) {
    const topic = `test.relay-shards.${randomUUID()}`;
    const Thing = thingMessage(topic, 'test.thing');
    const databaseUrl = await recreateDatabase(name);
    const db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true, extra: { max: 20 } });
    await db.initialize();
    dbs.push(db);
    await ensureTopics(infra.kafka, [{ topic }], 3);
    const received: Array<Envelope<Thing>> = [];
    const consumer = kafka.consumer({ groupId: `relay-shards-${randomUUID()}` });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(decodeEnvelope(message) as Envelope<Thing>) });
    const write = (thingId: string, seq: number) => db.transaction((m) => writer.add(m, Thing, { thingId, seq }));
    return { topic, db, databaseUrl, received, write };
  }

  /** Each key's first deliveries in seq order (a repeat of an earlier message is a duplicate the inbox absorbs). */
  function expectPerKeyOrder(received: Array<Envelope<Thing>>, keys: number, perKey: number): void {
    const firstSeen = new Map<string, number[]>();
    const seenIds = new Set<string>();
    for (const e of received) {
      if (seenIds.has(e.id)) continue;
      seenIds.add(e.id);
      firstSeen.set(e.data.thingId, [...(firstSeen.get(e.data.thingId) ?? []), e.data.seq]);
    }
    expect(firstSeen.size).toBe(keys);
    for (const seqs of firstSeen.values()) expect(seqs).toEqual(Array.from({ length: perKey }, (_, i) => i));
  }

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(relays.map((r) => r.stop()));
    await Promise.all(consumers.map((c) => c.disconnect()));
    await Promise.all(dbs.map((d) => d.destroy()));
  });

  it('two replicas with two shards take one each and publish in parallel; per-key order holds', async () => {
    const { db, databaseUrl, received, write } = await setup('test_messaging_relay_shards');
    const published = [0, 0];
    for (const i of [0, 1]) {
      const relay = new OutboxRelay({ service: 'shards-test', databaseUrl, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, pollIntervalMs: 200, shards: 2, onPublished: (b) => (published[i] += b.length) });
      relays.push(relay);
      await relay.start();
    }
    await waitFor('each relay to hold one shard', async () => relays.every((r) => r.ownedShards.length === 1), 15_000);
    expect(relays.flatMap((r) => r.ownedShards).sort()).toEqual([0, 1]);
    const holders = await db.query(`SELECT DISTINCT holder FROM outbox_relay_lease WHERE expires_at > now()`);
    expect(holders).toHaveLength(2);

    const keys = 20;
    const perKey = 20;
    // Each key's messages in order, the keys concurrently.
    await Promise.all(Array.from({ length: keys }, async (_, k) => {
      for (let seq = 0; seq < perKey; seq++) await write(`k${k}`, seq);
    }));
    await waitFor('every message on the topic', async () => new Set(received.map((e) => e.id)).size === keys * perKey, 30_000);
    expectPerKeyOrder(received, keys, perKey);
    // Both published a part: the shards split the keys.
    expect(published[0]).toBeGreaterThan(0);
    expect(published[1]).toBeGreaterThan(0);
    expect(published[0] + published[1]).toBeGreaterThanOrEqual(keys * perKey);

    // A clean stop gives the shard back at once: the other replica takes both.
    await relays[1].stop();
    await waitFor('the remaining relay to hold both shards', async () => relays[0].ownedShards.length === 2, 5_000);
    relays.splice(1, 1);
    await relays[0].stop();
    relays.splice(0, 1);
  });

  it('a publisher frozen with SIGSTOP loses its shard to another replica within 5 s; nothing is lost or reordered when it thaws', async () => {
    const { db, databaseUrl, received, write } = await setup('test_messaging_relay_freeze');
    const frozen = child('relay', databaseUrl, infra.kafkaBrokers, 'freeze-test', '-', '1');
    children.push(frozen.proc);
    await waitFor('the child relay to hold the outbox', async () => (await db.query(`SELECT holder FROM outbox_relay_lease WHERE shard = 0 AND expires_at > now()`)).length === 1, 20_000);
    let standbyPublished = 0;
    let standbyFirstAt = 0;
    const standby = new OutboxRelay({
      service: 'freeze-test',
      databaseUrl,
      brokers: [infra.kafkaBrokers],
      tls: infra.kafkaTls,
      sasl: infra.kafkaSasl,
      pollIntervalMs: 200,
      onPublished: (b) => {
        standbyFirstAt ||= Date.now();
        standbyPublished += b.length;
      },
    });
    relays.push(standby);
    await standby.start();

    const keys = 5;
    let seq = 0;
    const writeRound = () => Promise.all(Array.from({ length: keys }, (_, k) => write(`f${k}`, seq))).then(() => seq++);
    await writeRound();
    await waitFor('the child to publish the first round', async () => received.length >= keys, 15_000);
    expect(standbyPublished).toBe(0); // on standby while the child holds the lease

    process.kill(frozen.proc.pid as number, 'SIGSTOP');
    const frozenAt = Date.now();
    // Orders keep coming while it is frozen.
    const writing = (async () => {
      while (Date.now() - frozenAt < 8000) {
        await writeRound();
        await new Promise((r) => setTimeout(r, 200)); // the pace of the writes, not a synchronisation
      }
    })();
    await waitFor('the standby to publish', async () => standbyPublished > 0, 10_000);
    const takeoverMs = standbyFirstAt - frozenAt;
    expect(takeoverMs).toBeLessThan(5000);
    await writing;

    process.kill(frozen.proc.pid as number, 'SIGCONT');
    await writeRound();
    await waitFor('every message on the topic', async () => new Set(received.map((e) => e.id)).size === keys * seq, 20_000);
    expectPerKeyOrder(received, keys, seq);
    // The thawed relay renews nothing it lost: one holder of the shard, the standby.
    await waitFor('one live holder', async () => (await db.query(`SELECT holder FROM outbox_relay_lease WHERE shard = 0 AND expires_at > now()`)).length === 1, 5_000);
    expect(standby.ownedShards).toEqual([0]);
    frozen.proc.kill('SIGKILL');
    await frozen.ended;
    process.stdout.write(`relay takeover after SIGSTOP: ${takeoverMs} ms\n`);
  });
});
