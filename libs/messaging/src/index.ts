export { MessagingModule } from './lib/messaging.module';
export type { MessagingModuleOptions } from './lib/kafka/messaging-options';
export { KafkaHealthIndicator } from './lib/nest/kafka-health.indicator';
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
export { OutboxRelay, RELAY_RECONNECT_BACKOFF, type OutboxRelayOptions } from './lib/outbox/outbox-relay';
export { deadLetterTopic, ensureTopics, type TopicLayout, type TopicSpec } from './lib/kafka/topics';
export { kafkaClient, kafkaConnectionOf, type KafkaConnection, type KafkaSasl } from './lib/kafka/kafka-client';
export { applyKafkaAcls, CONSOLE_PRINCIPAL, consoleKafkaAccess, kafkaAccess, kafkaAccessList, kafkaAcls, kafkaTopics, stateAccess, type KafkaAccess } from './lib/kafka/kafka-access';
export { CONSUMER_SESSION_TIMEOUT_MS, MessageConsumer, type DeliveryContext, type MessageConsumerOptions, type MessageHandlerFn, type Outcome } from './lib/consumer/message-consumer';
export { backoffDelay, DEFAULT_RETRY, exponentialDelay, type RetryPolicy } from './lib/resilience/backoff';
export {
  BREAKER_STATE_VALUE,
  BREAKER_TRANSITIONS,
  DEFAULT_BREAKER_SETTINGS,
  DependencyBreaker,
  type BreakerEvent,
  type BreakerSettings,
  type BreakerSnapshot,
  type BreakerState,
  type BreakerTransition,
  type DependencyBreakerOptions,
} from './lib/resilience/dependency-breaker';
export { DependencyBreakers, type BreakerReading } from './lib/resilience/dependency-breakers';
export { BreakerHealthIndicator } from './lib/nest/breaker-health.indicator';
export { DeadLetterHeaders, deadLetterRecord } from './lib/consumer/dead-letter';
export { MessagingMetrics, type MessagingMetricsOptions } from './lib/metrics/messaging-metrics';
export { MessageContext } from './lib/transport/message-context';
export { patternOf } from './lib/transport/message-pattern';
export { connectMessaging, MessagingTransport, type ConsumerStatus } from './lib/transport/messaging-transport';
export { RethrowToConsumerFilter } from './lib/transport/rethrow-to-consumer.filter';
export { currentMessageLogFields, type MessageLogFields } from './lib/logging/message-log-context';
export { captureTraceContext, inStoredTrace } from './lib/tracing/stored-trace-context';
export { NotReplayableError, replayedMessage, summarizeDeadLetter, type DeadLetterRecord, type DeadLetterSummary, type ReplayedMessage } from './lib/dead-letters/dead-letter-record';
export { DeadLetterQueue, UnknownTopicError, type DeadLetterQueueOptions } from './lib/dead-letters/dead-letter-queue';
export { readToEnd, type ReadToEndOptions } from './lib/streams/read-to-end';
export { isFenced, TransactionalProcessor, type BatchResult, type ProcessorStatus, type TransactionalProcessorOptions } from './lib/streams/transactional-processor';
export type { ConsumedBatch, ConsumedMessage, OutgoingRecord } from './lib/streams/consumed-message';
