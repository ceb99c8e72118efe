// The batch transaction: a run of deliveries handled in one transaction with the inbox, and its
// fallback, each delivery alone in its own transaction, through its retries.
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import { isForged } from '../errors';
import type { DatabaseOutage } from './database-outage';
import type { DeadLetterSender } from './dead-letter';
import type { BatchTurn, Delivery, OurDelivery, ReportOutcome } from './delivery';
import { startDeliverySpan, withinDelivery, type Traced } from './delivery-span';
import { recordInInbox } from './inbox';
import type { Retries } from './retry-policy';

export interface BatchTransactionOptions {
  /** The consumer group: the name under which deliveries are recorded in the inbox. */
  consumer: string;
  db: DataSource;
  outage: DatabaseOutage;
  retries: Retries;
  deadLetters: DeadLetterSender;
  report: ReportOutcome;
}

/**
 * The messages of a run are handled in one transaction, in offset order, with one inbox insert
 * for all of them: under load a fetch holds many messages, and one durable commit for all of
 * them, instead of one each, is the biggest saving per message. If a handler fails, the
 * transaction is rolled back, the messages before it are handled one transaction each, the
 * failed one goes through its retries (the batch attempt counts as its first), and the rest is
 * batched again. A message is recorded in the inbox in the same transaction as its handler's
 * effects, so a redelivery finds it there and changes nothing.
 */
export class BatchTransaction {
  constructor(private readonly options: BatchTransactionOptions) {}

  /** Handles a run of deliveries of one partition, in one transaction if none fails. */
  async handleRun(run: Delivery[], turn: BatchTurn): Promise<void> {
    const ours = run.filter((d): d is OurDelivery => d.registered !== undefined);
    for (const d of run) if (!d.registered) this.options.report('ignored', d.envelope.type, d.started, d.topic);
    if (ours.length === 0) return;
    const traced = ours.map((d) => startDeliverySpan(d, this.options.consumer, ours.length));
    try {
      await this.handleTogether(traced, turn);
    } finally {
      for (const { span } of traced) span.end();
    }
  }

  private async handleTogether(traced: Traced[], turn: BatchTurn): Promise<void> {
    if (traced.length === 0) return;
    const { topic } = traced[0].delivery;
    let failing: number | undefined;
    const outcomes: Array<'handled' | 'duplicate'> = [];
    try {
      await this.options.db.transaction(async (manager) => {
        const fresh = await recordInInbox(manager, this.options.consumer, topic, traced.map((t) => t.delivery.envelope.id));
        for (const [i, t] of traced.entries()) {
          const { envelope, message, partition } = t.delivery;
          // The same message twice in one batch: only its first copy is fresh.
          if (!fresh.delete(envelope.id)) {
            outcomes.push('duplicate');
            continue;
          }
          failing = i;
          await withinDelivery(t, () => t.delivery.registered.handler(envelope.data, { manager, envelope, topic, partition, offset: message.offset, attempt: 1, heartbeat: turn.heartbeat }));
          failing = undefined;
          outcomes.push('handled');
        }
      });
      this.options.outage.answered();
    } catch (error) {
      // Rolled back. Nothing to blame (the inbox insert or the commit failed): each alone.
      if (failing === undefined) {
        for (const t of traced) await withinDelivery(t, () => this.handleAlone(t.delivery, turn, 1));
        return;
      }
      const failed = traced[failing];
      for (const t of traced.slice(0, failing)) await withinDelivery(t, () => this.handleAlone(t.delivery, turn, 1));
      await withinDelivery(failed, async () => {
        failed.span.addEvent('the batch transaction was rolled back: this message failed', { 'messaging.batch.message_count': traced.length });
        if ((await this.failed(failed.delivery, error, 1)) !== 'dead-lettered') await this.handleAlone(failed.delivery, turn, 2);
      });
      return this.handleTogether(traced.slice(failing + 1), turn);
    }
    traced.forEach((t, i) => this.options.report(outcomes[i], t.delivery.envelope.type, t.delivery.started, topic));
  }

  /** One delivery in its own transaction, retried from `firstAttempt` on until handled or dead-lettered. */
  private async handleAlone(d: OurDelivery, turn: BatchTurn, firstAttempt: number): Promise<void> {
    const { topic, partition, message, envelope, registered } = d;
    for (let attempt = firstAttempt; ; ) {
      try {
        const fresh = await this.options.db.transaction(async (manager) => {
          if ((await recordInInbox(manager, this.options.consumer, topic, [envelope.id])).size === 0) return false;
          await registered.handler(envelope.data, { manager, envelope, topic, partition, offset: message.offset, attempt, heartbeat: turn.heartbeat });
          return true;
        });
        this.options.outage.answered();
        return this.options.report(fresh ? (attempt > 1 ? 'retried' : 'handled') : 'duplicate', envelope.type, d.started, topic);
      } catch (error) {
        if ((await this.failed(d, error, attempt)) === 'dead-lettered') return;
        attempt++;
      }
    }
  }

  /**
   * After a failed attempt: a database outage pauses the delivery (DatabaseOutage throws
   * DeliveryPaused; no attempt spent); a final failure (Retries) is dead-lettered; otherwise the
   * backoff is waited out before the next attempt.
   */
  private async failed(d: OurDelivery, error: unknown, attempt: number): Promise<'dead-lettered' | 'next attempt'> {
    trace.getActiveSpan()?.recordException(error as Error);
    this.options.outage.failed(d.envelope, error);
    if (this.options.retries.isFinal(error, attempt)) {
      trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      await this.options.deadLetters.deadLetter(d.topic, d.partition, d.message, error, attempt);
      this.options.report(isForged(error) ? 'forged' : 'dead_lettered', d.envelope.type, d.started, d.topic);
      return 'dead-lettered';
    }
    await this.options.retries.beforeNextAttempt(d.envelope, error, attempt);
    return 'next attempt';
  }
}
