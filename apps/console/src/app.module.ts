import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AdminSignInFilter } from './admin-token/admin-sign-in.filter';
import { AdminToken } from './admin-token/admin-token';
import { CONSOLE_CONFIG } from './console-config.token';
import type { ConsoleConfig } from './config';
import { HealthController } from './health/health.controller';
import { OrderApiClient } from './orders/order-api.client';
import { OrdersController } from './orders/orders.controller';

@Module({})
export class AppModule {
  static forRoot(config: ConsoleConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            // The page polls every second or two: one log line per poll would drown everything else.
            autoLogging: { ignore: (req) => req.url?.startsWith('/api/') === true || req.url?.startsWith('/health/') === true },
          },
        }),
      ],
      controllers: [OrdersController, HealthController],
      providers: [{ provide: CONSOLE_CONFIG, useValue: config }, AdminToken, OrderApiClient, { provide: APP_FILTER, useClass: AdminSignInFilter }],
    };
  }
}
