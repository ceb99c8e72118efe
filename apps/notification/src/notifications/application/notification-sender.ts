import { Logger } from '@nestjs/common';
import { inStoredTrace } from '@shop/messaging';
import type { DataSource } from 'typeorm';
import { NotificationEntity } from '../infrastructure/notification.entity';
import type { SmtpMailer } from '../infrastructure/smtp-mailer';

/**
 * Sends pending notifications, a batch per transaction: up to `batchSize` rows are locked
 * (other replicas skip them), handed to the SMTP server one by one, and the accepted ones are
 * marked SENT in one UPDATE in the same transaction. A crash before the commit leaves them
 * PENDING, so they are sent again after a restart: the only window for a repeat is between
 * the server's acceptance and our commit, and a repeat carries the same Message-ID. A failed
 * send keeps its row PENDING with its error, for the next round, and ends the round.
 */
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly db: DataSource,
    private readonly mailer: SmtpMailer,
    private readonly pollMs: number,
    private readonly batchSize = 50,
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
      const round = await this.db.transaction(async (manager) => {
        const rows = await manager
          .getRepository(NotificationEntity)
          .createQueryBuilder('n')
          .where(`n.status = 'PENDING'`)
          .orderBy('n.id')
          .limit(this.batchSize)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        const accepted: NotificationEntity[] = [];
        let failed = false;
        for (const row of rows) {
          const attributes = { 'shop.order_id': row.orderId, 'shop.notification_kind': row.kind };
          try {
            // In the trace of the event that asked for the email (an error status if SMTP refuses).
            await inStoredTrace(row.traceContext, 'notification send', attributes, () =>
              this.mailer.send({ to: row.recipient, subject: row.subject, text: row.body, messageId: row.messageId }),
            );
            accepted.push(row);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            await manager.update(NotificationEntity, row.id, { attempts: row.attempts + 1, lastError: message });
            this.logger.warn({ orderId: row.orderId, kind: row.kind, err: message }, 'SMTP send failed; will retry');
            failed = true;
            break;
          }
        }
        if (accepted.length > 0) {
          await manager.query(`UPDATE notification SET status = 'SENT', attempts = attempts + 1, last_error = NULL, sent_at = now() WHERE id = ANY($1::bigint[])`, [
            accepted.map((r) => r.id),
          ]);
        }
        for (const row of accepted) this.logger.log({ orderId: row.orderId, kind: row.kind, messageId: row.messageId }, 'notification sent');
        return { sent: accepted.length, more: !failed && rows.length === this.batchSize };
      });
      sent += round.sent;
      if (!round.more) return sent;
    }
  }
}
