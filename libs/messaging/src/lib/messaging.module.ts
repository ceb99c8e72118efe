import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './kafka/messaging-options';
import { BreakerHealthIndicator } from './nest/breaker-health.indicator';
import { KafkaHealthIndicator } from './nest/kafka-health.indicator';
import { MessagingRuntime } from './nest/messaging-runtime';
import { OutboxWriter } from './outbox/outbox-writer';
import { DependencyBreakers } from './resilience/dependency-breakers';
import { ProducedSchemas } from './schema-registry/produced-schemas';
import { MessagingTransport } from './transport/messaging-transport';

/**
 * A service's Kafka side: the OutboxWriter to send through the outbox, the runtime that creates
 * the topics and starts the relay and the metrics, the transport whose consumer runs the
 * @EventPattern handlers (connected with connectMessaging(app)), the Kafka health check, and the
 * dependency breakers (DependencyBreakers: the consumer's, and any a service adds) with their health.
 * Needs TypeORM's DataSource (and uses prom-client's Registry when one is provided).
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const schemas = new ProducedSchemas();
    return {
      module: MessagingModule,
      imports: [TerminusModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: ProducedSchemas, useValue: schemas },
        { provide: OutboxWriter, useValue: new OutboxWriter(options.service, schemas) },
        KafkaHealthIndicator,
        DependencyBreakers,
        BreakerHealthIndicator,
        MessagingTransport,
        MessagingRuntime,
      ],
      exports: [MESSAGING_OPTIONS, KafkaHealthIndicator, BreakerHealthIndicator, DependencyBreakers, OutboxWriter, MessagingTransport],
    };
  }
}
