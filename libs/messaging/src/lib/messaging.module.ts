import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KafkaHealthIndicator } from './kafka/kafka-health.indicator';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './kafka/messaging-options';

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [TerminusModule],
      providers: [{ provide: MESSAGING_OPTIONS, useValue: options }, KafkaHealthIndicator],
      exports: [MESSAGING_OPTIONS, KafkaHealthIndicator],
    };
  }
}
