import { DependencyBreaker, exponentialDelay, inStoredTrace, type BreakerSettings, type BreakerSnapshot, type BreakerTransition } from '@shop/messaging';
import { BackgroundWorker, claimDueRows, type WorkerRuntime, type WorkResult } from '@shop/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { NotificationEntity } from '../infrastructure/notification.entity';
import { isSmtpServerDown, type SmtpMailer } from '../infrastructure/smtp-mailer';

/** How the sender retries an email whose address the SMTP server refused. */
export interface SenderOptions {
  /** How often the sender looks for pending notifications. */
  pollMs: number;
  /** Emails claimed and sent per round (default 50). */
  batchSize?: number;
  /** Refusals before an email is FAILED (default 8). */
  maxRefusals?: number;
  /** Wait before the second attempt; doubles each time up to retryMaxMs (defaults 30 s, 1 h). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /**
   * How long a claim holds (default 60 s): a SENDING email whose sender died is sent again after
   * this. Longer than a round can take (50 emails, each within the SMTP socket timeout).
   */
  leaseMs?: number;
  /** Observes an email that reached FAILED (metrics). */
  onFailed?: (kind: string) => void;
  /** The SMTP breaker's probe schedule and trial window (DependencyBreaker; defaults DEFAULT_BREAKER_SETTINGS). */
  breaker?: Partial<BreakerSettings>;
  /** Observes each change of the SMTP breaker's state (metrics); the breaker logs it itself. */
  onBreakerTransition?: (transition: BreakerTransition) => void;
}

/** The sender's name as the owner of its SMTP breaker (metrics' `consumer` label, health). */
export const SENDER_NAME = 'notification-sender';

/** What one round did to each claimed email, to be written in one transaction. */
interface RoundOutcome {
  accepted: NotificationEntity[];
  failed: Array<{ row: NotificationEntity; error: unknown; unreachable: boolean }>;
  /** Claimed but not tried (the server became unreachable first). */
  untried: NotificationEntity[];
}

/**
 * Sends pending notifications, a round at a time, in three steps:
 * 1. claim: one transaction marks up to `batchSize` due emails SENDING, with a lease (other
 *    replicas skip them, locked or leased);
 * 2. send: each is handed to the SMTP server, outside any transaction;
 * 3. record: one transaction marks the accepted ones SENT and writes each failure.
 * If the database is gone at step 3 (a Postgres restart), the outcome is kept in memory and
 * written first thing in the next round, so nothing the server accepted is sent again. Only a
 * crash of this process between steps 2 and 3 repeats emails: their lease runs out and another
 * round sends them again, with the same Message-ID.
 * Two kinds of failure:
 * - the server refuses this email (an SMTP 5xx answer, e.g. a rejected recipient): the row is
 *   tried again after a backoff, ends FAILED after `maxRefusals` refusals, and the round goes on with
 *   the next emails, so one bad address delays no other;
 * - the server cannot be reached (connection refused, timeout; isSmtpServerDown): every email
 *   would fail alike, so the row keeps its error, the round ends and the SMTP breaker opens:
 *   no round claims an email while it is open (no attempt is spent on the outage), and it
 *   probes the server (an SMTP connection check, `verify`) on a growing schedule. When a probe
 *   answers, the next round sends one email as the trial: accepted (or refused for its own
 *   reason), the breaker closes and rounds go on as before; unreachable, it opens again.
 * A background worker (`notification-sender`, one round per pass, the next pass at once after a
 * full one): started and stopped by Nest.
 */
export class NotificationSender extends BackgroundWorker {
  private readonly batchSize: number;
  private readonly maxRefusals: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly leaseMs: number;
  /** Rounds whose outcome the database did not take yet (it was unreachable at step 3). */
  private readonly unrecorded: RoundOutcome[] = [];
  private readonly breaker: DependencyBreaker;

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
    this.leaseMs = options.leaseMs ?? 60_000;
    this.breaker = new DependencyBreaker({
      consumer: SENDER_NAME,
      dependency: 'smtp',
      isDown: isSmtpServerDown,
      probe: () => mailer.verify(),
      settings: options.breaker,
      onTransition: options.onBreakerTransition,
    });
  }

  /** The SMTP breaker, for metrics and health. */
  breakerSnapshot(): BreakerSnapshot {
    return this.breaker.snapshot();
  }

  override start(): void {
    this.breaker.start();
    super.start();
  }

  /** Stops the loop (awaiting the round in flight) and the breaker's probes, then closes the SMTP connection. */
  override async stop(): Promise<void> {
    await super.stop();
    this.breaker.stop();
    this.mailer.close();
  }

  /** Sends every due notification it can claim, round after round; stops when the SMTP server is unreachable. Returns how many were sent. */
  async sendPending(): Promise<number> {
    let sent = 0;
    for (;;) {
      const round = await this.sendRound();
      sent += round.handled;
      if (!round.more) return sent;
    }
  }

  protected override work(): Promise<WorkResult> {
    return this.sendRound();
  }

  /** Claim, send, record; `more` when the round was full and the server reachable. */
  private async sendRound(): Promise<{ handled: number; more: boolean }> {
    // What an earlier round could not write: first, so its emails are never claimed again.
    while (this.unrecorded.length > 0) {
      await this.record(this.unrecorded[0]);
      this.unrecorded.shift();
    }
    // Open: the server is down, nothing is claimed. Half-open: this round is the trial, one email
    // (another round meanwhile claims nothing: it does not wait, so stopping never waits for a verdict).
    if (!this.breaker.admitNow()) return { handled: 0, more: false };
    const limit = this.breaker.state === 'closed' ? this.batchSize : 1;
    const { result: rows, full } = await claimDueRows(this.db, {
      due: (manager) =>
        manager.getRepository(NotificationEntity).createQueryBuilder('n').where(`n.status IN ('PENDING', 'SENDING') AND n.next_attempt_at <= now()`).orderBy('n.id'),
      limit,
      handle: async (claimed, manager) => {
        if (claimed.length > 0) {
          await manager.query(`UPDATE notification SET status = 'SENDING', next_attempt_at = now() + $2 * interval '1 millisecond' WHERE id = ANY($1::bigint[])`, [
            claimed.map((r) => r.id),
            this.leaseMs,
          ]);
        }
        return claimed;
      },
    });
    if (rows.length === 0) return { handled: 0, more: false };

    const outcome = await this.send(rows);
    try {
      await this.record(outcome);
    } catch (error) {
      this.unrecorded.push(outcome);
      throw error; // the worker logs it and tries again at the next poll
    }
    const unreachable = outcome.untried.length > 0 || outcome.failed.some((f) => f.unreachable);
    return { handled: outcome.accepted.length, more: full && !unreachable };
  }

  /** Hands each claimed email to the SMTP server, in order, until the server cannot be reached. */
  private async send(rows: NotificationEntity[]): Promise<RoundOutcome> {
    const outcome: RoundOutcome = { accepted: [], failed: [], untried: [] };
    for (const [i, row] of rows.entries()) {
      const attributes = { 'shop.order_id': row.orderId, 'shop.notification_kind': row.kind };
      try {
        // In the trace of the event that asked for the email (an error status if SMTP refuses).
        await inStoredTrace(row.traceContext, 'notification send', attributes, () =>
          this.mailer.send({ to: row.recipient, subject: row.subject, text: row.body, messageId: row.messageId }),
        );
        outcome.accepted.push(row);
        this.breaker.answered();
      } catch (error) {
        const unreachable = this.breaker.failed(error);
        outcome.failed.push({ row, error, unreachable });
        if (unreachable) {
          outcome.untried = rows.slice(i + 1);
          break;
        }
      }
    }
    return outcome;
  }

  /**
   * Writes a round's outcome in one transaction; each update applies only while the row is still
   * SENDING, so writing it twice changes nothing. Logs and the FAILED count come after the commit,
   * so an outcome written again after a database outage is reported once.
   */
  private async record(outcome: RoundOutcome): Promise<void> {
    const reports: Array<() => void> = [];
    await this.db.transaction(async (manager) => {
      if (outcome.accepted.length > 0) {
        await manager.query(
          `UPDATE notification SET status = 'SENT', attempts = attempts + 1, last_error = NULL, sent_at = now() WHERE id = ANY($1::bigint[]) AND status = 'SENDING'`,
          [outcome.accepted.map((r) => r.id)],
        );
      }
      for (const { row, error, unreachable } of outcome.failed) reports.push(await this.failed(manager, row, error, unreachable));
      if (outcome.untried.length > 0) {
        await manager.query(`UPDATE notification SET status = 'PENDING', next_attempt_at = now() WHERE id = ANY($1::bigint[]) AND status = 'SENDING'`, [
          outcome.untried.map((r) => r.id),
        ]);
      }
    });
    for (const row of outcome.accepted) this.logger.log({ orderId: row.orderId, kind: row.kind, messageId: row.messageId }, 'notification sent');
    for (const report of reports) report();
  }

  /** Records a failed attempt: retried at the next poll (server unreachable), after a backoff, or never again (FAILED). Returns its report, for after the commit. */
  private async failed(manager: EntityManager, row: NotificationEntity, error: unknown, unreachable: boolean): Promise<() => void> {
    const message = error instanceof Error ? error.message : String(error);
    const attempts = row.attempts + 1;
    const stillClaimed = { id: row.id, status: 'SENDING' as const };
    if (unreachable) {
      await manager.update(NotificationEntity, stillClaimed, { attempts, lastError: message, status: 'PENDING', nextAttemptAt: () => 'now()' });
      return () => this.logger.warn({ orderId: row.orderId, kind: row.kind, err: message }, 'SMTP server unreachable; the email waits for the SMTP breaker to close');
    }
    const refusals = row.refusals + 1;
    if (refusals >= this.maxRefusals) {
      await manager.update(NotificationEntity, stillClaimed, { attempts, refusals, lastError: message, status: 'FAILED' });
      return () => {
        this.logger.error({ orderId: row.orderId, kind: row.kind, refusals, err: message }, 'SMTP server refused the email on every attempt; FAILED');
        this.options.onFailed?.(row.kind);
      };
    }
    const delayMs = exponentialDelay(refusals, { baseMs: this.retryBaseMs, maxMs: this.retryMaxMs });
    await manager.update(NotificationEntity, stillClaimed, { attempts, refusals, lastError: message, status: 'PENDING', nextAttemptAt: new Date(Date.now() + delayMs) });
    return () => this.logger.warn({ orderId: row.orderId, kind: row.kind, refusals, retryInMs: delayMs, err: message }, 'SMTP server refused the email; will retry');
  }
}
