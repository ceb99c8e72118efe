import { DynamicModule, Module } from '@nestjs/common';
import { breakerSettings, PlatformModule } from '@shop/platform';
import type { NotificationConfig } from './config';
import { NotificationEntity } from './notifications/infrastructure/notification.entity';
import { CreateNotification1764000200000 } from './notifications/infrastructure/migrations/1764000200000-create-notification';
import { AddNotificationTraceContext1764000900000 } from './notifications/infrastructure/migrations/1764000900000-add-notification-trace-context';
import { AddNotificationRetry1764001200000 } from './notifications/infrastructure/migrations/1764001200000-add-notification-retry';
import { AddNotificationSending1764001500000 } from './notifications/infrastructure/migrations/1764001500000-add-notification-sending';
import { IndexFinishedNotifications1764001700000 } from './notifications/infrastructure/migrations/1764001700000-index-finished-notifications';
import { NotificationsModule } from './notifications/notifications.module';

export const notificationMigrations = [
  CreateNotification1764000200000,
  AddNotificationTraceContext1764000900000,
  AddNotificationRetry1764001200000,
  AddNotificationSending1764001500000,
  IndexFinishedNotifications1764001700000,
];

@Module({})
export class AppModule {
  static forRoot(config: NotificationConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'notification',
          config,
          entities: [NotificationEntity],
          migrations: notificationMigrations,
        }),
        NotificationsModule.forRoot({
          smtp: { host: config.SMTP_HOST, port: config.SMTP_PORT, from: config.MAIL_FROM, user: config.SMTP_USER, password: config.SMTP_PASSWORD, security: config.SMTP_SECURITY },
          pollMs: config.NOTIFICATION_POLL_MS,
          retentionMs: config.NOTIFICATION_RETENTION_HOURS * 60 * 60 * 1000,
          breaker: breakerSettings(config),
        }),
      ],
    };
  }
}
