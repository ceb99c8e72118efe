import { randomUUID } from 'node:crypto';
import { logLevel, type Kafka, type Producer } from 'kafkajs';
import { headerStrings } from '../envelope/envelope';
import { kafkaClient, type KafkaConnection } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import { replayedMessage, type DeadLetterRecord, type ReplayedMessage } from './dead-letter-record';

export interface DeadLetterQueueOptions {
  clientId: string;
  /**
   * Reading a topic takes a consumer group (kafkajs has no group-less consumer): each read uses a
   * fresh `<groupPrefix>-<uuid>` that commits nothing, so the principal needs READ on that prefix.
   */
  groupPrefix: string;
  /** How long one read of a topic to its end may take before it gives up. */
  readTimeoutMs?: number;
  /** kafkajs' own log; quiet by default (a CLI prints its own lines). */
  logLevel?: logLevel;
}

/** Thrown when the DLQ topic asked for does not exist (or the principal may not see it). */
export class UnknownTopicError extends Error {
  override readonly name = 'UnknownTopicError';
  constructor(readonly topic: string) {
    super(`no such topic: ${topic}`);
  }
}

/**
 * Reads dead-letter topics and replays their messages: the one implementation behind both
 * `npm run dlq` (scripts/dlq.mts) and the ops console's dead-letter view.
 */
export class DeadLetterQueue {
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;

  constructor(
    connection: KafkaConnection,
    private readonly options: DeadLetterQueueOptions,
  ) {
    this.kafka = kafkaClient(connection, {
      clientId: options.clientId,
      logLevel: options.logLevel ?? logLevel.NOTHING,
      logCreator: kafkajsLogCreator,
    });
  }

  /** Each partition's first and end offsets (low and high watermarks), by partition: what changes when a message is dead-lettered. */
  async ends(dlqTopic: string): Promise<Map<number, { low: bigint; high: bigint }>> {
    const all = await this.endsOf([dlqTopic]);
    return all.get(dlqTopic) ?? new Map();
  }

  /** ends() of several topics over one admin connection (a page polling eight DLQs asks this every few seconds). */
  async endsOf(dlqTopics: string[]): Promise<Map<string, Map<number, { low: bigint; high: bigint }>>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = dlqTopics.find((t) => !existing.has(t));
      if (missing) throw new UnknownTopicError(missing);
      const result = new Map<string, Map<number, { low: bigint; high: bigint }>>();
      for (const topic of dlqTopics) {
        const offsets = await admin.fetchTopicOffsets(topic);
        result.set(topic, new Map(offsets.map((p) => [p.partition, { low: BigInt(p.low), high: BigInt(p.high) }])));
      }
      return result;
    } finally {
      await admin.disconnect();
    }
  }

  /** Every message of the topic, from its start to its end as it was when the read began, by partition then offset. */
  async readAll(dlqTopic: string): Promise<DeadLetterRecord[]> {
    const ends = await this.ends(dlqTopic);
    // The last offset to read on each partition that has messages; the read is done when none is left.
    const pending = new Map([...ends].filter(([, e]) => e.high > e.low).map(([partition, e]) => [partition, e.high - 1n]));
    const records: DeadLetterRecord[] = [];
    if (pending.size === 0) return records;
    // A refused or failing read ends with its error: kafkajs would otherwise restart the consumer and keep trying.
    const consumer = this.kafka.consumer({ groupId: `${this.options.groupPrefix}-${randomUUID()}`, retry: { restartOnFailure: async () => false } });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: dlqTopic, fromBeginning: true });
      const timeoutMs = this.options.readTimeoutMs ?? 30_000;
      await new Promise<void>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`reading ${dlqTopic} to its end took longer than ${timeoutMs} ms`)), timeoutMs);
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          clearTimeout(timer);
          fail(payload.error);
        });
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const last = pending.get(partition);
              if (last === undefined || BigInt(message.offset) > last) return; // written after the read began
              records.push({
                dlqTopic,
                partition,
                offset: message.offset,
                key: message.key,
                value: message.value,
                headers: headerStrings(message),
              });
              if (BigInt(message.offset) >= last) pending.delete(partition);
              if (pending.size === 0) {
                clearTimeout(timer);
                done();
              }
            },
          })
          .catch((error: unknown) => {
            clearTimeout(timer);
            fail(error);
          });
      });
    } finally {
      await consumer.disconnect();
    }
    return records.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : BigInt(a.offset) > BigInt(b.offset) ? 1 : 0));
  }

  /** Republishes one dead letter to its original topic (see replayedMessage); returns what was sent. */
  async replay(record: DeadLetterRecord): Promise<ReplayedMessage> {
    const message = replayedMessage(record);
    this.producer ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      return producer;
    })();
    const producer = await this.producer.catch((error: unknown) => {
      this.producer = undefined;
      throw error;
    });
    await producer.send({
      topic: message.topic,
      messages: [{ key: message.key, value: message.value, headers: message.headers }],
    });
    return message;
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.then((p) => p.disconnect()).catch(() => undefined);
  }
}
