import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { logLevel, type Admin } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { consumerLag, type PartitionLag } from '../kafka/consumer-lag';
import { kafkaClient, type KafkaConnection } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import type { Outcome } from '../consumer/message-consumer';
import { BREAKER_STATE_VALUE } from '../resilience/dependency-breaker';
import type { DependencyBreakers } from '../resilience/dependency-breakers';

export interface MessagingMetricsOptions {
  registry: Registry;
  /** The service's database: the outbox gauges are read from it at scrape time. */
  db?: DataSource;
  /** The cluster the consumer lag is read from. */
  kafka?: KafkaConnection;
  /**
   * Consumer groups whose lag is reported, computed from Kafka offsets at scrape time. A function
   * is asked at each scrape (a service's consumer is known only once its transport listens).
   */
  consumerGroups?: ConsumerGroups | (() => ConsumerGroups);
  /** The service's dependency breakers: their state is read at scrape time, their transitions counted. */
  breakers?: DependencyBreakers;
}

type ConsumerGroups = Array<{ groupId: string; topics: string[] }>;

/**
 * `read` at most once a second: the gauges of one scrape collect concurrently and share its answer
 * (one outbox query, one round of offset requests to Kafka per scrape).
 */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; result: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > 1000) last = { at: Date.now(), result: read() };
    return last.result;
  };
}

interface OutboxReading {
  backlog: number;
  oldestAgeS: number;
}

function groupsOf(options: MessagingMetricsOptions): ConsumerGroups {
  const groups = options.consumerGroups;
  return typeof groups === 'function' ? groups() : (groups ?? []);
}

/** Which of a service's Kafka clients sent a request. */
export type KafkaClientRole = 'relay' | 'consumer' | 'dead-letter';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The messaging metrics of one service, on its own registry. Counters and histograms are fed by
 * the relay (`observePublished`) and the consumers (`observeOutcome`); the outbox backlog and
 * the consumer lag are measured when Prometheus scrapes, so they are never stale.
 */
export class MessagingMetrics {
  private readonly published: Histogram<'topic'>;
  private readonly handled: Counter<'consumer' | 'type' | 'outcome'>;
  private readonly handlerDuration: Histogram<'consumer' | 'type'>;
  private readonly duplicates: Counter<'consumer'>;
  private readonly deadLettered: Counter<'consumer' | 'topic'>;
  private readonly forged: Counter<'consumer' | 'topic' | 'type'>;
  private readonly kafkaRequests: Counter<'client' | 'api'>;
  private admin?: Promise<Admin>;

  constructor(private readonly options: MessagingMetricsOptions) {
    const registers = [options.registry];
    this.published = new Histogram({
      name: 'shop_outbox_publish_latency_seconds',
      help: 'Time from an outbox row being written to the broker acknowledging it',
      labelNames: ['topic'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.handled = new Counter({
      name: 'shop_messages_handled_total',
      help: 'Deliveries by outcome: handled, retried (handled after retries), duplicate, dead_lettered, forged (dead-lettered as forged), ignored',
      labelNames: ['consumer', 'type', 'outcome'],
      registers,
    });
    this.handlerDuration = new Histogram({
      name: 'shop_message_handler_duration_seconds',
      help: 'Time to handle one delivery, retries included',
      labelNames: ['consumer', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.duplicates = new Counter({ name: 'shop_inbox_duplicates_total', help: 'Deliveries already in the inbox (no effect)', labelNames: ['consumer'], registers });
    this.deadLettered = new Counter({ name: 'shop_dlq_messages_total', help: 'Messages sent to a dead-letter topic', labelNames: ['consumer', 'topic'], registers });
    this.forged = new Counter({
      name: 'shop_forged_messages_total',
      help: 'Messages dead-lettered as forged (FORGED): a type on a topic its contract does not name, or a reply that answers no command',
      labelNames: ['consumer', 'topic', 'type'],
      registers,
    });
    this.kafkaRequests = new Counter({
      name: 'shop_kafka_requests_total',
      help: 'Requests the outbox relay and the consumer sent to Kafka, by client and API (Produce, Fetch, OffsetCommit, Heartbeat, ...)',
      labelNames: ['client', 'api'],
      registers,
    });

    const db = options.db;
    if (db) {
      const outbox = oncePerScrape(() => this.readOutbox(db));
      // As for Kafka below: an outage shows as a 0 here, and the scrape still answers (with the breakers' state).
      // The outbox gauges are NaN meanwhile: unknown, which no threshold alert mistakes for an empty outbox.
      new Gauge({
        name: 'shop_database_reachable',
        help: "1 when the database answered this scrape's outbox query, 0 when it did not (unreachable)",
        registers,
        async collect() {
          this.set((await outbox()) === null ? 0 : 1);
        },
      });
      new Gauge({
        name: 'shop_outbox_backlog',
        help: 'Outbox messages not yet published',
        registers,
        async collect() {
          this.set((await outbox())?.backlog ?? NaN);
        },
      });
      new Gauge({
        name: 'shop_outbox_oldest_unpublished_age_seconds',
        help: 'Age of the oldest unpublished outbox message (0 when none)',
        registers,
        async collect() {
          this.set((await outbox())?.oldestAgeS ?? NaN);
        },
      });
    }
    const { breakers } = options;
    if (breakers) {
      new Gauge({
        name: 'shop_consumer_breaker_state',
        help: 'State of a dependency breaker: 0 closed (working), 1 half-open (a probe answered, one delivery tries it), 2 open (paused, probing the dependency)',
        labelNames: ['consumer', 'dependency'],
        registers,
        collect() {
          this.reset();
          for (const b of breakers.readings()) this.set({ consumer: b.consumer, dependency: b.dependency }, BREAKER_STATE_VALUE[b.state]);
        },
      });
      const transitions = new Counter({
        name: 'shop_consumer_breaker_transitions_total',
        help: 'Changes of state of a dependency breaker, by the state left and the state entered',
        labelNames: ['consumer', 'dependency', 'from', 'to'],
        registers,
      });
      breakers.onTransition((t) => transitions.inc({ consumer: t.consumer, dependency: t.dependency, from: t.from, to: t.to }));
    }
    const { kafka } = options;
    if (kafka && (typeof options.consumerGroups === 'function' || options.consumerGroups?.length)) {
      const consumerLag = oncePerScrape(() => this.consumerLag(kafka));
      // No consumer (yet): nothing to ask Kafka about, no lag samples.
      const lag = (): Promise<PartitionLag[] | null> => (groupsOf(this.options).length === 0 ? Promise.resolve([]) : consumerLag());
      // Without it, an outage would only show as lag samples going missing, which no alert sees.
      new Gauge({
        name: 'shop_kafka_reachable',
        help: "1 when Kafka answered this scrape's offset queries, 0 when it did not (unreachable)",
        registers,
        async collect() {
          this.set((await lag()) === null ? 0 : 1);
        },
      });
      new Gauge({
        name: 'shop_consumer_lag',
        help: 'Messages on a partition not yet committed by the consumer group',
        labelNames: ['group', 'topic', 'partition'],
        registers,
        async collect() {
          this.reset();
          for (const l of (await lag()) ?? []) this.set({ group: l.group, topic: l.topic, partition: String(l.partition) }, l.lag);
        },
      });
    }
  }

  observePublished(batch: Array<{ topic: string; createdAt: Date }>): void {
    const now = Date.now();
    for (const m of batch) this.published.observe({ topic: m.topic }, Math.max(0, (now - m.createdAt.getTime()) / 1000));
  }

  observeOutcome(consumer: string, outcome: Outcome, type: string, durationMs: number, topic: string): void {
    this.handled.inc({ consumer, type, outcome });
    this.handlerDuration.observe({ consumer, type }, durationMs / 1000);
    if (outcome === 'duplicate') this.duplicates.inc({ consumer });
    if (outcome === 'dead_lettered' || outcome === 'forged') this.deadLettered.inc({ consumer, topic });
    if (outcome === 'forged') this.forged.inc({ consumer, topic, type });
  }

  observeKafkaRequest(client: KafkaClientRole, api: string): void {
    this.kafkaRequests.inc({ client, api });
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.then((a) => a.disconnect()).catch(() => undefined);
  }

  /** The outbox backlog and its oldest row's age; null when the database did not answer. */
  private readOutbox(db: DataSource): Promise<OutboxReading | null> {
    return (
      db
        .query(`SELECT count(*)::int AS n, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS age FROM outbox_message WHERE published_at IS NULL`)
        .then(([row]: Array<{ n: number; age: number }>) => ({ backlog: row.n, oldestAgeS: Number(row.age) }))
        // Unreachable: the outbox gauges are NaN (unknown, not 0) rather than the whole scrape failing; reachable 0.
        .catch(() => null)
    );
  }

  /** Per-partition lag of the configured groups (see consumerLag); null when Kafka did not answer. */
  private async consumerLag(connection: KafkaConnection): Promise<PartitionLag[] | null> {
    try {
      this.admin ??= (async () => {
        // Fail fast: a scrape must answer within Prometheus' timeout even when Kafka is down.
        const kafka = kafkaClient(connection, {
          clientId: 'metrics',
          connectionTimeout: 1000,
          requestTimeout: 3000,
          retry: { retries: 1 },
          logLevel: logLevel.NOTHING,
          logCreator: kafkajsLogCreator,
        });
        const admin = kafka.admin();
        await admin.connect();
        return admin;
      })();
      return await consumerLag(await this.admin, groupsOf(this.options));
    } catch {
      // Kafka unreachable: no lag samples (rather than failing the whole scrape), reachable 0.
      await this.close();
      return null;
    }
  }
}
