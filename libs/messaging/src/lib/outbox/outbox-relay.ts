import { Logger } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Headers } from '@shop/contracts';
import { logLevel, type Producer } from 'kafkajs';
import { Client } from 'pg';
import { kafkaClient, type KafkaSasl } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import { KAFKA_CLIENT_RETRY } from '../kafka/client-retry';
import { OUTBOX_CHANNEL } from './outbox-writer';

export interface OutboxRelayOptions {
  /** Used for the Kafka client id, the leadership lock and the tracer. */
  service: string;
  databaseUrl: string;
  brokers: string[];
  sasl: KafkaSasl;
  /** Fallback poll, for a missed NOTIFY (e.g. while the relay was reconnecting); default 1000 ms. */
  pollIntervalMs?: number;
  /** Wake on LISTEN/NOTIFY (default true). false: a plain polling relay (the benchmark's baseline). */
  wakeOnNotify?: boolean;
  batchSize?: number;
  /** Published rows older than this are deleted (default one day)... */
  retentionMs?: number;
  /**
   * ...and inbox records older than this (default 8 days: longer than Kafka's default topic
   * retention of 7, so a message the broker can still deliver again keeps its record)...
   */
  inboxRetentionMs?: number;
  /** ...checked this often (default one minute). */
  pruneIntervalMs?: number;
  /** Observes each batch right after the broker's ack (metrics, benchmarks). */
  onPublished?: (batch: Array<{ messageId: string; topic: string; createdAt: Date }>) => void;
  /** Test hook: called after the broker acked a batch, before the rows are marked. */
  afterAck?: () => void;
  /** Acked rows are marked published in one UPDATE at most this often (default 100 ms). */
  markIntervalMs?: number;
  /** Observes each request the relay's producer sends to Kafka, by API name (metrics). */
  onKafkaRequest?: (api: string) => void;
}

interface OutboxRow {
  id: string;
  message_id: string;
  topic: string;
  message_key: string;
  headers: Record<string, string>;
  payload: unknown;
  created_at: Date;
}

const tracer = trace.getTracer('@shop/messaging');

/**
 * Publishes the outbox to Kafka, in id order, with an idempotent producer (acks=all).
 * - Wakes on LISTEN/NOTIFY, with a fallback poll (or only polls: `wakeOnNotify: false`).
 * - One publisher per database at a time: a session-level advisory lock elects the leader;
 *   other replicas wait on standby and take over when the leader's connection dies. That keeps
 *   per-key order across replicas (two concurrent publishers could interleave one key's rows).
 * - A row is marked published only after the broker's ack; a crash in between publishes it
 *   again (at-least-once), which the consumers' inbox absorbs. Nothing is lost or reordered.
 * - Published rows past `retentionMs` and inbox records past `inboxRetentionMs` are deleted
 *   once per `pruneIntervalMs` by the publisher.
 * - Acked rows are marked in one UPDATE per `markIntervalMs` at most, not one per batch:
 *   under load a batch is often a single row, and each UPDATE is a durable commit. Until
 *   marked they are left out of the next reads by id; a crash before the mark publishes them
 *   again, as above.
 */
export class OutboxRelay {
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly retentionMs: number;
  private readonly inboxRetentionMs: number;
  private readonly pruneIntervalMs: number;
  private readonly markIntervalMs: number;
  private readonly lockKey: number;
  /** Rows the broker acked that are not marked published yet. */
  private acked: string[] = [];
  private lastMark = 0;
  private db?: Client;
  private producer?: Producer;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** A NOTIFY arrived since the last batch was read: look again without sleeping. */
  private notified = false;
  private leader = false;
  private readonly logger = new Logger('OutboxRelay');
  private lastPrune = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    this.inboxRetentionMs = options.inboxRetentionMs ?? 8 * 24 * 60 * 60 * 1000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.markIntervalMs = options.markIntervalMs ?? 100;
    // Advisory locks are scoped to the database: one key means one publisher per outbox table.
    this.lockKey = hashToInt32('outbox-relay');
  }

  get isLeader(): boolean {
    return this.leader;
  }

  async start(): Promise<void> {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const { db, producer } = await this.connect();
        if (!this.leader) {
          const { rows } = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [this.lockKey]);
          this.leader = rows[0].locked;
          if (this.leader) this.logger.log(`${this.options.service}: this relay is now the publisher`);
        }
        if (this.leader) {
          while (this.running && (await this.publishBatch(db, producer)) === this.batchSize) {
            // a full batch: there is probably more
          }
          // Drained for now: mark what was acked once the interval is up (sleep() wakes for it).
          await this.markPublishedIfDue(db);
          await this.prune(db);
        }
      } catch (error) {
        this.logger.error({ err: String(error) }, 'outbox relay cycle failed; reconnecting');
        await this.disconnect();
      }
      await this.sleep();
    }
    await this.disconnect();
  }

  /** Publishes up to one batch; returns how many rows it published. */
  private async publishBatch(db: Client, producer: Producer): Promise<number> {
    this.notified = false;
    const { rows } = await db.query<OutboxRow>(
      `SELECT id, message_id, topic, message_key, headers, payload, created_at
       FROM outbox_message WHERE published_at IS NULL AND NOT (id = ANY($2::bigint[])) ORDER BY id LIMIT $1`,
      [this.batchSize, this.acked],
    );
    if (rows.length === 0) return 0;

    const spans = rows.map((row) => {
      // Continue the trace that was active when the row was written.
      const parent = propagation.extract(context.active(), row.headers);
      const span = tracer.startSpan(
        `${row.topic} publish`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': row.topic,
            'messaging.message.id': row.message_id,
            'messaging.kafka.message.key': row.message_key,
            'messaging.message.type': row.headers[Headers.type],
            'shop.correlation_id': row.headers[Headers.correlationId],
            // The message that caused this one: lets a trace reader (the ops console) show the chain.
            ...(row.headers[Headers.causationId] ? { 'shop.causation_id': row.headers[Headers.causationId] } : {}),
            ...orderIdAttribute(row.payload),
          },
        },
        parent,
      );
      const headers = { ...row.headers };
      delete headers['traceparent'];
      delete headers['tracestate'];
      propagation.inject(trace.setSpan(parent, span), headers);
      return { span, headers };
    });

    const byTopic = new Map<string, Array<{ key: string; value: string; headers: Record<string, string> }>>();
    rows.forEach((row, i) => {
      const list = byTopic.get(row.topic) ?? [];
      list.push({ key: row.message_key, value: JSON.stringify(row.payload), headers: spans[i].headers });
      byTopic.set(row.topic, list);
    });

    try {
      await producer.sendBatch({ topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })) });
    } catch (error) {
      for (const { span } of spans) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
        span.end();
      }
      throw error;
    }
    for (const { span } of spans) span.end();
    this.options.onPublished?.(rows.map((r) => ({ messageId: r.message_id, topic: r.topic, createdAt: r.created_at })));
    this.options.afterAck?.();
    this.acked.push(...rows.map((r) => r.id));
    await this.markPublishedIfDue(db);
    return rows.length;
  }

  /** Marks the acked rows once the interval is up, or sooner when a full batch is waiting. */
  private async markPublishedIfDue(db: Client): Promise<void> {
    if (this.acked.length === 0) return;
    if (this.acked.length < this.batchSize && Date.now() - this.lastMark < this.markIntervalMs) return;
    await db.query(`UPDATE outbox_message SET published_at = now() WHERE id = ANY($1::bigint[])`, [this.acked]);
    this.acked = [];
    this.lastMark = Date.now();
  }

  private async connect(): Promise<{ db: Client; producer: Producer }> {
    if (!this.db) {
      const db = new Client({ connectionString: this.options.databaseUrl, application_name: `${this.options.service}-outbox-relay` });
      db.on('error', () => undefined); // surfaced by the next query; the cycle then reconnects
      db.on('notification', () => {
        this.notified = true;
        this.wake?.();
      });
      await db.connect();
      if (this.options.wakeOnNotify !== false) await db.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.db = db;
    }
    if (!this.producer) {
      const kafka = kafkaClient(this.options, {
        clientId: `${this.options.service}-outbox-relay`,
        retry: KAFKA_CLIENT_RETRY,
        logLevel: logLevel.WARN,
        logCreator: kafkajsLogCreator,
      });
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      const { onKafkaRequest } = this.options;
      if (onKafkaRequest) producer.on(producer.events.REQUEST, (e) => onKafkaRequest(e.payload.apiName));
      await producer.connect();
      this.producer = producer;
    }
    return { db: this.db, producer: this.producer };
  }

  private async disconnect(): Promise<void> {
    this.leader = false; // the lock belongs to the session: closing it releases leadership
    this.acked = []; // not marked: whoever publishes next sends them again (the inbox absorbs it)
    const db = this.db;
    const producer = this.producer;
    this.db = undefined;
    this.producer = undefined;
    await db?.end().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }

  private async prune(db: Client): Promise<void> {
    if (Date.now() - this.lastPrune < this.pruneIntervalMs) return;
    this.lastPrune = Date.now();
    await db.query(`DELETE FROM outbox_message WHERE published_at < now() - make_interval(secs => $1)`, [this.retentionMs / 1000]);
    // The inbox lives in the same database; the publisher keeps it too (one replica does it).
    await db.query(`DELETE FROM inbox_message WHERE received_at < now() - make_interval(secs => $1)`, [this.inboxRetentionMs / 1000]);
  }

  private sleep(): Promise<void> {
    if (!this.running || (this.leader && this.notified)) return Promise.resolve();
    // Rows acked but not marked: wake in time to mark them.
    const wait = this.acked.length > 0 ? Math.min(this.pollIntervalMs, Math.max(0, this.lastMark + this.markIntervalMs - Date.now())) : this.pollIntervalMs;
    return new Promise((done) => {
      const timer = setTimeout(finish, wait);
      function finish() {
        clearTimeout(timer);
        done();
      }
      this.wake = finish;
    });
  }
}

/** A stable 32-bit key for pg_try_advisory_lock from a name. */
function hashToInt32(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(31, h) + name.charCodeAt(i)) | 0;
  return h;
}

/** Saga traffic names its order: lets Jaeger find every span of an order by `shop.order_id`. */
function orderIdAttribute(payload: unknown): Record<string, string> {
  const orderId = (payload as { orderId?: unknown } | null)?.orderId;
  return typeof orderId === 'string' ? { 'shop.order_id': orderId } : {};
}
