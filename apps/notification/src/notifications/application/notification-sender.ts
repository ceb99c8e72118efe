import { Logger } from '@nestjs/common';
import { inStoredTrace } from '@shop/messaging';
import type { DataSource } from 'typeorm';
import { NotificationEntity } from '../infrastructure/notification.entity';
import type { SmtpMailer } from '../infrastructure/smtp-mailer';

/**
 * Sends pending notifications, one per transaction: the row is locked (other replicas skip
 * it), handed to the SMTP server, and marked SENT in the same transaction. A crash before the
 * commit leaves it PENDING, so it is sent again after a restart: the only window for a repeat
 * is between the server's acceptance and our commit, and the repeat carries the same
 * Message-ID. A failed send keeps the row PENDING with its error, for the next round.
 */
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly db: DataSource,
    private readonly mailer: SmtpMailer,
    private readonly pollMs: number,
  ) {}

  start(): void {
    const tick = async () => {
      this.running = this.sendPending().catch((error: unknown) => {
        this.logger.error({ err: error }, 'sending notifications failed');
        return 0;
      });
      await this.running;
      if (this.timer) this.timer = setTimeout(tick, this.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    this.mailer.close();
  }

  /** Sends every pending notification it can lock; stops at the first SMTP failure. Returns how many were sent. */
  async sendPending(): Promise<number> {
    let sent = 0;
    for (;;) {
      const outcome = await this.db.transaction(async (manager) => {
        const row = await manager
          .getRepository(NotificationEntity)
          .createQueryBuilder('n')
          .where(`n.status = 'PENDING'`)
          .orderBy('n.id')
          .limit(1)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getOne();
        if (!row) return 'none' as const;
        const attributes = { 'shop.order_id': row.orderId, 'shop.notification_kind': row.kind };
        try {
          // In the trace of the event that asked for the email (an error status if SMTP refuses).
          await inStoredTrace(row.traceContext, 'notification send', attributes, () =>
            this.mailer.send({ to: row.recipient, subject: row.subject, text: row.body, messageId: row.messageId }),
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          await manager.update(NotificationEntity, row.id, { attempts: row.attempts + 1, lastError: message });
          this.logger.warn({ orderId: row.orderId, kind: row.kind, err: message }, 'SMTP send failed; will retry');
          return 'failed' as const;
        }
        await manager.update(NotificationEntity, row.id, { status: 'SENT', attempts: row.attempts + 1, lastError: null, sentAt: new Date() });
        this.logger.log({ orderId: row.orderId, kind: row.kind, messageId: row.messageId }, 'notification sent');
        return 'sent' as const;
      });
      if (outcome !== 'sent') return sent;
      sent++;
    }
  }
}
