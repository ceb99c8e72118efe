import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AdminGuard } from './auth/admin.guard';
import { AuthController } from './auth/auth.controller';
import { OidcClient } from './auth/oidc-client';
import { Sessions } from './auth/sessions';
import { SignInErrorFilter } from './auth/sign-in-error.filter';
import { CONSOLE_CONFIG } from './console-config.token';
import type { ConsoleConfig } from './config';
import { HealthController } from './health/health.controller';
import { AnalyticsApiClient } from './analytics/analytics-api.client';
import { AnalyticsController } from './analytics/analytics.controller';
import { InventoryApiClient } from './inventory/inventory-api.client';
import { InventoryController } from './inventory/inventory.controller';
import { OrderApiClient } from './orders/order-api.client';
import { OrdersController, TestOrdersController } from './orders/orders.controller';
import { DeadLettersController } from './dead-letters/dead-letters.controller';
import { DeadLettersService } from './dead-letters/dead-letters.service';
import { MessagingController } from './messaging/messaging.controller';
import { HealthOverviewController } from './operations/health-overview.controller';
import { ShopServices } from './operations/shop-services';
import { TestOrderRunner } from './orders/test-order-runner';
import { JaegerClient } from './order-trace/jaeger.client';
import { OrderTraceController } from './order-trace/order-trace.controller';
import { MailpitClient } from './order-emails/mailpit.client';
import { OrderEmailsController } from './order-emails/order-emails.controller';
import { MessageSchemasController } from './schemas/message-schemas.controller';

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
            // The sign-in callback's URL carries the authorization code: not for the logs either.
            autoLogging: { ignore: (req) => /^\/(api|health)\/|^\/auth\/callback/.test(req.url ?? '') },
            // The session cookie and tokens are credentials.
            redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
          },
        }),
      ],
      controllers: [OrdersController, TestOrdersController, AuthController, HealthController, OrderTraceController, OrderEmailsController, MessagingController, DeadLettersController, HealthOverviewController, MessageSchemasController, InventoryController, AnalyticsController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: config },
        OidcClient,
        Sessions,
        AdminGuard,
        OrderApiClient,
        InventoryApiClient,
        AnalyticsApiClient,
        { provide: APP_FILTER, useClass: SignInErrorFilter },
        JaegerClient,
        MailpitClient,
        ShopServices,
        DeadLettersService,
        TestOrderRunner,
      ],
    };
  }
}
