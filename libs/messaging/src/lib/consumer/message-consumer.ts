// The consumer's public face: its options, handler registration, start and stop; the work is done
// by its parts (KafkaSession, OffsetCommits, BatchTurns, BatchTransaction, Retries,
// DeadLetterSender, DatabaseOutage), which this file wires together.
import { Logger } from '@nestjs/common';
import type { MessageDefinition } from '@shop/contracts';
import type { DataSource } from 'typeorm';
import type { KafkaConnection } from '../kafka/kafka-client';
import type { RetryPolicy } from '../resilience/backoff';
import type { BreakerSettings, BreakerSnapshot, BreakerTransition } from '../resilience/dependency-breaker';
import { BatchTransaction } from './batch-transaction';
import { BatchTurns } from './batch-turn';
import { DatabaseOutage } from './database-outage';
import { DeadLetterSender } from './dead-letter';
import type { MessageHandlerFn, Outcome, Registered } from './delivery';
import { KafkaSession } from './kafka-session';
import { OffsetCommits } from './offset-commits';
import { Retries } from './retry-policy';

export type { DeliveryContext, MessageHandlerFn, Outcome } from './delivery';
export { CONSUMER_SESSION_TIMEOUT_MS } from './kafka-session';

export interface MessageConsumerOptions extends KafkaConnection {
  /** Consumer group, and the name under which deliveries are recorded in the inbox. */
  consumer: string;
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
  /** The database breaker's probe schedule and trial window (DependencyBreaker; defaults DEFAULT_BREAKER_SETTINGS). */
  breaker?: Partial<BreakerSettings>;
  /** Observes each change of the database breaker's state (metrics); the breaker logs it itself. */
  onBreakerTransition?: (transition: BreakerTransition) => void;
}

/**
 * Reads messages and runs their handlers exactly once in effect:
 * - each delivery is decoded, routed by type and version (what this consumer does not handle is
 *   ignored and counted), checked to have come on the topic its contract names (elsewhere it is
 *   forged) and validated against its contract (poison and forgeries go straight to the DLQ):
 *   BatchTurns;
 * - (consumer, message id) is recorded in the inbox in the same transaction as the handler's
 *   effects, and the messages of a fetched batch share one transaction (up to
 *   `maxMessagesPerTransaction`), with a fallback to one transaction each when a handler fails:
 *   BatchTransaction;
 * - a failing handler is retried with backoff up to the attempt budget (Retries), then
 *   dead-lettered (DeadLetterSender);
 * - a failure to reach the database is not the message's fault: it spends no attempt, and the
 *   consumer pauses until the database answers (DatabaseOutage);
 * - offsets are committed only after the effects (or the dead-lettering) are committed, at
 *   most every `commitIntervalMs` (and on stop): OffsetCommits, on the group member KafkaSession keeps.
 */
export class MessageConsumer {
  private readonly handlers = new Map<string, Registered>();
  private readonly session: KafkaSession;
  private readonly offsets: OffsetCommits;
  /** Opened by a delivery that could not reach the database. */
  private readonly outage: DatabaseOutage;
  private readonly batches: BatchTurns;

  constructor(private readonly options: MessageConsumerOptions) {
    const logger = new Logger(`MessageConsumer:${options.consumer}`);
    const report = (outcome: Outcome, type: string, started: number, topic: string) => options.onOutcome?.(outcome, type, performance.now() - started, topic);
    this.session = new KafkaSession({
      connection: options,
      group: options.consumer,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      onKafkaRequest: options.onKafkaRequest,
      onJoin: () => this.outage.joined(),
      logger,
    });
    this.offsets = new OffsetCommits(options.commitIntervalMs ?? 500, (offsets) => this.session.commit(offsets), logger);
    this.outage = new DatabaseOutage({
      consumer: options.consumer,
      db: options.db,
      settings: options.breaker,
      pause: () => this.session.pause(this.topics),
      resume: () => this.session.resume(this.topics),
      onTransition: options.onBreakerTransition,
      logger,
    });
    const deadLetters = new DeadLetterSender(options.consumer, logger, (record) => this.session.send(record));
    const transaction = new BatchTransaction({ consumer: options.consumer, db: options.db, outage: this.outage, retries: new Retries(options.retry, logger), deadLetters, report });
    this.batches = new BatchTurns({
      route: (envelope) => this.handlers.get(`${envelope.type}@${envelope.version}`),
      maxMessagesPerTransaction: options.maxMessagesPerTransaction ?? 100,
      handleRun: (run, turn) => transaction.handleRun(run, turn),
      outage: this.outage,
      deadLetters,
      offsets: this.offsets,
      report,
    });
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
    return this.session.joined;
  }

  /** The database breaker's state, for readiness details. */
  get breakers(): BreakerSnapshot[] {
    return [this.outage.snapshot()];
  }

  get topics(): string[] {
    return this.options.topics ?? [...new Set([...this.handlers.values()].map((h) => h.definition.topic))];
  }

  async start(): Promise<void> {
    await this.session.connect(this.topics);
    this.outage.start(); // probing again, if it was stopped while open
    await this.session.join(this.topics, (payload) => this.batches.deliver(payload));
  }

  /**
   * Leaves the group and disconnects. With `timeoutMs`, waits at most that long (service
   * shutdown: a consumer still joining its group can block for a whole session timeout).
   * Stopping abruptly is safe: offsets are committed only after effects, so an unfinished
   * message comes again.
   */
  async stop(timeoutMs?: number): Promise<void> {
    this.outage.stop();
    this.offsets.cancelTimer();
    // What was handled since the last commit, best effort.
    return this.session.stop(timeoutMs, () => this.offsets.commitNow());
  }
}
