export { MessagingModule } from './lib/messaging.module';
export type { MessagingModuleOptions } from './lib/kafka/messaging-options';
export { KafkaHealthIndicator } from './lib/kafka/kafka-health.indicator';
export { kafkajsLogCreator } from './lib/kafka/kafkajs-logger';
export { messagingMigrations } from './lib/migrations';
