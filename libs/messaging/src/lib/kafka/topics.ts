import { logLevel, type Admin } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from './kafka-client';
import { kafkajsLogCreator } from './kafkajs-logger';

export interface TopicSpec {
  topic: string;
  /** Log compaction keeps the latest message per key (the catalog). */
  compacted?: boolean;
  /** Its own partition count, rather than ensureTopics' `partitions`. */
  partitions?: number;
  /** Copies of each partition (default: the brokers' default.replication.factor). */
  replicationFactor?: number;
  /** min.insync.replicas: the copies an acks=all send waits for (default: the brokers'). */
  minInsyncReplicas?: number;
}

const DLQ_SUFFIX = '.dlq';

/** The dead-letter topic of `topic`: `<topic>.dlq`, where its consumers dead-letter. */
export const deadLetterTopic = (topic: string) => `${topic}${DLQ_SUFFIX}`;

/**
 * The topic whose dead letters `dlqTopic` holds, from its name (`payment.events` for
 * `payment.events.dlq`): the only topic its messages are replayed to. Null for a name that is no DLQ's.
 */
export function originOfDeadLetterTopic(dlqTopic: string): string | null {
  return dlqTopic.endsWith(DLQ_SUFFIX) && dlqTopic.length > DLQ_SUFFIX.length ? dlqTopic.slice(0, -DLQ_SUFFIX.length) : null;
}

/** How the topics of a cluster are laid out (the local infra's topicLayout says it per broker count). */
export type TopicLayout = Required<Pick<TopicSpec, 'partitions' | 'replicationFactor' | 'minInsyncReplicas'>>;

/**
 * Creates the topics that do not exist yet (idempotent; existing topics are left as they are).
 * A topic the principal may not describe looks missing: name only topics it has ACLs for (a
 * service principal has no CREATE, so on the shop's brokers the admin creates the topics first).
 */
export async function ensureTopics(connection: KafkaConnection, topics: TopicSpec[], partitions = 3): Promise<void> {
  const admin = kafkaClient(connection, { clientId: 'topic-setup', logLevel: logLevel.WARN, logCreator: kafkajsLogCreator }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: false, // leadersElected below: kafkajs's own wait gives up on a cluster
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions ?? partitions,
        ...(t.replicationFactor === undefined ? {} : { replicationFactor: t.replicationFactor }),
        configEntries: [
          ...(t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : []),
          ...(t.minInsyncReplicas === undefined ? [] : [{ name: 'min.insync.replicas', value: `${t.minInsyncReplicas}` }]),
        ],
      })),
    });
    await leadersElected(admin, missing.map((t) => t.topic));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until every partition of the new topics has a leader. On a cluster the broker asked may
 * not know a topic the controller has just created (UNKNOWN_TOPIC_OR_PARTITION for a moment),
 * which kafkajs's own wait (waitForLeaders) treats as fatal: any error is retried until the deadline.
 */
async function leadersElected(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      if (Date.now() > deadline) throw new Error(`the partitions of ${topics.join(', ')} have no leader after ${timeoutMs} ms`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((done) => setTimeout(done, 100));
  }
}
