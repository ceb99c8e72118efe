import { logLevel } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from './kafka-client';
import { kafkajsLogCreator } from './kafkajs-logger';

export interface TopicSpec {
  topic: string;
  /** Log compaction keeps the latest message per key (the catalog). */
  compacted?: boolean;
}

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
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.topic,
        numPartitions: partitions,
        configEntries: t.compacted ? [{ name: 'cleanup.policy', value: 'compact' }] : [],
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
