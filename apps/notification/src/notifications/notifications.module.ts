import { DynamicModule, Module } from '@nestjs/common';
import { DependencyBreakers, type BreakerSettings } from '@shop/messaging';
import { WorkerRuntime } from '@shop/platform';
import { Counter, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { NotificationPruner } from './application/notification-pruner';
import { NotificationSender, SENDER_NAME } from './application/notification-sender';
import { NotificationService } from './application/notification.service';
import { OrderEventsHandler } from './application/on-order-events/order-events.handler';
import { SmtpMailer, type SmtpOptions } from './infrastructure/smtp-mailer';

export interface NotificationsOptions {
  smtp: SmtpOptions;
  /** How often the sender looks for pending notifications. */
  pollMs: number;
  /** Finished notifications (SENT, FAILED) older than this are deleted. */
  retentionMs: number;
  /** The SMTP breaker's probe schedule and trial window. */
  breaker?: Partial<BreakerSettings>;
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
        // Its SMTP breaker joins the service's breakers (metrics, /health/ready) beside the consumer's.
        {
          provide: NotificationSender,
          inject: [DataSource, Registry, WorkerRuntime, DependencyBreakers],
          useFactory: (db: DataSource, registry: Registry, runtime: WorkerRuntime, breakers: DependencyBreakers) => {
            const failed = new Counter({
              name: 'shop_notifications_failed_total',
              help: 'Emails given up after the SMTP server refused them on every attempt (status FAILED)',
              labelNames: ['kind'],
              registers: [registry],
            });
            const sender = new NotificationSender(
              db,
              new SmtpMailer(options.smtp),
              { pollMs: options.pollMs, onFailed: (kind) => failed.inc({ kind }), breaker: options.breaker, onBreakerTransition: (t) => breakers.transitioned(t) },
              runtime,
            );
            breakers.register(() => [{ consumer: SENDER_NAME, ...sender.breakerSnapshot() }]);
            return sender;
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
