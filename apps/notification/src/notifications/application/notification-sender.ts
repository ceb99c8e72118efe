import { inStoredTrace } from '@shop/messaging';
import { BackgroundWorker, claimDueRows, retryDelayMs, type WorkerRuntime, type WorkResult } from '@shop/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { NotificationEntity } from '../infrastructure/notification.entity';
import type { SmtpMailer } from '../infrastructure/smtp-mailer';

/** How the sender retries an email whose address the SMTP server refused. */
export interface SenderOptions {
  /** How often the sender looks for pending notifications. */
  pollMs: number;
  /** Emails locked and sent per transaction (default 50). */
  batchSize?: number;
  /** Refusals before an email is FAILED (default 8). */
  maxRefusals?: number;
  /** Wait before the second attempt; doubles each time up to retryMaxMs (defaults 30 s, 1 h). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Observes an email that reached FAILED (metrics). */
  onFailed?: (kind: string) => void;
}

/**
 * Sends pending notifications, a batch per transaction: up to `batchSize` due rows are locked
 * (other replicas skip them), handed to the SMTP server one by one, and the accepted ones are
 * marked SENT in one UPDATE in the same transaction. A crash before the commit leaves them
 * PENDING, so they are sent again after a restart: the only window for a repeat is between
 * the server's acceptance and our commit, and a repeat carries the same Message-ID.
 * Two kinds of failure:
 * - the server refuses this email (an SMTP 5xx answer, e.g. a rejected recipient): the row is
 *   tried again after a backoff, ends FAILED after `maxRefusals` refusals, and the round goes on with
 *   the next emails, so one bad address delays no other;
 * - the server cannot be reached (connection refused, timeout): every email would fail alike,
 *   so the row keeps its error and the round ends; the next poll tries again.
 * A background worker (`notification-sender`, one batch per pass, the next pass at once after a
 * full batch): started and stopped by Nest.
 */
export class NotificationSender extends BackgroundWorker {
  private readonly batchSize: number;
  private readonly maxRefusals: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly db: DataSource,
    private readonly mailer: SmtpMailer,
    private readonly options: SenderOptions,
    runtime?: WorkerRuntime,
  ) {
    super({ name: 'notification-sender', intervalMs: options.pollMs }, runtime);
    this.batchSize = options.batchSize ?? 50;
    this.maxRefusals = options.maxRefusals ?? 8;
    this.retryBaseMs = options.retryBaseMs ?? 30_000;
    this.retryMaxMs = options.retryMaxMs ?? 60 * 60_000;
  }

  /** Stops the loop (awaiting the batch in flight), then closes the SMTP connection. */
  override async stop(): Promise<void> {
    await super.stop();
    this.mailer.close();
  }

  /** Sends every due notification it can lock, batch after batch; stops when the SMTP server is unreachable. Returns how many were sent. */
  async sendPending(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.sendBatch();
      sent += batch.handled;
      if (!batch.more) return sent;
    }
  }

  protected override work(): Promise<WorkResult> {
    return this.sendBatch();
  }

  /** One transaction: locks up to `batchSize` due emails and sends them; `more` when the batch was full and the server reachable. */
  private async sendBatch(): Promise<{ handled: number; more: boolean }> {
    const { result, full } = await claimDueRows(this.db, {
      due: (manager) => manager.getRepository(NotificationEntity).createQueryBuilder('n').where(`n.status = 'PENDING' AND n.next_attempt_at <= now()`).orderBy('n.id'),
      limit: this.batchSize,
      handle: async (rows, manager) => {
        const accepted: NotificationEntity[] = [];
        let unreachable = false;
        for (const row of rows) {
          const attributes = { 'shop.order_id': row.orderId, 'shop.notification_kind': row.kind };
          try {
            // In the trace of the event that asked for the email (an error status if SMTP refuses).
            await inStoredTrace(row.traceContext, 'notification send', attributes, () =>
              this.mailer.send({ to: row.recipient, subject: row.subject, text: row.body, messageId: row.messageId }),
            );
            accepted.push(row);
          } catch (error) {
            unreachable = !refusedByServer(error);
            await this.failed(manager, row, error, unreachable);
            if (unreachable) break;
          }
        }
        if (accepted.length > 0) {
          await manager.query(`UPDATE notification SET status = 'SENT', attempts = attempts + 1, last_error = NULL, sent_at = now() WHERE id = ANY($1::bigint[])`, [
            accepted.map((r) => r.id),
          ]);
        }
        for (const row of accepted) this.logger.log({ orderId: row.orderId, kind: row.kind, messageId: row.messageId }, 'notification sent');
        return { sent: accepted.length, unreachable };
      },
    });
    return { handled: result.sent, more: full && !result.unreachable };
  }

  /** Records a failed attempt: retried at the next poll (server unreachable), after a backoff, or never again (FAILED). */
  private async failed(manager: EntityManager, row: NotificationEntity, error: unknown, unreachable: boolean): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const attempts = row.attempts + 1;
    if (unreachable) {
      await manager.update(NotificationEntity, row.id, { attempts, lastError: message });
      this.logger.warn({ orderId: row.orderId, kind: row.kind, err: message }, 'SMTP server unreachable; will retry');
      return;
    }
    const refusals = row.refusals + 1;
    if (refusals >= this.maxRefusals) {
      await manager.update(NotificationEntity, row.id, { attempts, refusals, lastError: message, status: 'FAILED' });
      this.logger.error({ orderId: row.orderId, kind: row.kind, refusals, err: message }, 'SMTP server refused the email on every attempt; FAILED');
      this.options.onFailed?.(row.kind);
      return;
    }
    const delayMs = retryDelayMs(refusals, this.retryBaseMs, this.retryMaxMs);
    await manager.update(NotificationEntity, row.id, { attempts, refusals, lastError: message, nextAttemptAt: new Date(Date.now() + delayMs) });
    this.logger.warn({ orderId: row.orderId, kind: row.kind, refusals, retryInMs: delayMs, err: message }, 'SMTP server refused the email; will retry');
  }
}

/** An SMTP 5xx answer about this email (nodemailer: a refused recipient is EENVELOPE), as opposed to a server that did not answer. */
function refusedByServer(error: unknown): boolean {
  const e = error as { code?: string; responseCode?: number };
  return e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || (typeof e.responseCode === 'number' && e.responseCode >= 500);
}
