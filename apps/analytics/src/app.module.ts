import { DynamicModule, Module } from '@nestjs/common';
import { PlatformModule } from '@shop/platform';
import type { AnalyticsConfig } from './config';
import { WindowsModule } from './windows/windows.module';

@Module({})
export class AppModule {
  static forRoot(config: AnalyticsConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forStream({ service: 'analytics', config }),
        WindowsModule.forRoot({
          kafka: { brokers: config.KAFKA_BROKERS, sasl: { username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD }, tls: config.KAFKA_SECURITY_PROTOCOL === 'SASL_SSL' },
          graceMs: config.ANALYTICS_GRACE_MS,
        }),
      ],
    };
  }
}
