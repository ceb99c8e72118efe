// The consumer's Kafka side from start to stop: its topics, the dead-letter producer, the group
// member (membership, pausing and resuming its topics, committing), and leaving.
import type { Logger } from '@nestjs/common';
import { logLevel, type Consumer, type EachBatchPayload, type Producer, type ProducerRecord, type TopicPartitionOffsetAndMetadata } from 'kafkajs';
import { KAFKA_CLIENT_RETRY } from '../kafka/client-retry';
import { kafkaClient, kafkaConnectionOf, type KafkaConnection } from '../kafka/kafka-client';
import { kafkajsLogCreator } from '../kafka/kafkajs-logger';
import { deadLetterTopic, ensureTopics } from '../kafka/topics';

/**
 * The consumers' session timeout: a member that died is noticed (and its partitions handed on)
 * after this long; 10 s instead of kafkajs' 30 s keeps rebalances short. It is also how long a
 * consumer that lost its membership (it crashed in a broker outage and kafkajs restarted it under
 * a new member id) may wait to rejoin once Kafka is back: the group waits for the old member to
 * expire first. The order saga's deadlines allow for that (DeadlineWatcher).
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 10_000;

export interface KafkaSessionOptions {
  connection: KafkaConnection;
  /** The consumer group, and the clients' id. */
  group: string;
  partitionsConsumedConcurrently?: number;
  /** Observes each request the consumer (or its dead-letter producer) sends to Kafka, by API name (metrics). */
  onKafkaRequest?: (client: 'consumer' | 'dead-letter', api: string) => void;
  /** Called at each group join: the first, after a rebalance, and after kafkajs restarted the consumer. */
  onJoin: () => void;
  logger: Logger;
}

export class KafkaSession {
  private consumer?: Consumer;
  private producer?: Producer;
  private member = false;

  constructor(private readonly options: KafkaSessionOptions) {}

  /** A member of the group: joined, and neither crashed nor stopped since. */
  get joined(): boolean {
    return this.member;
  }

  /** Makes sure `topics` and their DLQs exist, connects the dead-letter producer, and creates the group member (not connected yet: join). */
  async connect(topics: string[]): Promise<void> {
    const { group, onKafkaRequest } = this.options;
    const connection = kafkaConnectionOf(this.options.connection);
    const kafka = kafkaClient(connection, { clientId: group, retry: KAFKA_CLIENT_RETRY, logLevel: logLevel.WARN, logCreator: kafkajsLogCreator });
    await ensureTopics(connection, topics.flatMap((topic) => [{ topic }, { topic: deadLetterTopic(topic) }]));
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    if (onKafkaRequest) this.producer.on(this.producer.events.REQUEST, (e) => onKafkaRequest('dead-letter', e.payload.apiName));
    await this.producer.connect();
    this.consumer = kafka.consumer({ groupId: group, sessionTimeout: CONSUMER_SESSION_TIMEOUT_MS, heartbeatInterval: 3_000 });
    const { GROUP_JOIN, CRASH, STOP, DISCONNECT, REQUEST } = this.consumer.events;
    if (onKafkaRequest) this.consumer.on(REQUEST, (e) => onKafkaRequest('consumer', e.payload.apiName));
    this.consumer.on(GROUP_JOIN, () => {
      this.member = true;
      this.options.onJoin();
    });
    // After a retriable crash kafkajs restarts the consumer, which joins again.
    for (const left of [CRASH, STOP, DISCONNECT]) this.consumer.on(left, () => (this.member = false));
  }

  /** Connects the member, subscribes it to `topics` from their beginning, and hands it each fetched batch. */
  async join(topics: string[], eachBatch: (payload: EachBatchPayload) => Promise<void>): Promise<void> {
    await this.current().connect();
    await this.current().subscribe({ topics, fromBeginning: true });
    const consumer = this.current();
    await consumer.run({
      // Offsets are committed by OffsetCommits, and resolved only as each batch's messages are
      // handled (a batch left unfinished is fetched again).
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch,
    });
  }

  /** Commits offsets on the member; nothing before connect or after stop. */
  async commit(offsets: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    await this.consumer?.commitOffsets(offsets);
  }

  /** Sends on the dead-letter producer; nothing before connect or after stop. */
  async send(record: ProducerRecord): Promise<void> {
    await this.producer?.send(record);
  }

  /**
   * Pauses whole topics (kafkajs keeps a topic's pause across rebalances, for partitions assigned
   * later too). Before run() there is nothing to pause: the next group join pauses then.
   */
  pause(topics: string[]): void {
    try {
      this.consumer?.pause(topics.map((topic) => ({ topic })));
    } catch (error) {
      this.options.logger.debug({ err: String(error) }, 'could not pause yet; the next group join does');
    }
  }

  resume(topics: string[]): void {
    try {
      this.consumer?.resume(topics.map((topic) => ({ topic })));
    } catch (error) {
      this.options.logger.warn({ err: String(error) }, 'could not resume the partitions');
    }
  }

  /**
   * Leaves the group and disconnects both clients, after `beforeDisconnect` (the last offset
   * commit). With `timeoutMs`, waits at most that long.
   */
  async stop(timeoutMs: number | undefined, beforeDisconnect: () => Promise<void>): Promise<void> {
    const consumer = this.consumer;
    const producer = this.producer;
    this.member = false;
    const disconnected = (async () => {
      await beforeDisconnect();
      this.consumer = undefined;
      this.producer = undefined;
      await Promise.all([consumer?.disconnect(), producer?.disconnect()]);
    })();
    if (timeoutMs === undefined) return disconnected;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((done) => (timer = setTimeout(done, timeoutMs)));
    await Promise.race([disconnected.catch(() => undefined), deadline]);
    clearTimeout(timer);
  }

  /** The member connect() created; stop() in the meantime fails the start. */
  private current(): Consumer {
    if (!this.consumer) throw new Error('the consumer was stopped while it was starting');
    return this.consumer;
  }
}
