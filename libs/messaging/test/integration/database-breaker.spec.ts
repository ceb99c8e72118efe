import { ReserveStockV1 } from '@shop/contracts';
import { CuttablePostgres, infra, recreateDatabase, waitFor } from '@shop/testing';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createEnvelope, deadLetterTopic, encodeEnvelope, ensureTopics, MessageConsumer, messagingMigrations, NonRetryableError, type BreakerTransition, type Outcome } from '../../src';
import { readDeadLetters } from './support/dead-letters';

/** The proxy in front of the real Postgres that this spec cuts (its own port). */
const PROXY_PORT = 20101; // below the ephemeral port range (32768-60999)
const PARTITIONS = 3;

/**
 * The consumer's database breaker against the real Kafka and Postgres: the database is cut
 * (every connection reset) while messages arrive, and a second member joins the group meanwhile.
 */
describe('messaging: the database breaker pauses the consumer while its database is unreachable', () => {
  const topic = `test.db-breaker.${randomUUID()}`;
  const group = `db-breaker-test-${randomUUID()}`;
  const Reserve = { ...ReserveStockV1, topic };
  const kafka = new Kafka({ clientId: 'db-breaker-test', brokers: [infra.kafkaBrokers], ssl: infra.kafkaSsl, sasl: infra.kafkaSasl, logLevel: logLevel.NOTHING });
  const proxy = new CuttablePostgres();
  const dlq: KafkaMessage[] = [];
  let direct: DataSource;
  let proxied: DataSource;
  let producer: Producer;
  let dlqReader: Consumer;
  const members: Member[] = [];

  interface Member {
    consumer: MessageConsumer;
    outcomes: Outcome[];
    transitions: BreakerTransition[];
    /** Fetch requests this member's consumer sent to Kafka. */
    fetches: number;
    /** Handler calls (each inside its transaction, before the commit). */
    calls: string[];
  }

  const reserve = (orderId: string) => encodeEnvelope(createEnvelope(ReserveStockV1, { orderId, lines: [{ sku: 'MUG-LOGO', quantity: 1 }] }, 'test'));
  const effects = async (orderIds: string[]) =>
    (await direct.query('SELECT order_id, count(*)::int AS n FROM effect WHERE order_id = ANY($1) GROUP BY order_id', [orderIds])) as Array<{ order_id: string; n: number }>;

  async function member(): Promise<Member> {
    const m: Member = { consumer: undefined as unknown as MessageConsumer, outcomes: [], transitions: [], fetches: 0, calls: [] };
    m.consumer = new MessageConsumer({
      consumer: group,
      brokers: [infra.kafkaBrokers],
      tls: infra.kafkaTls,
      sasl: infra.kafkaSasl,
      db: proxied,
      topics: [topic],
      retry: { attempts: 3, baseMs: 20, maxMs: 100 },
      breaker: { probeBaseMs: 100, probeMaxMs: 400, trialWindowMs: 2000 },
      onOutcome: (outcome) => m.outcomes.push(outcome),
      onBreakerTransition: (t) => m.transitions.push(t),
      onKafkaRequest: (client, api) => void (client === 'consumer' && api === 'Fetch' && m.fetches++),
    }).on(Reserve, async (data, ctx) => {
      m.calls.push(data.orderId);
      if (data.orderId.startsWith('fatal-')) throw new NonRetryableError('this order can never be handled');
      await ctx.manager.query('INSERT INTO effect (order_id) VALUES ($1)', [data.orderId]);
    });
    members.push(m);
    await m.consumer.start();
    return m;
  }

  beforeAll(async () => {
    const url = await recreateDatabase('test_messaging_db_breaker');
    direct = new DataSource({ type: 'postgres', url, migrations: messagingMigrations, migrationsRun: true });
    await direct.initialize();
    await direct.query('CREATE TABLE effect (id serial PRIMARY KEY, order_id text NOT NULL)');
    await proxy.listen(PROXY_PORT);
    proxied = new DataSource({ type: 'postgres', url: url.replace(`:${infra.pgPort}/`, `:${PROXY_PORT}/`), extra: { connectionTimeoutMillis: 2000 } });
    await proxied.initialize();
    await ensureTopics(infra.kafka, [{ topic }, { topic: deadLetterTopic(topic) }], PARTITIONS);
    producer = kafka.producer();
    await producer.connect();
    dlqReader = await readDeadLetters(kafka, topic, dlq);
  });

  afterAll(async () => {
    for (const m of members) await m.consumer.stop();
    await dlqReader?.disconnect();
    await producer?.disconnect();
    await proxied?.destroy();
    await proxy.close();
    await direct?.destroy();
  });

  it('opens on the first unreachable delivery, fetches nothing and spends no attempt while open (across a rebalance), closes once the database answers: each message handled once', async () => {
    const first = await member();
    const warmUp = reserve(`warm-${randomUUID()}`);
    await producer.send({ topic, messages: [warmUp] });
    await waitFor('the first message handled', async () => (await effects([warmUp.key])).length === 1, 30_000);

    proxy.cut();
    const during = Array.from({ length: 30 }, (_, i) => ({ ...reserve(`during-${i}-${randomUUID()}`), partition: i % PARTITIONS }));
    await producer.send({ topic, messages: during });
    await waitFor('the breaker open', async () => first.consumer.breakers[0].state === 'open', 30_000);
    expect(first.transitions.map((t) => `${t.from}->${t.to}`)).toEqual(['closed->open']);
    expect(first.transitions[0]).toMatchObject({ consumer: group, dependency: 'database', event: 'down' });

    // Paused: while the breaker probes (each probe is one refused connection), no fetch goes out.
    const fetchesWhenOpen = first.fetches;
    const refusedWhenOpen = proxy.refused;
    await waitFor('three more probes of the database', async () => proxy.refused >= refusedWhenOpen + 3, 30_000);
    expect(first.fetches).toBe(fetchesWhenOpen);

    // A second member joins while the database is still unreachable: the group rebalances. The
    // first keeps its pause; the second opens its own breaker at its first delivery.
    // (The second joins only once the first has rejoined too: the group waits for its known members.)
    const second = await member();
    await waitFor('the second member joined and its breaker open', async () => second.consumer.joined && second.consumer.breakers[0].state === 'open', 60_000);
    const fetchesAfterRebalance = [first.fetches, second.fetches];
    const refusedAfterRebalance = proxy.refused;
    await waitFor('three more probes after the rebalance', async () => proxy.refused >= refusedAfterRebalance + 3, 30_000);
    expect([first.fetches, second.fetches]).toEqual(fetchesAfterRebalance);
    // No attempt was spent and nothing dead-lettered: only the warm-up has an outcome so far.
    expect([...first.outcomes, ...second.outcomes]).toEqual(['handled']);

    proxy.restore();
    await waitFor('every message handled once the database answers', async () => (await effects(during.map((m) => m.key))).length === during.length, 60_000);
    await waitFor('both breakers closed', async () => members.every((m) => m.consumer.breakers[0].state === 'closed'), 30_000);
    for (const m of members) {
      const path = m.transitions.map((t) => `${t.from}->${t.to}`);
      expect(path[0]).toBe('closed->open');
      expect(path.at(-1)).toBe('half_open->closed');
      expect(path).not.toContain('closed->closed');
    }
    expect((await effects(during.map((m) => m.key))).every((e) => e.n === 1)).toBe(true);
    const outcomes = [...first.outcomes, ...second.outcomes];
    expect(outcomes.filter((o) => o === 'retried' || o === 'dead_lettered')).toEqual([]);
    // Handled: the warm-up and the 30, each once; a redelivery of what was committed but not yet
    // acknowledged to Kafka is a duplicate (no effect).
    expect(outcomes.filter((o) => o === 'handled')).toHaveLength(1 + during.length);

    // The DLQ reader has caught up once it holds a message sent after: only that one is there.
    const fatal = { ...reserve(`fatal-${randomUUID()}`), partition: 0 };
    await producer.send({ topic, messages: [fatal] });
    await waitFor('the NonRetryableError dead-lettered', async () => dlq.some((m) => String(m.key) === fatal.key), 30_000);
    expect(dlq.map((m) => String(m.key))).toEqual([fatal.key]);
    // A message's own failure is not the database's: the breakers stayed closed.
    expect(members.map((m) => m.consumer.breakers[0].state)).toEqual(['closed', 'closed']);
  }, 240_000);
});
