import { Headers, ReserveStockV1 } from '@shop/contracts';
import { infra, recreateDatabase, repoRoot, waitFor } from '@shop/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createEnvelope, DeadLetterHeaders, encodeEnvelope, ensureTopics, MessageConsumer, messagingMigrations, NonRetryableError, type Outcome } from '../../src';

const run = promisify(execFile);

/** The documented DLQ command (npm run dlq), driven for real: list, then replay after the fix. */
describe('messaging: DLQ list and replay', () => {
  const topic = `test.dlq-replay.${randomUUID()}`;
  const Reserve = { ...ReserveStockV1, topic };
  let db: DataSource;
  let producer: Producer;
  let consumer: MessageConsumer;
  let causeFixed = false;
  /** What the consumer reported for each delivery, in order. */
  const outcomes: Outcome[] = [];

  const dlqCommand = (...args: string[]) =>
    // As `npm run dlq` runs it: through tsx, which resolves the workspace's path aliases for libs/messaging.
    run(join(repoRoot, 'node_modules/.bin/tsx'), ['--tsconfig', 'tsconfig.base.json', 'scripts/dlq.mts', ...args], { cwd: repoRoot, env: { ...process.env, KAFKA_BROKERS: infra.kafkaBrokers } });
  const effects = async (orderId: string) => Number((await db.query('SELECT count(*) FROM effect WHERE order_id = $1', [orderId]))[0].count);

  beforeAll(async () => {
    db = new DataSource({ type: 'postgres', url: await recreateDatabase('test_messaging_dlq'), migrations: messagingMigrations, migrationsRun: true });
    await db.initialize();
    await db.query('CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL)');
    await ensureTopics(infra.kafka, [{ topic }], 1);
    producer = new Kafka({ clientId: 'dlq-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    consumer = new MessageConsumer({ consumer: `dlq-test-${randomUUID()}`, brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl, db, topics: [topic], onOutcome: (outcome) => outcomes.push(outcome) }).on(
      Reserve,
      async (data, ctx) => {
        if (!causeFixed) throw new NonRetryableError('downstream rejects it until the bug is fixed');
        await ctx.manager.query('INSERT INTO effect (order_id) VALUES ($1)', [data.orderId]);
      },
    );
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await producer?.disconnect();
    await db?.destroy();
  });

  it('lists the dead letter with its origin and error, and a replay after the fix succeeds once', async () => {
    const envelope = createEnvelope(ReserveStockV1, { orderId: `replay-${randomUUID()}`, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }, 'test');
    await producer.send({ topic, messages: [encodeEnvelope(envelope)] });

    let listing = '';
    await waitFor(
      'the message in the DLQ listing',
      async () => {
        listing = (await dlqCommand('list', `${topic}.dlq`)).stdout;
        return listing.includes(envelope.id);
      },
      30_000,
      1000,
    );
    expect(listing).toContain(`1 message(s) in ${topic}.dlq`);
    expect(listing).toContain(`type inventory.reserve-stock  id ${envelope.id}`);
    expect(listing).toMatch(new RegExp(`from ${topic.replace(/\./g, '\\.')}\\[0\\]@0 .* attempts 1`));
    expect(listing).toContain('error NonRetryableError: downstream rejects it until the bug is fixed');
    expect(await effects(envelope.subject)).toBe(0);

    await expect(dlqCommand('replay', `${topic}.dlq`, '--offset', '7')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('not in') });

    causeFixed = true;
    const replayed = await dlqCommand('replay', `${topic}.dlq`, '--offset', '0');
    expect(replayed.stdout).toContain(`replayed offset 0 (inventory.reserve-stock ${envelope.id}) to ${topic}`);
    await waitFor('the replayed message handled', async () => (await effects(envelope.subject)) === 1, 30_000);

    // replaying again is harmless: the inbox knows the message id now
    const duplicatesBefore = outcomes.filter((o) => o === 'duplicate').length;
    await dlqCommand('replay', `${topic}.dlq`, '--all');
    await waitFor('the second replay delivered and recognised', async () => outcomes.filter((o) => o === 'duplicate').length > duplicatesBefore, 30_000);
    expect(await effects(envelope.subject)).toBe(1);
  });

  it('refuses a planted record whose header names another topic than its DLQ belongs to, and then replays nothing', async () => {
    const victim = `test.dlq-victim.${randomUUID()}`;
    await ensureTopics(infra.kafka, [{ topic: victim }], 1);
    const forged = encodeEnvelope(createEnvelope(ReserveStockV1, { orderId: `planted-${randomUUID()}`, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }, 'test'));
    await producer.send({ topic: `${topic}.dlq`, messages: [{ ...forged, headers: { ...forged.headers, [DeadLetterHeaders.originalTopic]: victim } }] });
    await waitFor('the planted record listed', async () => (await dlqCommand('list', `${topic}.dlq`)).stdout.includes(forged.headers[Headers.id]), 30_000, 1000);

    const admin = new Kafka({ clientId: 'dlq-test-admin', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const ends = async () => (await Promise.all([topic, victim].map((t) => admin.fetchTopicOffsets(t)))).map((offsets) => offsets.map((o) => o.high));
      const before = await ends();
      // --all holds the earlier, genuine dead letter too: it is not replayed either.
      const refused = dlqCommand('replay', `${topic}.dlq`, '--all');
      await expect(refused).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`names ${victim} as its origin (dlq-original-topic), but ${topic}.dlq holds dead letters of ${topic} only: not replayed; nothing was replayed`),
      });
      expect(await ends()).toEqual(before);
      expect(before[1]).toEqual(['0']);
    } finally {
      await admin.disconnect();
    }
  });
});
