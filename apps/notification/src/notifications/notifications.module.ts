import { DynamicModule, Module } from '@nestjs/common';
import { WorkerRuntime } from '@shop/platform';
import { Counter, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { NotificationPruner } from './application/notification-pruner';
import { NotificationSender } from './application/notification-sender';
import { NotificationService } from './application/notification.service';
import { OrderEventsHandler } from './application/on-order-events/order-events.handler';
import { SmtpMailer, type SmtpOptions } from './infrastructure/smtp-mailer';

export interface NotificationsOptions {
  smtp: SmtpOptions;
  /** How often the sender looks for pending notifications. */
  pollMs: number;
  /** Finished notifications (SENT, FAILED) older than this are deleted. */
  retentionMs: number;
}

@Module({})
export class NotificationsModule {
  static forRoot(options: NotificationsOptions): DynamicModule {
    return {
      module: NotificationsModule,
      // Message handlers are controllers of the messaging transport (@EventPattern methods).
      controllers: [OrderEventsHandler],
      providers: [
        NotificationService,
        // A background worker: Nest starts it at bootstrap and stops it (then closes SMTP) at shutdown.
        {
          provide: NotificationSender,
          inject: [DataSource, Registry, WorkerRuntime],
          useFactory: (db: DataSource, registry: Registry, runtime: WorkerRuntime) => {
            const failed = new Counter({
              name: 'shop_notifications_failed_total',
              help: 'Emails given up after the SMTP server refused them on every attempt (status FAILED)',
              labelNames: ['kind'],
              registers: [registry],
            });
            return new NotificationSender(db, new SmtpMailer(options.smtp), { pollMs: options.pollMs, onFailed: (kind) => failed.inc({ kind }) }, runtime);
          },
        },
        // Another background worker: deletes finished notifications past their retention.
        {
          provide: NotificationPruner,
          inject: [DataSource, WorkerRuntime],
          useFactory: (db: DataSource, runtime: WorkerRuntime) => new NotificationPruner(db, { retentionMs: options.retentionMs }, runtime),
        },
      ],
      exports: [NotificationService],
    };
  }
}
