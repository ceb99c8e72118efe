import { ReserveStockV1 } from '@shop/contracts';
import { infra, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createEnvelope, DeadLetterHeaders, encodeEnvelope, ensureTopics, headerStrings, MessageConsumer, messagingMigrations, NonRetryableError, type Outcome } from '../../src';
import { readDeadLetters } from './support/dead-letters';

/** The consumer side against the real Kafka and Postgres. Each run uses its own topic and group. */
describe('messaging: idempotent consumer, retries and dead-letter topic', () => {
  const topic = `test.consumer.${randomUUID()}`;
  const Reserve = { ...ReserveStockV1, topic };
  /** Also read by the consumer, but no contract of the types it handles names it. */
  const foreign = `test.consumer-foreign.${randomUUID()}`;
  const kafka = new Kafka({ clientId: 'consumer-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  let db: DataSource;
  let producer: Producer;
  let dlqReader: Consumer;
  let foreignDlqReader: Consumer;
  const foreignDlq: KafkaMessage[] = [];
  let consumer: MessageConsumer;
  const dlq: KafkaMessage[] = [];
  const outcomes: Array<{ outcome: Outcome; type?: string }> = [];
  const failuresLeft = new Map<string, number>();
  const group = `consumer-test-${randomUUID()}`;
  /** When the consumer sent each OffsetCommit request. */
  const commits: number[] = [];

  const send = async (records: Array<{ key: string; value: string; headers: Record<string, string> }>) =>
    producer.send({ topic, messages: records });
  const reserve = (orderId: string) => encodeEnvelope(createEnvelope(ReserveStockV1, { orderId, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }, 'test'));
  const effects = async (orderId: string) => Number((await db.query('SELECT count(*) FROM effect WHERE order_id = $1', [orderId]))[0].count);

  beforeAll(async () => {
    db = new DataSource({ type: 'postgres', url: await recreateDatabase('test_messaging_consumer'), migrations: messagingMigrations, migrationsRun: true });
    await db.initialize();
    // tx: the transaction that wrote the effect, to see which messages shared one.
    await db.query('CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL, message_id text NOT NULL, tx bigint NOT NULL DEFAULT txid_current())');
    await ensureTopics(infra.kafka, [{ topic }, { topic: foreign }], 1); // one partition: order across messages is observable
    producer = kafka.producer();
    await producer.connect();

    consumer = new MessageConsumer({
      consumer: group,
      brokers: [infra.kafkaBrokers], tls: infra.kafkaTls, sasl: infra.kafkaSasl,
      db,
      topics: [topic, foreign],
      retry: { attempts: 3, baseMs: 20, maxMs: 100 },
      commitIntervalMs: 500,
      onOutcome: (outcome, type) => outcomes.push({ outcome, type }),
      onKafkaRequest: (client, api) => void (client === 'consumer' && api === 'OffsetCommit' && commits.push(Date.now())),
    }).on(Reserve, async (data, ctx) => {
      await ctx.manager.query('INSERT INTO effect (order_id, message_id) VALUES ($1, $2)', [data.orderId, ctx.envelope.id]);
      if (data.orderId.startsWith('fatal-')) throw new NonRetryableError('this order can never be handled');
      const left = failuresLeft.get(data.orderId) ?? 0;
      if (left > 0) {
        failuresLeft.set(data.orderId, left - 1);
        throw new Error(`transient failure, ${left} left`);
      }
    });
    await consumer.start();

    dlqReader = await readDeadLetters(kafka, topic, dlq);
    foreignDlqReader = await readDeadLetters(kafka, foreign, foreignDlq);
  });

  afterAll(async () => {
    await consumer?.stop();
    await dlqReader?.disconnect();
    await foreignDlqReader?.disconnect();
    await producer?.disconnect();
    await db?.destroy();
  });

  it('the same message delivered 100 times has one effect', async () => {
    const record = reserve(`dup-${randomUUID()}`);
    const orderId = record.key;
    await send(Array.from({ length: 100 }, () => record));
    await waitFor('all 100 deliveries processed', async () => outcomes.filter((o) => ['handled', 'duplicate'].includes(o.outcome)).length >= 100, 30_000);
    expect(await effects(orderId)).toBe(1);
    expect(outcomes.filter((o) => o.outcome === 'handled')).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === 'duplicate')).toHaveLength(99);
  });

  it('sends poison to the DLQ at once, with its origin and error, and goes on with the messages behind it', async () => {
    const valid = reserve(`after-poison-${randomUUID()}`);
    const notJson = { ...reserve('poison-json'), value: '{oops' };
    const badData = encodeEnvelope(createEnvelope(ReserveStockV1, { orderId: 'poison-schema', lines: [] }, 'test'));
    await send([notJson, badData, valid]);
    await waitFor('the valid message behind the poison handled', async () => (await effects(valid.key)) === 1, 30_000);
    await waitFor('two messages in the DLQ', async () => dlq.filter((m) => ['poison-json', 'poison-schema'].includes(String(m.key))).length === 2, 15_000);

    const json = headerStrings(dlq.find((m) => String(m.key) === 'poison-json') as KafkaMessage);
    expect(json).toMatchObject({
      [DeadLetterHeaders.errorClass]: 'PoisonMessageError',
      [DeadLetterHeaders.originalTopic]: topic,
      [DeadLetterHeaders.originalPartition]: '0',
      [DeadLetterHeaders.attempts]: '0',
      ce_type: 'inventory.reserve-stock',
    });
    expect(json[DeadLetterHeaders.error]).toMatch(/^INVALID_JSON/);
    expect(json[DeadLetterHeaders.originalOffset]).toMatch(/^\d+$/);
    const schema = headerStrings(dlq.find((m) => String(m.key) === 'poison-schema') as KafkaMessage);
    expect(schema[DeadLetterHeaders.error]).toBe('SCHEMA_INVALID: inventory.reserve-stock@1: /lines must NOT have fewer than 1 items');
    expect(await effects('poison-schema')).toBe(0);
  });

  it('retries a transient failure and succeeds without touching the DLQ; rolled-back attempts leave no effect', async () => {
    const record = reserve(`flaky-${randomUUID()}`);
    failuresLeft.set(record.key, 2);
    await send([record]);
    await waitFor('the flaky message handled', async () => (await effects(record.key)) === 1, 30_000);
    expect(dlq.some((m) => String(m.key) === record.key)).toBe(false);
    expect(outcomes.some((o) => o.outcome === 'retried')).toBe(true);
  });

  it('dead-letters after the retry budget, and at once for a NonRetryableError', async () => {
    const exhausted = reserve(`exhausted-${randomUUID()}`);
    failuresLeft.set(exhausted.key, 99);
    const fatal = reserve(`fatal-${randomUUID()}`);
    await send([exhausted, fatal]);
    await waitFor('both in the DLQ', async () => dlq.filter((m) => [exhausted.key, fatal.key].includes(String(m.key))).length === 2, 30_000);
    const budget = headerStrings(dlq.find((m) => String(m.key) === exhausted.key) as KafkaMessage);
    expect(budget).toMatchObject({ [DeadLetterHeaders.attempts]: '3', [DeadLetterHeaders.error]: 'transient failure, 97 left' });
    const nonRetryable = headerStrings(dlq.find((m) => String(m.key) === fatal.key) as KafkaMessage);
    expect(nonRetryable).toMatchObject({ [DeadLetterHeaders.attempts]: '1', [DeadLetterHeaders.errorClass]: 'NonRetryableError' });
    // every failed attempt rolled back its effect
    expect(await effects(exhausted.key)).toBe(0);
    expect(await effects(fatal.key)).toBe(0);
  });

  it('handles a fetched batch in one transaction, in order; a message failing in it is dead-lettered alone and every other one has its effect once', async () => {
    const run = randomUUID();
    // One send: one record batch on the broker, so one fetch brings all 30.
    const records = Array.from({ length: 30 }, (_, i) => reserve(i === 15 ? `fatal-${run}` : `batch-${run}-${i}`));
    await send(records);
    await waitFor('the 29 others handled', async () => Number((await db.query(`SELECT count(*) FROM effect WHERE order_id LIKE $1`, [`batch-${run}-%`]))[0].count) === 29, 30_000);
    await waitFor('the failing one in the DLQ', async () => dlq.some((m) => String(m.key) === `fatal-${run}`), 15_000);

    const rows: Array<{ order_id: string; tx: string }> = await db.query(`SELECT order_id, tx FROM effect WHERE order_id LIKE $1 ORDER BY id`, [`batch-${run}-%`]);
    expect(rows.map((r) => r.order_id)).toEqual(records.map((r) => r.key).filter((key) => key.startsWith('batch-')));
    // The 15 before the failing one were rolled back with it and handled one transaction each;
    // the 14 after it shared one transaction again.
    const txs = new Set(rows.map((r) => r.tx));
    expect(txs.size).toBe(16);
    expect(new Set(rows.slice(15).map((r) => r.tx)).size).toBe(1);
    expect(await effects(`fatal-${run}`)).toBe(0);
    const dead = headerStrings(dlq.find((m) => String(m.key) === `fatal-${run}`) as KafkaMessage);
    expect(dead).toMatchObject({ [DeadLetterHeaders.attempts]: '1', [DeadLetterHeaders.errorClass]: 'NonRetryableError' });
  });

  it('commits offsets at most every commitIntervalMs, not once per fetched batch, up to the last handled message', async () => {
    const run = randomUUID();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const started = Date.now();
      const commitsBefore = commits.length;
      // 20 sends, 20 ms apart: each arrives on its own and is fetched as a batch of its own.
      for (let i = 0; i < 20; i++) {
        await send([reserve(`spaced-${run}-${i}`)]);
        await new Promise((r) => setTimeout(r, 20));
      }
      await waitFor('the 20 handled', async () => Number((await db.query(`SELECT count(*) FROM effect WHERE order_id LIKE $1`, [`spaced-${run}-%`]))[0].count) === 20, 30_000);
      const [end] = await admin.fetchTopicOffsets(topic);
      const committed = async () => (await admin.fetchOffsets({ groupId: group, topics: [topic] }))[0].partitions[0].offset;
      await waitFor('the group committed up to the end of the partition', async () => (await committed()) === end.offset, 5_000);
      const elapsed = Date.now() - started;
      expect(commits.length - commitsBefore).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 1);
      expect(commits.length - commitsBefore).toBeLessThan(20);
    } finally {
      await admin.disconnect();
    }
  });

  it('ignores, and counts, a type or version it does not handle (a newer producer): only handled types are validated', async () => {
    const valid = reserve(`after-unknown-${randomUUID()}`);
    // A version this consumer has no handler (and no contract) for, with data the v1 schema rejects.
    const newerVersion = { ...reserve(`v99-${randomUUID()}`), value: JSON.stringify({ orderId: 'v99', items: 'a v99 shape' }) };
    newerVersion.headers = { ...newerVersion.headers, ce_dataversion: '99' };
    const otherType = { ...reserve(`other-${randomUUID()}`) };
    otherType.headers = { ...otherType.headers, ce_type: 'someone-else.thing-happened' };
    const ignoredBefore = outcomes.filter((o) => o.outcome === 'ignored').length;
    await send([newerVersion, otherType, valid]);
    await waitFor('the valid message behind them handled', async () => (await effects(valid.key)) === 1, 30_000);
    expect(outcomes.filter((o) => o.outcome === 'ignored').length - ignoredBefore).toBe(2);
    expect(outcomes.filter((o) => o.outcome === 'ignored').map((o) => o.type)).toEqual(expect.arrayContaining(['inventory.reserve-stock', 'someone-else.thing-happened']));
    expect(dlq.some((m) => [newerVersion.key, otherType.key].includes(String(m.key)))).toBe(false);
    expect(await effects(newerVersion.key)).toBe(0);
  });

  it('refuses a type it handles on a topic its contract does not name: dead-lettered as FORGED at once, counted as forged, never handled', async () => {
    const forged = reserve(`forged-${randomUUID()}`);
    const valid = reserve(`after-forged-${randomUUID()}`);
    const forgedBefore = outcomes.filter((o) => o.outcome === 'forged').length;
    await producer.send({ topic: foreign, messages: [forged, valid] });
    await waitFor('both in the foreign topic\'s DLQ', async () => foreignDlq.filter((m) => [forged.key, valid.key].includes(String(m.key))).length === 2, 30_000);
    const dead = headerStrings(foreignDlq.find((m) => String(m.key) === forged.key) as KafkaMessage);
    expect(dead).toMatchObject({
      [DeadLetterHeaders.errorClass]: 'PoisonMessageError',
      [DeadLetterHeaders.error]: `FORGED: inventory.reserve-stock@1 travels only on ${topic}, not on ${foreign}`,
      [DeadLetterHeaders.originalTopic]: foreign,
      [DeadLetterHeaders.attempts]: '0',
    });
    expect(outcomes.filter((o) => o.outcome === 'forged').length - forgedBefore).toBe(2);
    expect(await effects(forged.key)).toBe(0);
    expect(await effects(valid.key)).toBe(0);
    // The same message on its own topic is handled.
    await send([valid]);
    await waitFor('the message handled on its own topic', async () => (await effects(valid.key)) === 1, 30_000);
  });
});
