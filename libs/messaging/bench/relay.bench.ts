/**
 * Outbox relay benchmark (not a test): `npm run bench:relay`.
 * 1. Latency: messages committed one per transaction at a steady rate while the relay runs;
 *    measured from the COMMIT returning to the broker's ack, as seen in this process.
 *    Beside it, in the same run, a direct kafkajs send (acks=all) of the same size: the floor.
 * 2. Drain: a backlog committed in one transaction while the relays wait: messages/second, with
 *    the outbox in 1, 2 and 4 shards and as many relays, one shard each (in this one process: the
 *    parallel pipelines to Kafka, not more CPUs).
 * Talks only to the local Kafka and Postgres (KAFKA_BROKERS, BENCH_ADMIN_URL: a superuser's URL, a
 * scratch database is made beside it); connects to Kafka as the local admin (KAFKA_ADMIN_PASSWORD,
 * default the local-only `admin-local`), over TLS when KAFKA_SECURITY_PROTOCOL=SASL_SSL (the CA in
 * NODE_EXTRA_CA_CERTS): scripts/bench-relay.sh sets them from the local infrastructure.
 */
import { ReserveStockV1 } from '@shop/contracts';
import { logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ensureTopics, kafkaClient, messagingMigrations, OutboxRelay, OutboxWriter } from '../src';

const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const sasl = { username: 'admin', password: process.env['KAFKA_ADMIN_PASSWORD'] ?? 'admin-local' };
const tls = process.env['KAFKA_SECURITY_PROTOCOL'] === 'SASL_SSL';
const adminUrl = process.env['BENCH_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const LATENCY_MESSAGES = Number(process.env['BENCH_LATENCY_MESSAGES'] ?? 1000);
const RATE_PER_SECOND = Number(process.env['BENCH_RATE'] ?? 200);
const BACKLOG = Number(process.env['BENCH_BACKLOG'] ?? 20_000);
const SHARDS = (process.env['BENCH_SHARDS'] ?? '1,2,4').split(',').map(Number);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;
function summary(label: string, samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(38)} n=${s.length}  p50 ${fmt(percentile(s, 50))}  p95 ${fmt(percentile(s, 95))}  p99 ${fmt(percentile(s, 99))}  max ${fmt(s[s.length - 1])}`;
}

async function main(): Promise<void> {
  const database = `bench_relay_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await admin.query(`CREATE DATABASE ${database}`);
  // The same server and TLS settings (the query string), another database.
  const scratch = new URL(adminUrl);
  scratch.pathname = `/${database}`;
  const databaseUrl = scratch.toString();
  const db = new DataSource({ type: 'postgres', url: databaseUrl, migrations: messagingMigrations, migrationsRun: true, extra: { max: 10 } });
  await db.initialize();
  const topic = `bench.relay.${randomUUID()}`;
  await ensureTopics({ brokers, sasl, tls }, [{ topic }], 3);
  const definition = { ...ReserveStockV1, topic };
  const writer = new OutboxWriter('bench');
  const data = (i: number) => ({ orderId: `order-${i % 100}`, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] });

  console.log(`relay benchmark: Kafka ${brokers.join(',')}, Postgres database ${database}`);

  // Floor: a direct send with the same producer settings, same message size.
  const producer = kafkaClient({ brokers, sasl, tls }, { clientId: 'bench-direct', logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const direct: number[] = [];
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    const t0 = performance.now();
    await producer.send({ topic, messages: [{ key: `order-${i % 100}`, value: JSON.stringify(data(i)) }] });
    direct.push(performance.now() - t0);
  }
  await producer.disconnect();

  // 1. Commit -> ack through the relay, at a steady rate.
  // Both times are kept and matched at the end: the relay can ack a row before the loop below has
  // recorded its commit time (the NOTIFY wakes it as the COMMIT returns). Such rows have no
  // measurable latency and are left out of the samples (n shows how many remain); waiting for
  // their samples instead is what made the benchmark wait forever.
  const committedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  let drained = 0;
  const relay = new OutboxRelay({
    service: `bench-${topic}`,
    databaseUrl,
    brokers,
    sasl,
    tls,
    batchSize: 500,
    onPublished: (batch) => {
      const now = performance.now();
      for (const m of batch) ackedAt.set(m.messageId, now);
      drained += batch.length;
    },
  });
  await relay.start();
  while (!relay.isLeader) await new Promise((r) => setTimeout(r, 50)); // holds the outbox's lease
  const interval = 1000 / RATE_PER_SECOND;
  const begin = performance.now();
  for (let i = 0; i < LATENCY_MESSAGES; i++) {
    const due = begin + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const envelope = await db.transaction((m) => writer.add(m, definition, data(i)));
    committedAt.set(envelope.id, performance.now());
  }
  while (ackedAt.size < LATENCY_MESSAGES) await new Promise((r) => setTimeout(r, 50));
  const latencies = [...committedAt].map(([id, t]) => (ackedAt.get(id) ?? Number.NaN) - t).filter((ms) => ms >= 0);
  await relay.stop();

  // 2. Drain: with the outbox in 1, 2 and 4 shards and as many relays, each holding its share
  // (idle, the outbox empty), a backlog committed in one transaction: from its commit until the
  // last row is acked.
  const drains: Array<{ shards: number; seconds: number }> = [];
  for (const shards of SHARDS) {
    await db.query('DELETE FROM outbox_relay_lease');
    drained = 0;
    const drainRelays = Array.from(
      { length: shards },
      () => new OutboxRelay({ service: `bench-drain-${topic}`, databaseUrl, brokers, sasl, tls, batchSize: 500, shards, onPublished: (b) => (drained += b.length) }),
    );
    await Promise.all(drainRelays.map((r) => r.start()));
    while (!drainRelays.every((r) => r.ownedShards.length === 1)) await new Promise((r) => setTimeout(r, 50));
    await db.transaction(async (m) => {
      for (let i = 0; i < BACKLOG; i++) await writer.add(m, definition, data(i));
    });
    const drainStart = performance.now();
    while (drained < BACKLOG) await new Promise((r) => setTimeout(r, 20));
    drains.push({ shards, seconds: (performance.now() - drainStart) / 1000 });
    await Promise.all(drainRelays.map((r) => r.stop()));
  }

  console.log('');
  console.log(summary('direct send, acks=all (floor)', direct));
  console.log(summary(`relay: commit -> broker ack @ ${RATE_PER_SECOND}/s`, latencies));
  for (const { shards, seconds } of drains) {
    const label = `relay: backlog drain, ${shards} shard${shards > 1 ? 's' : ''}`;
    console.log(`${label.padEnd(38)} ${BACKLOG} messages in ${seconds.toFixed(2)} s = ${Math.round(BACKLOG / seconds)} messages/s (${shards} relay${shards > 1 ? 's' : ''})`);
  }
  console.log('targets: relay p50 <= 5 ms, drain >= 2000 messages/s');

  await db.destroy();
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.end();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
