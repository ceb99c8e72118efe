import { Kafka, type KafkaConfig } from 'kafkajs';

/**
 * Who a client is: a SASL/SCRAM-SHA-512 user (the shop's brokers refuse unauthenticated
 * clients; Strimzi's KafkaUsers and the local infra both use SCRAM-SHA-512).
 */
export interface KafkaSasl {
  username: string;
  password: string;
}

/** Where a Kafka cluster is, who connects to it, and whether over TLS. */
export interface KafkaConnection {
  brokers: string[];
  sasl: KafkaSasl;
  /**
   * SASL_SSL when true (the brokers' certificates verified against Node's trusted CAs, to which
   * NODE_EXTRA_CA_CERTS adds a private CA, and their names checked) or when given a CA (PEM: the
   * brokers verified against it alone, for a process started without NODE_EXTRA_CA_CERTS, such
   * as a test runner); SASL_PLAINTEXT otherwise.
   */
  tls?: boolean | { ca: string };
}

/** The connection part of a larger options object (a consumer's, the relay's, the module's). */
export function kafkaConnectionOf({ brokers, sasl, tls }: KafkaConnection): KafkaConnection {
  return { brokers, sasl, tls };
}

/**
 * The one place the library builds a kafkajs client: every client of a service (consumer,
 * dead-letter producer, outbox relay, topic setup, health check, metrics) connects with the
 * same brokers and credentials. The password is only handed to kafkajs, never logged.
 */
export function kafkaClient(connection: KafkaConnection, config: Omit<KafkaConfig, 'brokers' | 'sasl' | 'ssl'> = {}): Kafka {
  const { username, password } = connection.sasl;
  const { tls } = connection;
  const ssl = typeof tls === 'object' ? { ca: [tls.ca] } : tls === true;
  return new Kafka({ ...config, brokers: connection.brokers, ssl, sasl: { mechanism: 'scram-sha-512', username, password } });
}
