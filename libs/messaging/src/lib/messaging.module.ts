import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka/kafka-health.indicator';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './kafka/messaging-options';
import { MessagingRuntime } from './nest/messaging-runtime';
import { OutboxWriter } from './outbox/outbox-writer';

/**
 * A service's Kafka side: the OutboxWriter to send through the outbox, the runtime that starts
 * the relay, the consumer of every @MessageHandler and the metrics, and the Kafka health check.
 * Needs TypeORM's DataSource (and uses prom-client's Registry when one is provided).
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [TerminusModule, DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: OutboxWriter, useValue: new OutboxWriter(options.service) },
        KafkaHealthIndicator,
        MessagingRuntime,
      ],
      exports: [MESSAGING_OPTIONS, KafkaHealthIndicator, OutboxWriter],
    };
  }
}
