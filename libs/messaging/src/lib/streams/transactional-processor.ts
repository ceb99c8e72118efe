import { Logger } from '@nestjs/common';
import { logLevel, type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import type { ConsumedBatch, ConsumedMessage, OutgoingRecord } from './consumed-message';
import { readToEnd } from './read-to-end';

/** What a processor makes of one batch: the records to send, and what to do once they are committed. */
export interface BatchResult {
  records: OutgoingRecord[];
  /** Runs after the transaction committed (apply the new state in memory): never for an aborted one. */
  afterCommit?: () => void;
}

export interface TransactionalProcessorOptions extends KafkaConnection {
  clientId: string;
  /** The consumer group whose offsets each transaction commits. */
  groupId: string;
  /** One per active instance: starting a producer with it fences any older one and aborts its open transaction. */
  transactionalId: string;
  /** The input topics. */
  topics: string[];
  /**
   * The processor's state: a topic it writes (compacted) and reads back to its end at every start,
   * with throwaway groups `<groupPrefix><uuid>`, before it consumes anything.
   */
  state: { topic: string; groupPrefix: string };
  /** At every (re)start, before the state is read: forget what is in memory. Gets each input topic's partition count. */
  reset: (inputPartitions: ReadonlyMap<string, number>) => void;
  /** Each batch of the state topic, read back in offset order. */
  restore: (messages: ConsumedMessage[]) => void;
  /** Each batch of input: must not change the state in memory (that is afterCommit's job): it may run again after a failure. */
  process: (batch: ConsumedBatch) => BatchResult | Promise<BatchResult>;
  /** Called after each committed transaction (metrics). */
  onCommitted?: (batch: ConsumedBatch, records: number) => void;
  /** How long to wait before starting again after a failure (default 1000 ms). */
  restartDelayMs?: number;
  /** For tests: the client to use instead of one built from the connection. */
  kafka?: Pick<Kafka, 'admin' | 'consumer' | 'producer'>;
}

export interface ProcessorStatus {
  /** The state is restored and the consumer is in its group. */
  running: boolean;
  /** Why it is not running, when it failed (it starts again by itself, unless fenced). */
  problem?: string;
  /** A newer instance took over the transactional id: this one stops for good. */
  fenced: boolean;
}

/**
 * Read-process-write with exactly-once effect (Kafka transactions, KIP-98 and KIP-447): for each
 * fetched batch of one input partition, the records `process` returns and the batch's offsets are
 * sent in ONE transaction (`sendOffsets` for the group, then commit). Readers with read_committed
 * see the records if and only if the offsets moved past the batch.
 *
 * On any failure the open transaction is aborted, the in-memory state is thrown away and the
 * processor starts again: producer (which waits out or aborts a transaction whose outcome is
 * unknown), state read back from its topic, consumer from the committed offsets. So state, output
 * and offsets always agree, whatever failed and wherever a crash (kill -9) happened.
 */
export class TransactionalProcessor {
  private readonly logger = new Logger('TransactionalProcessor');
  private readonly kafka: Pick<Kafka, 'admin' | 'consumer' | 'producer'>;
  private producer?: Producer;
  private consumer?: Consumer;
  private running = false;
  private stopped = false;
  private fenced = false;
  private problem?: string;
  /** Set when a batch failed: later batches of the same run are left alone until the restart. */
  private failed = false;
  private cycle: Promise<void> = Promise.resolve();

  constructor(private readonly options: TransactionalProcessorOptions) {
    this.kafka =
      options.kafka ??
      kafkaClient(options, {
        clientId: options.clientId,
        logLevel: logLevel.WARN,
        logCreator: kafkajsLogCreator,
      });
  }

  status(): ProcessorStatus {
    return { running: this.running, fenced: this.fenced, ...(this.problem ? { problem: this.problem } : {}) };
  }

  /** Starts in the background, retrying until it runs (Kafka may be down at boot). */
  start(): void {
    this.cycle = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.cycle;
    await this.disconnect();
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.fenced) {
      try {
        await this.startOnce();
        return;
      } catch (error) {
        this.problem = describe(error);
        this.logger.warn(`could not start: ${this.problem}`);
        await this.disconnect();
        if (isFenced(error)) this.fenced = true;
        else await delay(this.options.restartDelayMs ?? 1000);
      }
    }
  }

  private async startOnce(): Promise<void> {
    const { options } = this;
    this.failed = false;
    // First the producer: initialising its transactional id fences an older instance and ends
    // its open transaction, so the state read next holds everything that will ever commit.
    this.producer = this.kafka.producer({ transactionalId: options.transactionalId, idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    options.reset(await this.inputPartitions());
    const restored = await readToEnd(this.kafka, { topic: options.state.topic, groupPrefix: options.state.groupPrefix, apply: options.restore });
    this.logger.log(`state restored from ${options.state.topic}: ${restored} record(s)`);
    if (this.stopped) return;
    const consumer = this.kafka.consumer({ groupId: options.groupId, readUncommitted: false });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.running = true;
      this.problem = undefined;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.running = false;
      this.problem = describe(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: options.topics, fromBeginning: true });
    await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 1, eachBatch: (payload) => this.handle(payload) });
  }

  private async inputPartitions(): Promise<Map<string, number>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: this.options.topics });
      return new Map(topics.map((t) => [t.name, t.partitions.length]));
    } finally {
      await admin.disconnect();
    }
  }

  private async handle({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.failed || !isRunning() || isStale() || batch.messages.length === 0) return;
    const consumed: ConsumedBatch = {
      topic: batch.topic,
      partition: batch.partition,
      messages: batch.messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers, offset: m.offset, partition: batch.partition })),
    };
    const producer = this.producer;
    if (!producer) return;
    let result: BatchResult;
    try {
      result = await this.options.process(consumed);
      const transaction = await producer.transaction();
      try {
        for (const [topic, records] of byTopic(result.records)) {
          await transaction.send({ topic, messages: records.map(({ key, value, headers }) => ({ key, value, headers })) });
        }
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await transaction.sendOffsets({ consumerGroupId: this.options.groupId, topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }] });
        await transaction.commit();
      } catch (error) {
        await transaction.abort().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      this.fail(error);
      return;
    }
    resolveOffset(batch.lastOffset());
    result.afterCommit?.();
    this.options.onCommitted?.(consumed, result.records.length);
    await heartbeat();
  }

  /** Gives up this run: the state in memory may be ahead of or behind Kafka's, so everything starts again. */
  private fail(error: unknown): void {
    this.failed = true;
    this.running = false;
    this.problem = describe(error);
    if (isFenced(error)) {
      this.fenced = true;
      this.logger.error(`another instance took over transactional id ${this.options.transactionalId}: this one stops (${this.problem})`);
    } else {
      this.logger.warn(`batch failed, starting again from the committed offsets: ${this.problem}`);
    }
    // Not awaited here: disconnecting the consumer waits for this batch handler to return.
    this.cycle = this.cycle.then(async () => {
      await this.disconnect();
      if (this.fenced || this.stopped) return;
      await delay(this.options.restartDelayMs ?? 1000);
      await this.run();
    });
  }

  private async disconnect(): Promise<void> {
    this.running = false;
    const { consumer, producer } = this;
    this.consumer = undefined;
    this.producer = undefined;
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
  }
}

function byTopic(records: OutgoingRecord[]): Map<string, OutgoingRecord[]> {
  const out = new Map<string, OutgoingRecord[]>();
  for (const record of records) out.set(record.topic, [...(out.get(record.topic) ?? []), record]);
  return out;
}

/** kafkajs reports fencing as the broker's error type, possibly wrapped (the retrier's cause chain). */
export function isFenced(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = (e as { cause?: unknown }).cause ?? (e as { originalError?: unknown }).originalError) {
    const type = (e as { type?: unknown }).type;
    if (type === 'PRODUCER_FENCED' || type === 'INVALID_PRODUCER_EPOCH') return true;
  }
  return false;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
