import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { deadLetterTopic } from '../../../src';

/**
 * Reads `topic`'s dead-letter topic from the beginning, in a group of its own, pushing every
 * message into `into` as it arrives. Disconnect the returned consumer when done.
 */
export async function readDeadLetters(kafka: Kafka, topic: string, into: KafkaMessage[]): Promise<Consumer> {
  const reader = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
  await reader.connect();
  await reader.subscribe({ topic: deadLetterTopic(topic), fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void into.push(message) });
  return reader;
}
