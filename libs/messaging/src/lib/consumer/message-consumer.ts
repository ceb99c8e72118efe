import { Logger } from '@nestjs/common';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { messageLogFields, runWithMessageLogFields } from '../logging/message-log-context';
import type { MessageDefinition } from '@shop/contracts';
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import { decodeEnvelope, headerStrings, type Envelope } from '../envelope/envelope';
import { MessageValidator } from '../envelope/message-validator';
import { NonRetryableError, PoisonMessageError } from '../errors';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import { ensureTopics } from '../kafka/topics';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './backoff';
import { deadLetterTopic, DeadLetterHeaders } from './dead-letter';

export interface MessageContext {
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

export type MessageHandlerFn<T> = (data: T, ctx: MessageContext) => Promise<void>;

export type Outcome = 'handled' | 'duplicate' | 'retried' | 'dead_lettered' | 'ignored';

export interface MessageConsumerOptions {
  /** Consumer group, and the name under which deliveries are recorded in the inbox. */
  consumer: string;
  brokers: string[];
  db: DataSource;
  /** Topics to read; default: the topics of the registered messages. */
  topics?: string[];
  retry?: RetryPolicy;
  partitionsConsumedConcurrently?: number;
  onOutcome?: (outcome: Outcome, type: string, durationMs: number, topic: string) => void;
}

const tracer = trace.getTracer('@shop/messaging');

/**
 * Reads messages and runs their handlers exactly once in effect:
 * - each delivery is decoded and validated against its contract (poison goes straight to the DLQ);
 * - (consumer, message id) is recorded in the inbox in the same transaction as the handler's
 *   effects, so a redelivery finds it there and changes nothing;
 * - a failing handler is retried with backoff up to the attempt budget, then dead-lettered;
 * - offsets are committed only after the effects (or the dead-lettering) are committed, once
 *   per fetched batch.
 */
export class MessageConsumer {
  private readonly handlers = new Map<string, { definition: MessageDefinition; handler: MessageHandlerFn<unknown> }>();
  private readonly validator = new MessageValidator();
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private kafkaConsumer?: Consumer;
  private producer?: Producer;
  private member = false;

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
    const kafka = new Kafka({ clientId: this.options.consumer, brokers: this.options.brokers, logLevel: logLevel.WARN, logCreator: kafkajsLogCreator });
    await ensureTopics(this.options.brokers, this.topics.flatMap((topic) => [{ topic }, { topic: deadLetterTopic(topic) }]));
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    // A member that died is noticed after sessionTimeout; 10 s (kafkajs: 30 s) keeps rebalances short.
    this.kafkaConsumer = kafka.consumer({ groupId: this.options.consumer, sessionTimeout: 10_000, heartbeatInterval: 3_000 });
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT } = this.kafkaConsumer.events;
    this.kafkaConsumer.on(GROUP_JOIN, () => (this.member = true));
    // After a retriable crash kafkajs restarts the consumer, which joins again.
    for (const left of [CRASH, STOP, DISCONNECT]) this.kafkaConsumer.on(left, () => (this.member = false));
    await this.kafkaConsumer.connect();
    await this.kafkaConsumer.subscribe({ topics: this.topics, fromBeginning: true });
    const consumer = this.kafkaConsumer;
    await consumer.run({
      // Offsets are committed once per fetched batch, after each of its messages was handled:
      // kafkajs resolves a message's offset only when eachMessage has returned, which is after
      // its effect (or its dead-lettering) was committed. A crash redelivers at most the rest
      // of a batch, and the inbox absorbs that. (A commit per message was one broker request
      // per message: the broker's biggest cost per order in npm run bench.)
      autoCommit: true,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachMessage: ({ topic, partition, message, heartbeat }) => this.deliver(topic, partition, message, heartbeat),
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
    this.kafkaConsumer = undefined;
    this.producer = undefined;
    this.member = false;
    const disconnected = Promise.all([consumer?.disconnect(), producer?.disconnect()]).then(() => undefined);
    if (timeoutMs === undefined) return disconnected;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((done) => (timer = setTimeout(done, timeoutMs)));
    await Promise.race([disconnected.catch(() => undefined), deadline]);
    clearTimeout(timer);
  }

  private async deliver(topic: string, partition: number, message: KafkaMessage, heartbeat: () => Promise<void> = async () => undefined): Promise<void> {
    const started = performance.now();
    let envelope: Envelope;
    let registered: { definition: MessageDefinition; handler: MessageHandlerFn<unknown> } | undefined;
    try {
      envelope = decodeEnvelope(message);
      this.validator.validate(envelope);
      registered = this.handlers.get(`${envelope.type}@${envelope.version}`);
    } catch (error) {
      await this.deadLetter(topic, partition, message, error, 0);
      return this.report('dead_lettered', headerStrings(message)['ce_type'] ?? 'unknown', started, topic);
    }
    // Another consumer's message on a shared topic: not ours to handle.
    if (!registered) return this.report('ignored', envelope.type, started, topic);

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
          'shop.correlation_id': envelope.correlationId,
          ...(fields.orderId ? { 'shop.order_id': fields.orderId } : {}),
        },
      },
      parent,
    );
    try {
      await context.with(trace.setSpan(parent, span), () =>
        runWithMessageLogFields(envelope, () => this.handleWithRetries(topic, partition, message, envelope, registered, started, heartbeat)),
      );
    } finally {
      span.end();
    }
  }

  private async handleWithRetries(
    topic: string,
    partition: number,
    message: KafkaMessage,
    envelope: Envelope,
    registered: { handler: MessageHandlerFn<unknown> },
    started: number,
    heartbeat: () => Promise<void>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const fresh = await this.options.db.transaction(async (manager) => {
          const inserted = await manager.query(
            `INSERT INTO inbox_message (consumer, message_id, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING message_id`,
            [this.options.consumer, envelope.id, topic],
          );
          if ((inserted as unknown[]).length === 0) return false;
          await registered.handler(envelope.data, { manager, envelope, topic, partition, offset: message.offset, attempt, heartbeat });
          return true;
        });
        return this.report(fresh ? (attempt > 1 ? 'retried' : 'handled') : 'duplicate', envelope.type, started, topic);
      } catch (error) {
        const final = error instanceof NonRetryableError || error instanceof PoisonMessageError || attempt >= this.retry.attempts;
        trace.getActiveSpan()?.recordException(error as Error);
        if (final) {
          trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          await this.deadLetter(topic, partition, message, error, attempt);
          return this.report('dead_lettered', envelope.type, started, topic);
        }
        this.logger.warn({ messageId: envelope.id, type: envelope.type, attempt, err: String(error) }, 'handler failed; retrying');
        await new Promise((r) => setTimeout(r, backoffDelay(attempt, this.retry)));
      }
    }
  }

  private async deadLetter(topic: string, partition: number, message: KafkaMessage, error: unknown, attempts: number): Promise<void> {
    const err = error instanceof Error ? error : new Error(String(error));
    this.logger.error({ topic, partition, offset: message.offset, err: err.message }, `dead-lettering to ${deadLetterTopic(topic)}`);
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
