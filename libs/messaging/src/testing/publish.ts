import { COMPACTED_TOPICS, type MessageDefinition } from '@shop/contracts';
import { logLevel } from 'kafkajs';
import { kafkaClient, type KafkaConnection } from '../lib/kafka/kafka-client';
import { createEnvelope, encodeEnvelope } from '../lib/envelope/envelope';
import { ensureTopics } from '../lib/kafka/topics';

/**
 * Publishes messages straight to Kafka, enveloped as their owner would send them, for suites
 * that run a consumer without the service that produces its input (order without inventory
 * needs a catalog to be ready). Production code sends through the outbox.
 */
export async function publishForTest<T>(kafka: KafkaConnection, definition: MessageDefinition<T>, items: T[], source = definition.owner): Promise<void> {
  await ensureTopics(kafka, [{ topic: definition.topic, compacted: COMPACTED_TOPICS.includes(definition.topic) }]);
  const producer = kafkaClient(kafka, { clientId: 'test-publisher', logLevel: logLevel.NOTHING }).producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic: definition.topic, acks: -1, messages: items.map((data) => encodeEnvelope(createEnvelope(definition, data, source))) });
  } finally {
    await producer.disconnect();
  }
}
