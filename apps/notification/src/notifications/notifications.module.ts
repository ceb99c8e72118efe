import { DynamicModule, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
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
          inject: [DataSource, Registry],
          useFactory: (db: DataSource, registry: Registry) => {
            const failed = new Counter({
              name: 'shop_notifications_failed_total',
              help: 'Emails given up after the SMTP server refused them on every attempt (status FAILED)',
              labelNames: ['kind'],
              registers: [registry],
            });
            return new NotificationSender(db, new SmtpMailer(options.smtp), { pollMs: options.pollMs, onFailed: (kind) => failed.inc({ kind }) });
          },
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
