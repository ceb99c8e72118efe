import { DynamicModule, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationSender } from './application/notification-sender';
import { NotificationService } from './application/notification.service';
import { OrderEventsHandler } from './application/on-order-events/order-events.handler';
import { SmtpMailer, type SmtpOptions } from './infrastructure/smtp-mailer';

export interface NotificationsOptions {
  smtp: SmtpOptions;
  /** How often the sender looks for pending notifications. */
  pollMs: number;
}

@Module({})
export class NotificationsModule implements OnApplicationBootstrap, OnApplicationShutdown {
  static forRoot(options: NotificationsOptions): DynamicModule {
    return {
      module: NotificationsModule,
      providers: [
        NotificationService,
        OrderEventsHandler,
        {
          provide: NotificationSender,
          inject: [DataSource],
          useFactory: (db: DataSource) => new NotificationSender(db, new SmtpMailer(options.smtp), options.pollMs),
        },
      ],
      exports: [NotificationService],
    };
  }

  constructor(private readonly sender: NotificationSender) {}

  onApplicationBootstrap(): void {
    this.sender.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.stop();
  }
}
