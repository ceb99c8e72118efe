import { Logger } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import { messageLogFields, runWithMessageLogFields } from '../logging/message-log-context';
import { Headers, type MessageDefinition } from '@shop/contracts';
import { logLevel, type Consumer, type EachBatchPayload, type KafkaMessage, type Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeEnvelope, headerStrings, type Envelope } from '../envelope/envelope';
import { MessageValidator } from '../envelope/message-validator';
import { isForged, NonRetryableError, PoisonMessageError } from '../errors';
import { kafkaClient, type KafkaSasl } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import { KAFKA_CLIENT_RETRY } from '../kafka/client-retry';
import { ensureTopics } from '../kafka/topics';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { isDatabaseUnavailable } from './database-unavailable';
import { deadLetterTopic, DeadLetterHeaders } from './dead-letter';
import { assertOnItsTopic } from './topic-binding';

/**
 * The consumers' session timeout: a member that died is noticed (and its partitions handed on)
 * after this long; 10 s instead of kafkajs' 30 s keeps rebalances short. It is also how long a
 * consumer that lost its membership (it crashed in a broker outage and kafkajs restarted it under
 * a new member id) may wait to rejoin once Kafka is back: the group waits for the old member to
 * expire first. The order saga's deadlines allow for that (DeadlineWatcher).
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 10_000;

/** What the consumer hands a handler with the payload (the transport wraps it in a MessageContext). */
export interface DeliveryContext {
  /** The transaction in which the handler must write its effects (and its outgoing messages). */
  manager: EntityManager;
  envelope: Envelope;
  topic: string;
  partition: number;
  offset: string;
  attempt: number;
  /**
   * Tells the group coordinator this consumer is alive. A handler that may run longer than the
   * session timeout (10 s) calls it now and then, or the group would evict the consumer mid-message.
   */
  heartbeat: () => Promise<void>;
}

export type MessageHandlerFn<T> = (data: T, ctx: DeliveryContext) => Promise<void>;

/** `forged`: dead-lettered as PoisonMessageError FORGED (counted apart from the other dead letters, and alerted). */
export type Outcome = 'handled' | 'duplicate' | 'retried' | 'dead_lettered' | 'forged' | 'ignored';

export interface MessageConsumerOptions {
  /** Consumer group, and the name under which deliveries are recorded in the inbox. */
  consumer: string;
  brokers: string[];
  sasl: KafkaSasl;
  db: DataSource;
  /** Topics to read; default: the topics of the registered messages. */
  topics?: string[];
  retry?: RetryPolicy;
  partitionsConsumedConcurrently?: number;
  /** At most this many messages of a fetched batch are handled in one transaction (default 100). */
  maxMessagesPerTransaction?: number;
  /** Offsets of handled messages are committed to Kafka at most this often (default 500 ms). */
  commitIntervalMs?: number;
  onOutcome?: (outcome: Outcome, type: string, durationMs: number, topic: string) => void;
  /** Observes each request the consumer (or its dead-letter producer) sends to Kafka, by API name (metrics). */
  onKafkaRequest?: (client: 'consumer' | 'dead-letter', api: string) => void;
}

const tracer = trace.getTracer('@shop/messaging');

/** While the database is unreachable, a delivery retries at most this far apart. */
const DATABASE_WAIT_MAX_MS = 5_000;

/** The fetched batch being handled: keeping the group membership, and whether it is still ours. */
interface BatchTurn {
  heartbeat: () => Promise<void>;
  /** False once the consumer is stopping or the partition went to another member. */
  stillOurs: () => boolean;
}

/** The consumer stopped, or lost the partition, while a delivery waited for the database: it comes again. */
class DeliveryAbandoned extends Error {}

/**
 * Reads messages and runs their handlers exactly once in effect:
 * - each delivery is decoded, routed by type and version (what this consumer does not handle is
 *   ignored and counted), checked to have come on the topic its contract names (elsewhere it is
 *   forged) and validated against its contract (poison and forgeries go straight to the DLQ);
 * - (consumer, message id) is recorded in the inbox in the same transaction as the handler's
 *   effects, so a redelivery finds it there and changes nothing;
 * - the messages of a fetched batch are handled in one transaction (up to
 *   `maxMessagesPerTransaction`, in offset order, one multi-row inbox insert): under load a
 *   fetch holds many messages, and one durable commit for all of them, instead of one each, is
 *   the biggest saving per message. If a handler fails, the transaction is rolled back, the
 *   messages before it are handled one transaction each, the failed one goes through its
 *   retries, and the rest is batched again;
 * - a failing handler is retried with backoff up to the attempt budget, then dead-lettered;
 * - a failure to reach the database is not the message's fault: it spends no attempt, and the
 *   delivery waits (backoff up to 5 s, heartbeating) until the database answers;
 * - offsets are committed only after the effects (or the dead-lettering) are committed, at
 *   most every `commitIntervalMs` (and on stop).
 */
export class MessageConsumer {
  private readonly handlers = new Map<string, { definition: MessageDefinition; handler: MessageHandlerFn<unknown> }>();
  private readonly validator = new MessageValidator();
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private kafkaConsumer?: Consumer;
  private producer?: Producer;
  private member = false;
  /** Per partition, the next offset to commit: everything before it was handled. */
  private readonly uncommitted = new Map<string, { topic: string; partition: number; offset: string }>();
  private commitTimer?: NodeJS.Timeout;
  private lastCommit = 0;

  constructor(private readonly options: MessageConsumerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.logger = new Logger(`MessageConsumer:${options.consumer}`);
  }

  on<T>(definition: MessageDefinition<T>, handler: MessageHandlerFn<T>): this {
    this.handlers.set(`${definition.type}@${definition.version}`, {
      definition: definition as MessageDefinition,
      handler: handler as MessageHandlerFn<unknown>,
    });
    return this;
  }

  /** The message types this consumer handles, as `type@version`. */
  get handles(): string[] {
    return [...this.handlers.keys()];
  }

  /**
   * True while the consumer is a member of its group: it has joined (partitions assigned) and has
   * neither crashed nor stopped since. Before that it receives nothing, so readiness waits for it.
   */
  get joined(): boolean {
    return this.member;
  }

  get topics(): string[] {
    return this.options.topics ?? [...new Set([...this.handlers.values()].map((h) => h.definition.topic))];
  }

  async start(): Promise<void> {
    const connection = { brokers: this.options.brokers, sasl: this.options.sasl };
    const kafka = kafkaClient(connection, { clientId: this.options.consumer, retry: KAFKA_CLIENT_RETRY, logLevel: logLevel.WARN, logCreator: kafkajsLogCreator });
    await ensureTopics(connection, this.topics.flatMap((topic) => [{ topic }, { topic: deadLetterTopic(topic) }]));
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const { onKafkaRequest } = this.options;
    if (onKafkaRequest) this.producer.on(this.producer.events.REQUEST, (e) => onKafkaRequest('dead-letter', e.payload.apiName));
    await this.producer.connect();
    this.kafkaConsumer = kafka.consumer({ groupId: this.options.consumer, sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS, heartbeatInterval: 3_000 });
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT, REQUEST } = this.kafkaConsumer.events;
    if (onKafkaRequest) this.kafkaConsumer.on(REQUEST, (e) => onKafkaRequest('consumer', e.payload.apiName));
    this.kafkaConsumer.on(GROUP_JOIN, () => (this.member = true));
    // After a retriable crash kafkajs restarts the consumer, which joins again.
    for (const left of [CRASH, STOP, DISCONNECT]) this.kafkaConsumer.on(left, () => (this.member = false));
    await this.kafkaConsumer.connect();
    await this.kafkaConsumer.subscribe({ topics: this.topics, fromBeginning: true });
    const consumer = this.kafkaConsumer;
    await consumer.run({
      // Offsets are committed by handledUpTo()/commitNow(), at most every commitIntervalMs, and only for
      // messages whose effect (or dead-lettering) was committed: a crash redelivers what came
      // after the last commit, and the inbox absorbs that. kafkajs' autoCommit would commit
      // after every fetched batch: under load, the biggest share of the broker's requests.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.deliverBatch(payload),
    });
  }

  /**
   * Leaves the group and disconnects. With `timeoutMs`, waits at most that long (service
   * shutdown: a consumer still joining its group can block for a whole session timeout).
   * Stopping abruptly is safe: offsets are committed only after effects, so an unfinished
   * message comes again.
   */
  async stop(timeoutMs?: number): Promise<void> {
    const consumer = this.kafkaConsumer;
    const producer = this.producer;
    this.member = false;
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    const disconnected = (async () => {
      await this.commitNow(); // what was handled since the last commit; best effort
      this.kafkaConsumer = undefined;
      this.producer = undefined;
      await Promise.all([consumer?.disconnect(), producer?.disconnect()]);
    })();
    if (timeoutMs === undefined) return disconnected;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((done) => (timer = setTimeout(done, timeoutMs)));
    await Promise.race([disconnected.catch(() => undefined), deadline]);
    clearTimeout(timer);
  }

  /** Records that everything up to `offset` on the partition was handled, and schedules the commit. */
  private handledUpTo(topic: string, partition: number, offset: string): void {
    this.uncommitted.set(`${topic}:${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    if (this.commitTimer) return;
    const wait = Math.max(0, this.lastCommit + (this.options.commitIntervalMs ?? 500) - Date.now());
    this.commitTimer = setTimeout(() => {
      this.commitTimer = undefined;
      void this.commitNow();
    }, wait);
  }

  private async commitNow(): Promise<void> {
    const offsets = [...this.uncommitted.values()];
    this.uncommitted.clear();
    this.lastCommit = Date.now();
    if (offsets.length === 0 || !this.kafkaConsumer) return;
    try {
      await this.kafkaConsumer.commitOffsets(offsets);
    } catch (error) {
      // A rebalance or a lost connection: those messages come again (to this consumer or
      // another), and the inbox absorbs them. A later commit of the partition moves it on.
      this.logger.warn({ err: String(error) }, 'offset commit failed; the messages since the last commit will be delivered again');
    }
  }

  /**
   * Splits a fetched batch into runs of messages that can share a transaction: poison ends a
   * run (it is dead-lettered in its place in the order) and so does the size limit. A message
   * of a type this consumer does not handle rides along and is only reported.
   */
  private async deliverBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const limit = this.options.maxMessagesPerTransaction ?? 100;
    const turn: BatchTurn = { heartbeat, stillOurs: () => isRunning() && !isStale() };
    let run: Delivery[] = [];
    const flush = async () => {
      if (run.length === 0) return;
      await this.handleRun(run, turn);
      this.done(resolveOffset, topic, partition, run[run.length - 1].message.offset);
      run = [];
      await heartbeat();
    };
    try {
      for (const message of batch.messages) {
        // Stopping or rebalancing: leave the rest unresolved, it comes again.
        if (!turn.stillOurs()) return;
        const started = performance.now();
        let envelope: Envelope;
        let registered: Delivery['registered'];
        try {
          envelope = decodeEnvelope(message);
          // Route before validating: a type or version this consumer does not handle (another
          // consumer's on a shared topic, or a newer producer's) is ignored, not poison. Only
          // what it handles must match its contract, and come on its contract's topic.
          registered = this.handlers.get(`${envelope.type}@${envelope.version}`);
          if (registered) {
            assertOnItsTopic(registered.definition, topic);
            this.validator.validate(envelope);
          }
        } catch (error) {
          await flush();
          await this.deadLetter(topic, partition, message, error, 0);
          this.done(resolveOffset, topic, partition, message.offset);
          this.report(isForged(error) ? 'forged' : 'dead_lettered', headerStrings(message)[Headers.type] ?? 'unknown', started, topic);
          continue;
        }
        run.push({ topic, partition, message, envelope, registered, started });
        if (run.length >= limit) await flush();
      }
      if (turn.stillOurs()) await flush();
    } catch (error) {
      // Unresolved, so the messages come again, to this consumer or the partition's new owner.
      if (!(error instanceof DeliveryAbandoned)) throw error;
      this.logger.warn({ topic, partition }, 'stopped waiting for the database: the consumer is stopping or lost the partition');
    }
  }

  private done(resolveOffset: (offset: string) => void, topic: string, partition: number, offset: string): void {
    resolveOffset(offset);
    this.handledUpTo(topic, partition, offset);
  }

  /** Handles a run of deliveries of one partition, in one transaction if none fails. */
  private async handleRun(run: Delivery[], turn: BatchTurn): Promise<void> {
    const ours = run.filter((d): d is OurDelivery => d.registered !== undefined);
    for (const d of run) if (!d.registered) this.report('ignored', d.envelope.type, d.started, d.topic);
    if (ours.length === 0) return;
    const traced = ours.map((d) => this.startSpan(d, ours.length));
    try {
      await this.handleTogether(traced, turn);
    } finally {
      for (const { span } of traced) span.end();
    }
  }

  private async handleTogether(traced: Traced[], turn: BatchTurn): Promise<void> {
    if (traced.length === 0) return;
    const { topic } = traced[0].delivery;
    let failing: number | undefined;
    const outcomes: Array<'handled' | 'duplicate'> = [];
    try {
      await this.options.db.transaction(async (manager) => {
        const ids = traced.map((t) => t.delivery.envelope.id);
        const inserted = (await manager.query(
          `INSERT INTO inbox_message (consumer, message_id, topic) SELECT $1, id, $3 FROM unnest($2::text[]) AS id ON CONFLICT DO NOTHING RETURNING message_id`,
          [this.options.consumer, ids, topic],
        )) as Array<{ message_id: string }>;
        // The same message twice in one batch: only its first copy is fresh.
        const fresh = new Set(inserted.map((r) => r.message_id));
        for (const [i, t] of traced.entries()) {
          const { envelope, message, partition } = t.delivery;
          if (!fresh.delete(envelope.id)) {
            outcomes.push('duplicate');
            continue;
          }
          failing = i;
          await this.within(t, () => t.delivery.registered.handler(envelope.data, { manager, envelope, topic, partition, offset: message.offset, attempt: 1, heartbeat: turn.heartbeat }));
          failing = undefined;
          outcomes.push('handled');
        }
      });
    } catch (error) {
      // Rolled back. Nothing to blame (the inbox insert or the commit failed): each alone.
      if (failing === undefined) {
        for (const t of traced) await this.within(t, () => this.handleAlone(t.delivery, turn, 1));
        return;
      }
      const failed = traced[failing];
      for (const t of traced.slice(0, failing)) await this.within(t, () => this.handleAlone(t.delivery, turn, 1));
      await this.within(failed, async () => {
        failed.span.addEvent('the batch transaction was rolled back: this message failed', { 'messaging.batch.message_count': traced.length });
        const next = await this.failed(failed.delivery, error, 1, 1, turn);
        if (next !== 'dead-lettered') await this.handleAlone(failed.delivery, turn, next === 'next attempt' ? 2 : 1);
      });
      return this.handleTogether(traced.slice(failing + 1), turn);
    }
    traced.forEach((t, i) => this.report(outcomes[i], t.delivery.envelope.type, t.delivery.started, topic));
  }

  /** One delivery in its own transaction, retried from `attempt` on until handled or dead-lettered. */
  private async handleAlone(d: OurDelivery, turn: BatchTurn, firstAttempt: number): Promise<void> {
    const { topic, partition, message, envelope, registered } = d;
    for (let attempt = firstAttempt, waits = 0; ; ) {
      try {
        const fresh = await this.options.db.transaction(async (manager) => {
          const inserted = await manager.query(
            `INSERT INTO inbox_message (consumer, message_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING message_id`,
            [this.options.consumer, envelope.id, topic],
          );
          if ((inserted as unknown[]).length === 0) return false;
          await registered.handler(envelope.data, { manager, envelope, topic, partition, offset: message.offset, attempt, heartbeat: turn.heartbeat });
          return true;
        });
        return this.report(fresh ? (attempt > 1 ? 'retried' : 'handled') : 'duplicate', envelope.type, d.started, topic);
      } catch (error) {
        const next = await this.failed(d, error, attempt, waits + 1, turn);
        if (next === 'dead-lettered') return;
        if (next === 'next attempt') attempt++;
        else waits++;
      }
    }
  }

  /**
   * After a failed attempt: dead-letters the message if the failure is final, or waits out the
   * backoff before the next attempt. When the database could not be reached, the attempt does
   * not count: it waits (`wait` times so far, heartbeating) and the same attempt runs again.
   */
  private async failed(d: OurDelivery, error: unknown, attempt: number, wait: number, turn: BatchTurn): Promise<'dead-lettered' | 'next attempt' | 'same attempt'> {
    trace.getActiveSpan()?.recordException(error as Error);
    if (isDatabaseUnavailable(error) && !(error instanceof NonRetryableError)) {
      this.logger.warn({ messageId: d.envelope.id, type: d.envelope.type, wait, err: String(error) }, 'database unavailable; the message waits for it (no attempt spent)');
      await new Promise((r) => setTimeout(r, backoffDelay(wait, { ...this.retry, maxMs: Math.max(this.retry.maxMs, DATABASE_WAIT_MAX_MS) })));
      if (!turn.stillOurs()) throw new DeliveryAbandoned();
      await turn.heartbeat();
      return 'same attempt';
    }
    const final = error instanceof NonRetryableError || error instanceof PoisonMessageError || attempt >= this.retry.attempts;
    if (final) {
      trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      await this.deadLetter(d.topic, d.partition, d.message, error, attempt);
      this.report(isForged(error) ? 'forged' : 'dead_lettered', d.envelope.type, d.started, d.topic);
      return 'dead-lettered';
    }
    this.logger.warn({ messageId: d.envelope.id, type: d.envelope.type, attempt, err: String(error) }, 'handler failed; retrying');
    await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.retry)));
    return 'next attempt';
  }

  /** The consumer span of one delivery, a child of the publish that sent it. */
  private startSpan(d: OurDelivery, batchSize: number): Traced {
    const { topic, envelope, message } = d;
    const parent = propagation.extract(context.active(), headerStrings(message));
    const fields = messageLogFields(envelope);
    const span = tracer.startSpan(
      `${topic} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': topic,
          'messaging.consumer.group.name': this.options.consumer,
          'messaging.message.id': envelope.id,
          'messaging.message.type': envelope.type,
          'messaging.kafka.message.key': envelope.subject,
          'messaging.kafka.offset': Number(message.offset),
          'messaging.batch.message_count': batchSize,
          'shop.correlation_id': envelope.correlationId,
          ...(envelope.causationId ? { 'shop.causation_id': envelope.causationId } : {}),
          ...(fields.orderId ? { 'shop.order_id': fields.orderId } : {}),
        },
      },
      parent,
    );
    return { delivery: d, span, context: trace.setSpan(parent, span) };
  }

  /** Runs `fn` with the delivery's span active and its fields in every log line. */
  private within<T>(t: Traced, fn: () => Promise<T>): Promise<T> {
    return context.with(t.context, () => runWithMessageLogFields(t.delivery.envelope, fn));
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const err = error instanceof Error ? error : new Error(String(error));
    this.logger.error({ topic, partition, offset: message.offset, err: err.message }, `${isForged(err) ? 'forged message: ' : ''}dead-lettering to ${deadLetterTopic(topic)}`);
    await this.producer?.send({
      topic: deadLetterTopic(topic),
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...headerStrings(message),
            [DeadLetterHeaders.error]: err.message.slice(0, 2000),
            [DeadLetterHeaders.errorClass]: err.name,
            [DeadLetterHeaders.originalTopic]: topic,
            [DeadLetterHeaders.originalPartition]: String(partition),
            [DeadLetterHeaders.originalOffset]: message.offset,
            [DeadLetterHeaders.consumer]: this.options.consumer,
            [DeadLetterHeaders.attempts]: String(attempts),
            [DeadLetterHeaders.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
  }

  private report(outcome: Outcome, type: string, started: number, topic: string): void {
    this.options.onOutcome?.(outcome, type, performance.now() - started, topic);
  }
}

interface Delivery {
  topic: string;
  partition: number;
  message: KafkaMessage;
  envelope: Envelope;
  /** undefined: a type this consumer does not handle. */
  registered?: { definition: MessageDefinition; handler: MessageHandlerFn<unknown> };
  started: number;
}

type OurDelivery = Delivery & Required<Pick<Delivery, 'registered'>>;

interface Traced {
  delivery: OurDelivery;
  span: Span;
  context: Context;
}
