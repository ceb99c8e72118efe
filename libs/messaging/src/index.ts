export { MessagingModule } from './lib/messaging.module';
export type { MessagingModuleOptions } from './lib/kafka/messaging-options';
export { KafkaHealthIndicator } from './lib/kafka/kafka-health.indicator';
export { kafkajsLogCreator } from './lib/kafka/kafkajs-logger';
export { messagingMigrations } from './lib/migrations';
export { NonRetryableError, PoisonMessageError } from './lib/errors';
export {
  causedBy,
  createEnvelope,
  decodeEnvelope,
  encodeEnvelope,
  headerStrings,
  type Causes,
  type Envelope,
  type IncomingKafkaMessage,
  type KafkaRecord,
} from './lib/envelope/envelope';
export { MessageValidator } from './lib/envelope/message-validator';
export { OUTBOX_CHANNEL, OutboxWriter } from './lib/outbox/outbox-writer';
export { ProducedSchemas, UnregisteredSchemasError } from './lib/schema-registry/produced-schemas';
export { OutboxRelay, type OutboxRelayOptions } from './lib/outbox/outbox-relay';
export { ensureTopics, type TopicLayout, type TopicSpec } from './lib/kafka/topics';
export { kafkaClient, type KafkaConnection, type KafkaSasl } from './lib/kafka/kafka-client';
export { applyKafkaAcls, CONSOLE_PRINCIPAL, consoleKafkaAccess, kafkaAccess, kafkaAccessList, kafkaAcls, kafkaTopics, type KafkaAccess } from './lib/kafka/kafka-access';
export { CONSUMER_SESSION_TIMEOUT_MS, MessageConsumer, type DeliveryContext, type MessageConsumerOptions, type MessageHandlerFn, type Outcome } from './lib/consumer/message-consumer';
export { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './lib/consumer/backoff';
export { DeadLetterHeaders, deadLetterTopic } from './lib/consumer/dead-letter';
export { MessagingMetrics, type MessagingMetricsOptions } from './lib/metrics/messaging-metrics';
export { MessageContext } from './lib/transport/message-context';
export { patternOf } from './lib/transport/message-pattern';
export { connectMessaging, MessagingTransport, type ConsumerStatus } from './lib/transport/messaging-transport';
export { RethrowToConsumerFilter } from './lib/transport/rethrow-to-consumer.filter';
export { currentMessageLogFields, type MessageLogFields } from './lib/logging/message-log-context';
export { captureTraceContext, inStoredTrace } from './lib/tracing/stored-trace-context';
export { NotReplayableError, replayedMessage, summarizeDeadLetter, type DeadLetterRecord, type DeadLetterSummary, type ReplayedMessage } from './lib/dead-letters/dead-letter-record';
export { DeadLetterQueue, UnknownTopicError, type DeadLetterQueueOptions } from './lib/dead-letters/dead-letter-queue';
