import { Kafka, type KafkaConfig } from 'kafkajs';

/**
 * Who a client is: a SASL/SCRAM-SHA-512 user (the shop's brokers refuse unauthenticated
 * clients; Strimzi's KafkaUsers and the local infra both use SCRAM-SHA-512).
 */
export interface KafkaSasl {
  username: string;
  password: string;
}

/** Where a Kafka cluster is and who connects to it. */
export interface KafkaConnection {
  brokers: string[];
  sasl: KafkaSasl;
}

/**
 * The one place the library builds a kafkajs client: every client of a service (consumer,
 * dead-letter producer, outbox relay, topic setup, health check, metrics) connects with the
 * same brokers and credentials. The password is only handed to kafkajs, never logged.
 */
export function kafkaClient(connection: KafkaConnection, config: Omit<KafkaConfig, 'brokers' | 'sasl' | 'ssl'> = {}): Kafka {
  const { username, password } = connection.sasl;
  return new Kafka({ ...config, brokers: connection.brokers, sasl: { mechanism: 'scram-sha-512', username, password } });
}
