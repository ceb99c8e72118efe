import { Kafka, logLevel } from 'kafkajs';
import { kafkaSsl, kafkaUser } from './infra';

export interface RawMessage {
  /** Default: the producer's partitioner picks it from the key. */
  partition?: number;
  key?: string;
  value: string;
  headers?: Record<string, string>;
}

/**
 * Produces messages exactly as given (no envelope, no checks) as the Kafka admin, e.g. a poison
 * message a consumer must dead-letter. For tests only: the shop's own code produces through
 * libs/messaging. Over TLS, verified against the local CA (`ssl`: kafkajs's option, for a private set).
 */
export async function produceRaw(brokers: string, topic: string, messages: RawMessage[], ssl = kafkaSsl()): Promise<void> {
  const producer = new Kafka({ clientId: 'test-produce', brokers: brokers.split(','), ssl, sasl: kafkaUser('admin'), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}
