import { Logger } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { Headers } from '@shop/contracts';
import { logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Client } from 'pg';
import { kafkaClient, type KafkaConnection } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import { KAFKA_CLIENT_RETRY } from '../kafka/client-retry';
import { exponentialDelay } from '../resilience/backoff';
import { OUTBOX_CHANNEL } from './outbox-writer';
import { RelayLeases } from './relay-leases';

export interface OutboxRelayOptions extends KafkaConnection {
  /** Used for the Kafka client id, the lease holder's name and the tracer. */
  service: string;
  databaseUrl: string;
  /** Fallback poll, for a missed NOTIFY (e.g. while the relay was reconnecting); default 1000 ms. */
  pollIntervalMs?: number;
  /** Wake on LISTEN/NOTIFY (default true). false: a plain polling relay (the benchmark's baseline). */
  wakeOnNotify?: boolean;
  batchSize?: number;
  /**
   * Outbox shards (default 1): rows are split by a hash of their message key, and each shard is
   * published by one relay at a time, so up to this many replicas publish in parallel. Every
   * replica of a service must use the same number.
   */
  shards?: number;
  /** How long a relay holds its shards without renewing them (default 3 s): a frozen publisher's shards move on after this. */
  leaseMs?: number;
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

/** After a failed cycle (database or Kafka unreachable) the relay waits 100 ms, doubled per failure in a row, at most 2 s. */
export const RELAY_RECONNECT_BACKOFF = { baseMs: 100, maxMs: 2000 };

/**
 * Publishes the outbox to Kafka, in id order, with an idempotent producer (acks=all).
 * - Wakes on LISTEN/NOTIFY, with a fallback poll (or only polls: `wakeOnNotify: false`).
 * - One publisher per shard at a time: the outbox is split into `shards` by message key, and
 *   each shard is published by the replica holding its lease (RelayLeases), renewed every
 *   leaseMs / 3. The replicas share the shards out; when one stops renewing (crash, freeze,
 *   lost connection) the others take its shards once its lease has run out. One publisher per
 *   key keeps per-key order (two concurrent publishers could interleave one key's rows).
 * - A row is marked published only after the broker's ack; a crash in between publishes it
 *   again (at-least-once), which the consumers' inbox absorbs. Nothing is lost or reordered.
 * - Published rows past `retentionMs` and inbox records past `inboxRetentionMs` are deleted
 *   once per `pruneIntervalMs` by the publisher of shard 0.
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
  private readonly shards: number;
  private readonly leaseMs: number;
  private readonly leases: RelayLeases;
  /** When the leases were last refreshed (this process's clock). */
  private lastRefresh = 0;
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
  /** The shards published now, to log when they change. */
  private publishing: number[] = [];
  private readonly logger = new Logger('OutboxRelay');
  private lastPrune = 0;
  /** Cycles failed in a row (0 after one that worked): how long to wait before reconnecting. */
  private failures = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
    this.inboxRetentionMs = options.inboxRetentionMs ?? 8 * 24 * 60 * 60 * 1000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 60_000;
    this.markIntervalMs = options.markIntervalMs ?? 100;
    this.shards = options.shards ?? 1;
    this.leaseMs = options.leaseMs ?? 3000;
    this.leases = new RelayLeases(`${options.service}@${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`, this.shards, this.leaseMs);
  }

  /** True while this relay holds at least one shard. */
  get isLeader(): boolean {
    return this.leases.owned().length > 0;
  }

  /** The shards this relay publishes now. */
  get ownedShards(): number[] {
    return this.leases.owned();
  }

  private get refreshIntervalMs(): number {
    return this.leaseMs / 3;
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
        await this.refreshLeasesIfDue(db);
        if (this.isLeader) {
          while (this.running && (await this.publishBatch(db, producer)) === this.batchSize) {
            // a full batch: there is probably more
            await this.refreshLeasesIfDue(db);
          }
          // Drained for now: mark what was acked once the interval is up (sleep() wakes for it).
          await this.markPublishedIfDue(db);
          if (this.leases.holds(0)) await this.prune(db); // one replica prunes: the holder of shard 0
        }
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        const waitMs = exponentialDelay(this.failures, RELAY_RECONNECT_BACKOFF);
        this.logger.error({ err: String(error), failures: this.failures }, `outbox relay cycle failed; reconnecting in ${waitMs} ms`);
        await this.disconnect();
        // Not at once: the database or Kafka is likely still down, and a loop would spin (and log) hundreds of times a second.
        await this.sleep(waitMs);
        continue;
      }
      await this.sleep();
    }
    await this.releaseLeases();
    await this.disconnect();
  }

  /** Renews, balances and takes shard leases every leaseMs / 3 (acked rows are marked first: a shard given back is not published again). */
  private async refreshLeasesIfDue(db: Client): Promise<void> {
    if (Date.now() - this.lastRefresh < this.refreshIntervalMs) return;
    await this.markPublishedIfDue(db, true);
    this.lastRefresh = Date.now();
    const held = await this.leases.refresh(db);
    if (held.join() !== this.publishing.join()) {
      const what = this.shards === 1 ? 'the outbox' : `outbox shards [${held.join(', ')}] of ${this.shards}`;
      this.logger.log(held.length > 0 ? `${this.options.service}: this relay now publishes ${what}` : `${this.options.service}: this relay is on standby`);
      this.publishing = held;
    }
  }

  /** On a clean stop: the leases go back at once, so another replica takes over without waiting for them to expire. */
  private async releaseLeases(): Promise<void> {
    if (!this.db) return;
    try {
      await this.markPublishedIfDue(this.db, true);
      await this.leases.release(this.db);
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'could not give the outbox leases back; they expire');
    }
  }

  /** Publishes up to one batch; returns how many rows it published. */
  private async publishBatch(db: Client, producer: Producer): Promise<number> {
    this.notified = false;
    const shards = this.leases.owned();
    if (shards.length === 0) return 0;
    const { rows } = await db.query<OutboxRow>(
      `SELECT id, message_id, topic, message_key, headers, payload, created_at
       FROM outbox_message WHERE published_at IS NULL AND NOT (id = ANY($2::bigint[]))
         AND (key_hash & 2147483647) % $3 = ANY($4::int[])
       ORDER BY id LIMIT $1`,
      [this.batchSize, this.acked, this.shards, shards],
    );
    if (rows.length === 0) return 0;
    // The leases may have run out while the rows were read (a pause): then another relay may publish them.
    if (!shards.every((shard) => this.leases.holds(shard))) return 0;

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

  /** Marks the acked rows once the interval is up, or sooner when a full batch is waiting (or `now`). */
  private async markPublishedIfDue(db: Client, now = false): Promise<void> {
    if (this.acked.length === 0) return;
    if (!now && this.acked.length < this.batchSize && Date.now() - this.lastMark < this.markIntervalMs) return;
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
    this.leases.forget(); // not renewed from here on: they run out in the database
    this.publishing = [];
    this.lastRefresh = 0;
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
    await db.query(`DELETE FROM outbox_relay_member WHERE seen_at < now() - interval '1 hour'`);
  }

  /** Until the next poll, mark or lease renewal is due, a NOTIFY or stop() (or for `fixedMs`: the reconnect backoff, which only stop() cuts short). */
  private sleep(fixedMs?: number): Promise<void> {
    if (!this.running || (fixedMs === undefined && this.isLeader && this.notified)) return Promise.resolve();
    // Rows acked but not marked: wake in time to mark them; and in time to renew the leases.
    const untilMark = this.acked.length > 0 ? this.lastMark + this.markIntervalMs - Date.now() : Infinity;
    const untilRefresh = this.lastRefresh + this.refreshIntervalMs - Date.now();
    const wait = fixedMs ?? Math.max(0, Math.min(this.pollIntervalMs, untilMark, untilRefresh));
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

/** Saga traffic names its order: lets Jaeger find every span of an order by `shop.order_id`. */
function orderIdAttribute(payload: unknown): Record<string, string> {
  const orderId = (payload as { orderId?: unknown } | null)?.orderId;
  return typeof orderId === 'string' ? { 'shop.order_id': orderId } : {};
}
