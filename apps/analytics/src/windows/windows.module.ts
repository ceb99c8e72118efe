import { DynamicModule, Global, Module } from '@nestjs/common';
import { HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { READINESS_CHECKS, type ReadinessChecks } from '@shop/platform';
import { Registry } from 'prom-client';
import { OrderWindowsProcessor, type OrderWindowsOptions } from './application/order-windows.processor';
import { RevenuePerMinuteController } from './http/revenue-per-minute.controller';

/**
 * The order windows: the processor (order events in, windows out, exactly once), the API that
 * reads its committed windows, and what /health/ready checks. Global: the platform's health
 * controller takes READINESS_CHECKS from here.
 */
@Global()
@Module({})
export class WindowsModule {
  static forRoot(options: OrderWindowsOptions): DynamicModule {
    return {
      module: WindowsModule,
      imports: [TerminusModule],
      controllers: [RevenuePerMinuteController],
      providers: [
        { provide: OrderWindowsProcessor, inject: [Registry], useFactory: (registry: Registry) => new OrderWindowsProcessor(options, registry) },
        {
          provide: READINESS_CHECKS,
          inject: [HealthIndicatorService, OrderWindowsProcessor],
          useFactory:
            (indicator: HealthIndicatorService, processor: OrderWindowsProcessor): ReadinessChecks =>
            () => [
              () => {
                const session = indicator.check('windows');
                const { running, fenced, problem } = processor.status();
                if (running) return session.up({ openWindows: processor.openWindows() });
                if (fenced) return session.down({ message: `another instance took over the transactional id: this one has stopped (${problem ?? 'fenced'})` });
                return session.down({ message: problem ?? 'restoring the windows from their topic, or joining the consumer group' });
              },
            ],
        },
      ],
      exports: [READINESS_CHECKS],
    };
  }
}
